/**
 * The SMMU side of the comparison, per device: its STE (Config,
 * S1ContextPtr, S1CDMax, S1DSS, S2TTB, S2VMID) and the valid CDs of its CD
 * table (SSID, ASID, TTB0), each named with the kernel object it belongs
 * to. The CDs are read as the SMMU reads them (cd-table-view's streamView),
 * so a CD table behind stage 2 is found through stage 2.
 */
import type { LinuxState } from '../engine/index.ts';
import type { Smmu } from '../engine/hw/smmu/smmu.ts';
import { streamView } from './cd-table-view.ts';
import { ownerOf, pgtableAt } from './compare-owner.ts';
import { STE_COMPARE_FIELDS, type SmmuCdRow, type SmmuDeviceSide, type SteKeyFields } from './compare-types.ts';

export function smmuDeviceSide(smmu: Smmu, linux: LinuxState, device: string): SmmuDeviceSide | null {
  const master = linux.masters.find((m) => m.device === device);
  const sid = master?.streams[0];
  if (sid === undefined) return null;
  const view = streamView(smmu, sid);
  const extra = (master?.streams.length ?? 0) > 1 ? `; its DMA aliases have StreamIDs ${master?.streams.slice(1).map((s) => `0x${s.toString(16)}`).join(', ')} too, with the same STE contents` : '';
  if (!view.ste) return { sid, cds: [], note: `${view.note ?? 'no STE'}${extra}` };
  const key = view.ste.key;
  const fields = Object.fromEntries(STE_COMPARE_FIELDS.map((f) => [f, key[f] ?? 0n])) as SteKeyFields;
  const nested = view.ste.config === 'nested';
  const s2 = view.ste.config === 'stage 2' || nested;
  const cds: SmmuCdRow[] = [];
  for (const row of view.cdTable?.rows ?? []) {
    if (!row.ok || row.key?.V !== 1n) continue;
    const ttb0 = row.key.TTB0 ?? 0n;
    const owner = nested ? { ...ownerOf(linux, device, 0), guest: true } : ownerOf(linux, device, row.ssid);
    const pgtable = pgtableAt(linux, ttb0, nested ? 'AArch64 stage 1 (guest)' : 'AArch64 stage 1', nested);
    cds.push({
      ssid: row.ssid,
      ...(row.address !== undefined ? { address: row.address } : {}),
      ...(row.ipa !== undefined && nested ? { ipa: row.ipa } : {}),
      fields: { V: row.key.V ?? 0n, ASID: row.key.ASID ?? 0n, TTB0: ttb0, EPD0: row.key.EPD0 ?? 0n },
      verdict: row.verdict, owner, ...(pgtable ? { pgtable } : {}),
    });
  }
  const stage2 = s2 ? pgtableAt(linux, fields.S2TTB, 'AArch64 stage 2') : undefined;
  return {
    sid,
    ste: { address: view.ste.address, config: view.ste.config, fields },
    ...(view.cdTable ? { cdTable: { address: view.cdTable.address, size: view.cdTable.size, guestOwned: view.cdTable.nested } } : {}),
    cds,
    ...(stage2 ? { stage2 } : {}),
    ...(view.note || extra ? { note: `${view.note ?? ''}${extra}`.replace(/^; /, '') } : {}),
  };
}
