/**
 * The VT-d side of the comparison, per device: the root entry of its bus,
 * its context entry (scalable mode: the PASID directory pointer; legacy
 * mode: the second-stage table itself), the PASID directory entries and the
 * present PASID entries (PASID, PGTT, FLPTR, SLPTPTR, DID), each named with
 * the kernel object it belongs to. Read from the engine's vtdView, which
 * decodes memory the way the unit does.
 */
import type { LinuxState } from '../engine/index.ts';
import type { VtdView } from '../engine/views/vtd-view.ts';
import { ownerOf, pgtableAt } from './compare-owner.ts';
import type { PgtableRef, VtdDeviceSide, VtdPasidRow } from './compare-types.ts';

const FIRST = 'x86-64 first-stage';
const SECOND = 'VT-d second-stage';

/** What a PASID entry's pointers name, by its PGTT (VT-d 9.6: which of FLPTR and SLPTPTR the unit uses). */
function pasidTables(linux: LinuxState, pgtt: string, f: Readonly<Record<string, bigint>>): { pgtable?: PgtableRef; stage2?: PgtableRef } {
  const flptr = f.FLPTR ?? 0n;
  const slptptr = f.SLPTPTR ?? 0n;
  const at = (root: bigint, format: string, ipa = false) => pgtableAt(linux, root, format, ipa);
  switch (pgtt) {
    case 'first-stage': {
      const p = at(flptr, FIRST);
      return p ? { pgtable: p } : {};
    }
    case 'second-stage': {
      const p = at(slptptr, SECOND);
      return p ? { pgtable: p } : {};
    }
    case 'nested': {
      const p = at(flptr, `${FIRST} (guest)`, true);
      const s = at(slptptr, SECOND);
      return { ...(p ? { pgtable: p } : {}), ...(s ? { stage2: s } : {}) };
    }
    default:
      return {};
  }
}

export function vtdDeviceSide(view: VtdView, linux: LinuxState, device: string): VtdDeviceSide | null {
  const master = linux.masters.find((m) => m.device === device);
  const rid = master?.streams[0];
  if (rid === undefined) return null;
  const root = view.roots.find((r) => r.bus === rid >> 8);
  if (!root) return { rid, pasids: [], note: `no present root entry for bus ${(rid >> 8).toString(16).padStart(2, '0')}: the unit blocks every request from it` };
  const ctx = root.contexts.find((c) => c.sid === rid);
  const rootSide = { bus: root.bus, address: root.address, fields: root.fields as Readonly<Record<string, bigint>> };
  if (!ctx) return { rid, root: rootSide, pasids: [], note: 'no present context entry: requests from this RID are blocked (fault reason 2, context entry not present)' };
  const mode = view.mode === 'legacy' ? 'legacy' : 'scalable';
  const fields = ctx.fields as Readonly<Record<string, bigint>>;
  if (mode === 'legacy') {
    const tt = Number(fields.TT ?? 0n);
    const pgtable = tt === 2 ? undefined : pgtableAt(linux, fields.SLPTPTR ?? 0n, SECOND);
    return {
      rid, root: rootSide,
      context: { address: ctx.address, mode, fields, translation: ctx.translation, owner: ownerOf(linux, device, 0), ...(pgtable ? { pgtable } : {}) },
      pasids: [],
    };
  }
  const dir = ctx.pasidDirectory;
  const pasids: VtdPasidRow[] = [];
  for (const d of dir?.entries ?? []) {
    for (const e of d.entries) {
      const f = e.fields as Readonly<Record<string, bigint>>;
      pasids.push({
        pasid: e.pasid, address: e.address, dirIndex: d.index, pgtt: e.pgtt,
        fields: { P: f.P ?? 0n, FPD: f.FPD ?? 0n, PGTT: f.PGTT ?? 0n, FLPTR: f.FLPTR ?? 0n, SLPTPTR: f.SLPTPTR ?? 0n, DID: f.DID ?? 0n, AW: f.AW ?? 0n },
        owner: ownerOf(linux, device, e.pasid),
        ...pasidTables(linux, e.pgtt, f),
      });
    }
  }
  return {
    rid, root: rootSide,
    context: { address: ctx.address, mode, fields, translation: ctx.translation },
    ...(dir ? { pasidDirectory: { address: dir.address, entries: dir.entries.map((d) => ({ index: d.index, address: d.address, pasidTable: (d.fields.PASIDPTR as bigint | undefined) ?? 0n })) } } : {}),
    pasids,
  };
}
