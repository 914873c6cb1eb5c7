/**
 * Finding the CD for a SubstreamID (SMMUv3 spec, "Context descriptor
 * table"): linear, or 2-level with L1 CD descriptors (V, L2Ptr) and leaf
 * tables of 64 CDs (S1Fmt = 1, 4KB) or 1024 CDs (S1Fmt = 2, 64KB). When
 * stage 2 is enabled, the table addresses are IPAs, translated by stage 2
 * before each read (a stage-2 fault there has CLASS = CD).
 */
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import { translateStage2 } from '../pgtable/translate.ts';
import type { WalkTables } from '../pgtable/tables.ts';
import type { StageWalk, WalkFault } from '../pgtable/types.ts';
import { getField } from './fields.ts';
import { CD_BYTES, CD_QWORDS, L1CD_FIELDS } from './cd-fields.ts';
import { readQwords } from './stream-table.ts';
import type { SteStage1 } from './ste.ts';

export interface CdL1Read { readonly ipa: bigint; readonly address: bigint; readonly descriptor: bigint; readonly s2?: StageWalk }

export type CdFetch =
  | { readonly ok: true; readonly ipa: bigint; readonly address: bigint; readonly words: bigint[]; readonly l1?: CdL1Read; readonly s2?: StageWalk }
  | { readonly ok: false; readonly event: 'F_CD_FETCH' | 'C_BAD_SUBSTREAMID'; readonly reason: string; readonly fetchAddress?: bigint; readonly l1?: CdL1Read }
  | { readonly ok: false; readonly event: 'stage2'; readonly fault: WalkFault; readonly ipa: bigint; readonly s2: StageWalk; readonly reason: string };

/** log2 of CDs per leaf table for each S1Fmt. */
const LEAF_BITS: Record<number, number> = { 1: 6, 2: 10 };
const V = L1CD_FIELDS[0]!;
const L2PTR = L1CD_FIELDS[1]!;

type Resolved = { ok: true; pa: bigint; s2?: StageWalk } | { ok: false; ipa: bigint; fault: WalkFault; s2: StageWalk };

function resolve(mem: PhysicalMemory, s2: WalkTables | null, ipa: bigint): Resolved {
  if (!s2) return { ok: true, pa: ipa };
  const r = translateStage2(mem, s2, ipa, { kind: 'read', privileged: true });
  const walk: StageWalk = r.fault ? { steps: r.steps, fault: r.fault } : { steps: r.steps, output: r.output };
  if (r.fault) return { ok: false, ipa, fault: { ...r.fault, stage: 2, class: 'CD', ipa }, s2: walk };
  return { ok: true, pa: r.output as bigint, s2: walk };
}

export function fetchCd(mem: PhysicalMemory, s1: SteStage1, s2: WalkTables | null, ssid: number): CdFetch {
  let cdIpa: bigint;
  let l1: CdL1Read | undefined;
  const leafBits = LEAF_BITS[s1.s1Fmt];
  if (leafBits !== undefined) {
    const l1Ipa = s1.cdTable + BigInt((ssid >>> leafBits) * 8);
    const at = resolve(mem, s2, l1Ipa);
    if (!at.ok) return { ok: false, event: 'stage2', fault: at.fault, ipa: at.ipa, s2: at.s2, reason: `stage 2 could not translate the L1 CD descriptor's IPA 0x${l1Ipa.toString(16)}` };
    const descriptor = mem.read64(at.pa);
    if (descriptor === undefined) return { ok: false, event: 'F_CD_FETCH', reason: `the L1 CD descriptor at 0x${at.pa.toString(16)} could not be read`, fetchAddress: at.pa };
    l1 = { ipa: l1Ipa, address: at.pa, descriptor, ...(at.s2 ? { s2: at.s2 } : {}) };
    if (getField([descriptor], V) === 0n) return { ok: false, event: 'C_BAD_SUBSTREAMID', reason: `L1 CD descriptor ${ssid >>> leafBits} has V = 0: no leaf table for SubstreamID ${ssid}`, l1 };
    cdIpa = getField([descriptor], L2PTR) + BigInt((ssid & ((1 << leafBits) - 1)) * CD_BYTES);
  } else {
    cdIpa = s1.cdTable + BigInt(ssid * CD_BYTES);
  }
  const at = resolve(mem, s2, cdIpa);
  if (!at.ok) return { ok: false, event: 'stage2', fault: at.fault, ipa: at.ipa, s2: at.s2, reason: `stage 2 could not translate the CD's IPA 0x${cdIpa.toString(16)}` };
  const words = readQwords(mem, at.pa, CD_QWORDS);
  if (!words) return { ok: false, event: 'F_CD_FETCH', reason: `the CD at 0x${at.pa.toString(16)} could not be read`, fetchAddress: at.pa, ...(l1 ? { l1 } : {}) };
  return { ok: true, ipa: cdIpa, address: at.pa, words, ...(l1 ? { l1 } : {}), ...(at.s2 ? { s2: at.s2 } : {}) };
}
