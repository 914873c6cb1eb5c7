/**
 * From a requester ID (and PASID) to a translation configuration: the root
 * entry (by bus), the context entry (by devfn) and, in scalable mode, the
 * PASID directory entry (PASID[19:6]) and PASID entry (PASID[5:0]), with the
 * checks and fault reasons of the VT-d spec's fault conditions (order as
 * QEMU's vtd_dev_to_context_entry and vtd_get_pe_from_pasid_table).
 * Context and PASID entries come from the caches when they hold them.
 */
import { bdf } from './bdf.ts';
import { decodeFields, type FieldValues } from '../smmu/fields.ts';
import type { CachedContext, CachedPasidEntry, VtdCaches } from './caches.ts';
import { reasonCode } from './fault-reasons.ts';
import { sagawAllows, type VtdFeatures } from './features.ts';
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import {
  LEGACY_CONTEXT_BYTES, LEGACY_CONTEXT_FIELDS, PASID_DIR_FIELDS, PASID_ENTRY_BYTES, PASID_ENTRY_FIELDS, PASID_PDE_SHIFT,
  PGTT, RESERVED, ROOT_ENTRY_BYTES, SM_CONTEXT_BYTES, SM_CONTEXT_FIELDS, beyondHaw,
} from './structures.ts';
import type { FsTables, SsTables } from './walk.ts';

export type VtdMode = 'legacy' | 'scalable';

export interface StructRead {
  readonly what: 'root entry' | 'context entry' | 'PASID directory entry' | 'PASID entry';
  readonly index: number;
  readonly address: bigint;
  /** undefined when the read failed. */
  readonly words?: readonly bigint[];
  readonly cached: boolean;
}

export interface Fault {
  readonly ok: false;
  readonly reason: number;
  /** FPD as far as the walk got: a qualified fault is not recorded when set. */
  readonly fpd: boolean;
  readonly why: string;
}

const fault = (name: string, why: string, fpd = false): Fault => ({ ok: false, reason: reasonCode(name), fpd, why });

export function readWords(mem: PhysicalMemory, address: bigint, qwords: number): bigint[] | undefined {
  const out: bigint[] = [];
  for (let i = 0; i < qwords; i++) {
    const w = mem.read64(address + BigInt(i * 8));
    if (w === undefined) return undefined;
    out.push(w);
  }
  return out;
}

const hasReserved = (words: readonly bigint[], masks: readonly bigint[], addressBits: bigint, addressQwords: readonly number[]): boolean =>
  words.some((w, i) => (w & (masks[i] ?? 0n)) !== 0n || (addressQwords.includes(i) && (w & addressBits) !== 0n));

export interface FetchEnv {
  readonly mem: PhysicalMemory;
  readonly features: VtdFeatures;
  readonly mode: VtdMode;
  readonly rootTable: bigint;
  readonly caches: VtdCaches;
}

