/**
 * Finding a StreamID's STE (SMMUv3 spec, "Stream table"): linear, or
 * 2-level with L1 descriptors (Span, L2Ptr) selecting L2 tables of STEs.
 * Failures are the events the spec names for them: C_BAD_STREAMID for a
 * StreamID out of range or an L1 descriptor with Span = 0, C_BAD_STE for an
 * index beyond Span, F_STE_FETCH when a read finds no memory.
 */
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import { getField } from './fields.ts';
import { L1STD_FIELDS, STE_BYTES, STE_QWORDS } from './ste-fields.ts';

export interface StreamTableConfig {
  readonly base: bigint;
  /** 0 = linear, 1 = 2-level. */
  readonly fmt: number;
  readonly split: number;
  readonly log2size: number;
}

export interface L1Read { readonly address: bigint; readonly descriptor: bigint }

export type SteFetch =
  | { readonly ok: true; readonly address: bigint; readonly words: bigint[]; readonly l1?: L1Read }
  | { readonly ok: false; readonly event: 'C_BAD_STREAMID' | 'F_STE_FETCH' | 'C_BAD_STE'; readonly reason: string; readonly fetchAddress?: bigint; readonly l1?: L1Read };

export function readQwords(mem: PhysicalMemory, address: bigint, n: number): bigint[] | undefined {
  const words: bigint[] = [];
  for (let i = 0; i < n; i++) {
    const w = mem.read64(address + BigInt(i * 8));
    if (w === undefined) return undefined;
    words.push(w);
  }
  return words;
}

const SPAN = L1STD_FIELDS[0]!;
const L2PTR = L1STD_FIELDS[1]!;

export function fetchSte(mem: PhysicalMemory, t: StreamTableConfig, sidBits: number, sid: number): SteFetch {
  const covered = Math.min(t.log2size, sidBits);
  if (sid >= 2 ** covered) {
    return { ok: false, event: 'C_BAD_STREAMID', reason: `StreamID ${sid} is beyond the stream table (2^${covered} StreamIDs: STRTAB_BASE_CFG.LOG2SIZE = ${t.log2size}, SIDSIZE = ${sidBits})` };
  }
  let address: bigint;
  let l1: L1Read | undefined;
  if (t.fmt === 1) {
    const l1Address = t.base + BigInt(Math.floor(sid / 2 ** t.split) * 8);
    const descriptor = mem.read64(l1Address);
    if (descriptor === undefined) return { ok: false, event: 'F_STE_FETCH', reason: `the L1 stream table descriptor at 0x${l1Address.toString(16)} could not be read`, fetchAddress: l1Address };
    l1 = { address: l1Address, descriptor };
    const span = Number(getField([descriptor], SPAN));
    const l1Index = Math.floor(sid / 2 ** t.split);
    // SMMUv3 "C_BAD_STREAMID": Span = 0, Span > SPLIT + 1, or an L2 index beyond 2^(Span - 1) all make the StreamID invalid.
    if (span === 0) return { ok: false, event: 'C_BAD_STREAMID', reason: `L1 descriptor ${l1Index} has Span = 0: no L2 table for this StreamID`, l1 };
    if (span > t.split + 1) return { ok: false, event: 'C_BAD_STREAMID', reason: `L1 descriptor ${l1Index} has Span = ${span}, more than SPLIT + 1 = ${t.split + 1}`, l1 };
    const l2Index = sid % 2 ** t.split;
    if (l2Index >= 2 ** (span - 1)) return { ok: false, event: 'C_BAD_STREAMID', reason: `L2 index ${l2Index} is beyond Span = ${span} (the L2 table holds 2^${span - 1} STEs)`, l1 };
    address = getField([descriptor], L2PTR) + BigInt(l2Index * STE_BYTES);
  } else {
    address = t.base + BigInt(sid * STE_BYTES);
  }
  const words = readQwords(mem, address, STE_QWORDS);
  if (!words) return { ok: false, event: 'F_STE_FETCH', reason: `the STE at 0x${address.toString(16)} could not be read`, fetchAddress: address, ...(l1 ? { l1 } : {}) };
  return { ok: true, address, words, ...(l1 ? { l1 } : {}) };
}