/** The context entry for a requester: from the context cache, or the root and context tables (then cached). */
export function fetchContext(env: FetchEnv, sid: number, reads: StructRead[]): { ok: true; ctx: CachedContext } | Fault {
  const cached = env.caches.context.get(sid);
  const sm = env.mode === 'scalable';
  if (cached) {
    reads.push({ what: 'context entry', index: sid & 0xff, address: cached.address, words: cached.words, cached: true });
    return { ok: true, ctx: cached };
  }
  const bus = sid >> 8;
  const devfn = sid & 0xff;
  const rootAddress = env.rootTable + BigInt(bus * ROOT_ENTRY_BYTES);
  const root = readWords(env.mem, rootAddress, 2);
  reads.push({ what: 'root entry', index: bus, address: rootAddress, ...(root ? { words: root } : {}), cached: false });
  if (!root) return fault(sm ? 'SM_ROOT_ACCESS_ERR' : 'ROOT_TABLE_INV', `the root entry for bus ${bus} at 0x${rootAddress.toString(16)} cannot be read`);
  const upper = sm && devfn >= 128;
  const half = upper ? (root[1] as bigint) : (root[0] as bigint);
  if ((half & 1n) === 0n) return fault(sm ? 'SM_ROOT_ENTRY_P' : 'ROOT_ENTRY_P', sm ? `the root entry's ${upper ? 'upper (UP)' : 'lower (LP)'} present bit for bus ${bus} is 0` : `the root entry for bus ${bus} is not present (P = 0)`);
  const haw = beyondHaw(env.features.haw);
  if (sm ? hasReserved(root, RESERVED.smRoot, haw, [0, 1]) : hasReserved(root, RESERVED.legacyRoot, haw, [0])) {
    return fault(sm ? 'SM_ROOT_ENTRY_RSVD' : 'ROOT_ENTRY_RSVD', `the root entry for bus ${bus} has reserved bits set`);
  }
  const bytes = sm ? SM_CONTEXT_BYTES : LEGACY_CONTEXT_BYTES;
  const index = upper ? devfn & 0x7f : devfn;
  const address = (half & ~0xfffn) + BigInt(index * bytes);
  const words = readWords(env.mem, address, bytes / 8);
  reads.push({ what: 'context entry', index, address, ...(words ? { words } : {}), cached: false });
  if (!words) return fault(sm ? 'SM_CONTEXT_ACCESS_ERR' : 'CONTEXT_TABLE_INV', `the context entry for devfn 0x${devfn.toString(16)} at 0x${address.toString(16)} cannot be read`);
  const lo = words[0] as bigint;
  const fpd = (lo & 2n) !== 0n;
  if ((lo & 1n) === 0n) return fault(sm ? 'SM_CONTEXT_ENTRY_P' : 'CONTEXT_ENTRY_P', `the context entry for ${bdf(sid)} is not present (P = 0)`, fpd);
  if (sm ? hasReserved(words, [...RESERVED.smContext, (1n << 64n) - 1n, (1n << 64n) - 1n], haw, [0]) : hasReserved(words, RESERVED.legacyContext, haw, [0])) {
    return fault(sm ? 'SM_CONTEXT_ENTRY_RSVD' : 'CONTEXT_ENTRY_RSVD', `the context entry for ${bdf(sid)} has reserved bits set`, fpd);
  }
  if (!sm) {
    const f = decodeFields(words, LEGACY_CONTEXT_FIELDS);
    const tt = Number(f.TT);
    if (tt === 3 || (tt === 2 && !env.features.pt) || (tt === 1 && !env.features.dt)) return fault('CONTEXT_ENTRY_INV', `TT = ${tt} is not a translation type this unit supports`, fpd);
    if (tt !== 2 && !sagawAllows(env.features, Number(f.AW))) return fault('CONTEXT_ENTRY_INV', `AW = ${f.AW} (${Number(f.AW) + 2}-level) is not in SAGAW`, fpd);
  }
  const ctx: CachedContext = { sid, rootAddress, rootWords: root, address, words, did: sm ? null : Number(decodeFields(words, LEGACY_CONTEXT_FIELDS).DID) };
  env.caches.context.set(sid, ctx);
  return { ok: true, ctx };
}

export type Resolved = {
  readonly ok: true;
  readonly kind: 'pass-through' | 'second-stage' | 'first-stage' | 'nested';
  readonly did: number;
  readonly fpd: boolean;
  /** The PASID the IOTLB tags this request with (RID_PASID for requests without PASID); null in legacy mode. */
  readonly pasidTag: number | null;
  readonly ss?: SsTables;
  readonly fs?: FsTables;
  readonly sre: boolean;
  readonly ere: boolean;
  readonly fields: FieldValues;
};

/** Legacy mode: the context entry alone decides. */
export function resolveLegacy(ctx: CachedContext): Resolved {
  const f = decodeFields(ctx.words, LEGACY_CONTEXT_FIELDS);
  const base = { ok: true as const, did: Number(f.DID), fpd: f.FPD === 1n, pasidTag: null, sre: false, ere: false, fields: f };
  if (f.TT === 2n) return { ...base, kind: 'pass-through' };
  return { ...base, kind: 'second-stage', ss: { root: f.SLPTPTR as bigint, levels: Number(f.AW) + 2 } };
}

/** Scalable mode: the context entry names the PASID directory; the PASID entry decides (from the PASID cache when it holds it). */
export function resolveScalable(env: FetchEnv, ctx: CachedContext, pasid: number | undefined, reads: StructRead[]): Resolved | Fault {
  const c = decodeFields(ctx.words, SM_CONTEXT_FIELDS);
  let fpd = c.FPD === 1n;
  if (pasid !== undefined && c.PASIDE === 0n) return fault('SM_CONTEXT_PASIDE', `a request with PASID ${pasid}, but the context entry's PASIDE is 0`, fpd);
  const p = pasid ?? Number(c.RID_PASID);
  const dirEntries = 2 ** (Number(c.PDTS) + 7);
  if (p >> PASID_PDE_SHIFT >= dirEntries) {
    return pasid === undefined
      ? fault('SM_CONTEXT_ENTRY_INV', `RID_PASID ${p} is beyond the ${dirEntries}-entry PASID directory (PDTS = ${c.PDTS})`, fpd)
      : fault('SM_PASID_BEYOND_PDTS', `PASID ${p} is beyond the ${dirEntries}-entry PASID directory (PDTS = ${c.PDTS})`, fpd);
  }
  let pe = env.caches.pasid.get(`${ctx.sid}:${p}`);
  if (pe) {
    reads.push({ what: 'PASID entry', index: p & 0x3f, address: pe.address, words: pe.words, cached: true });
  } else {
    const dirIndex = p >> PASID_PDE_SHIFT;
    const dirAddress = (c.PASIDDIRPTR as bigint) + BigInt(dirIndex * 8);
    const dir = env.mem.read64(dirAddress);
    reads.push({ what: 'PASID directory entry', index: dirIndex, address: dirAddress, ...(dir !== undefined ? { words: [dir] } : {}), cached: false });
    if (dir === undefined) return fault('PASID_DIR_ACCESS_ERR', `the PASID directory entry ${dirIndex} at 0x${dirAddress.toString(16)} cannot be read`, fpd);
    const d = decodeFields([dir], PASID_DIR_FIELDS);
    fpd ||= d.FPD === 1n;
    if (d.P === 0n) return fault('PASID_DIR_ENTRY_P', `PASID directory entry ${dirIndex} (PASID[19:6] of ${p}) is not present`, fpd);
    if ((dir & (RESERVED.pasidDir[0] | beyondHaw(env.features.haw))) !== 0n) return fault('PASID_DIR_ENTRY_RSVD', `PASID directory entry ${dirIndex} has reserved bits set`, fpd);
    const address = (d.PASIDPTR as bigint) + BigInt((p & 0x3f) * PASID_ENTRY_BYTES);
    const words = readWords(env.mem, address, PASID_ENTRY_BYTES / 8);
    reads.push({ what: 'PASID entry', index: p & 0x3f, address, ...(words ? { words } : {}), cached: false });
    if (!words) return fault('PASID_TABLE_ACCESS_ERR', `the PASID entry for PASID ${p} at 0x${address.toString(16)} cannot be read`, fpd);
    const f = decodeFields(words, PASID_ENTRY_FIELDS);
    fpd ||= f.FPD === 1n;
    if (f.P === 0n) return fault('PASID_ENTRY_P', `the PASID entry for PASID ${p} is not present (P = 0)`, fpd);
    const haw = beyondHaw(env.features.haw);
    if (hasReserved(words, RESERVED.pasidEntry, haw, [0, 2])) return fault('PASID_ENTRY_RSVD', `the PASID entry for PASID ${p} has reserved bits set`, fpd);
    const bad = invalidPasidEntry(env.features, f);
    if (bad) return fault('PASID_TABLE_ENTRY_INV', `the PASID entry for PASID ${p}: ${bad}`, fpd);
    pe = { sid: ctx.sid, pasid: p, dirAddress, dirWord: dir, address, words, did: Number(f.DID) } satisfies CachedPasidEntry;
    env.caches.pasid.set(`${ctx.sid}:${p}`, pe);
  }
  const f = decodeFields(pe.words, PASID_ENTRY_FIELDS);
  fpd ||= f.FPD === 1n;
  const pgtt = Number(f.PGTT);
  const kind = pgtt === PGTT.firstStage ? 'first-stage' : pgtt === PGTT.secondStage ? 'second-stage' : pgtt === PGTT.nested ? 'nested' : 'pass-through';
  const ss = { root: f.SLPTPTR as bigint, levels: Number(f.AW) + 2 };
  const fs = { root: f.FLPTR as bigint, levels: f.FLPM === 1n ? 5 : 4, wpe: f.WPE === 1n, nxe: f.NXE === 1n };
  return {
    ok: true, kind, did: pe.did, fpd, pasidTag: p, sre: f.SRE === 1n, ere: f.ERE === 1n, fields: f,
    ...(kind === 'second-stage' || kind === 'nested' ? { ss } : {}), ...(kind === 'first-stage' || kind === 'nested' ? { fs } : {}),
  };
}

/** Why a present PASID entry is invalid programming (SPT.4), or undefined. */
function invalidPasidEntry(features: VtdFeatures, f: FieldValues): string | undefined {
  const pgtt = Number(f.PGTT);
  const supported: Record<number, boolean> = { 1: features.flts, 2: features.slts, 3: features.nest, 4: features.pt };
  if (!(pgtt in supported)) return `PGTT = ${pgtt} is reserved`;
  if (!supported[pgtt]) return `PGTT = ${pgtt} is a translation type this unit does not support`;
  if ((pgtt === 2 || pgtt === 3) && !sagawAllows(features, Number(f.AW))) return `AW = ${f.AW} (${Number(f.AW) + 2}-level) is not in SAGAW`;
  if ((pgtt === 1 || pgtt === 3) && f.FLPM !== 0n && !(f.FLPM === 1n && features.fl5lp)) return `FLPM = ${f.FLPM} is not supported (5-level needs CAP.FL5LP)`;
  return undefined;
}
