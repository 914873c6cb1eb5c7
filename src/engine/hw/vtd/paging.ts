/**
 * The two paging-entry formats a VT-d unit walks (VT-d spec, "Paging
 * Structure Formats"; reserved-bit masks as QEMU's VTD_FPTE_* and
 * VTD_SPTE_* masks build them):
 *
 * - first stage: the x86-64 IA-32e format (P, R/W, U/S, PWT, PCD, A, D, PS,
 *   G, XD), 4-level (PML4) or 5-level (PML5);
 * - second stage: the VT-d format (R, W, X, EMT, IPAT, PS, SNP), 3 to 5
 *   levels, where an entry with R = W = 0 is "not present".
 *
 * Levels are numbered as VT-d and QEMU number them: level 1 is the page
 * table (4 KB), 2 the page directory (2 MB), 3 the PDPT (1 GB), 4 the PML4,
 * 5 the PML5. Level L resolves input bits [12 + 9L - 1 : 12 + 9(L - 1)].
 */
import { beyondHaw } from './structures.ts';

export type PagingFormat = 'first-stage' | 'second-stage';

export const LEVEL_NAMES: Readonly<Record<number, string>> = { 1: 'PT', 2: 'PD', 3: 'PDPT', 4: 'PML4', 5: 'PML5' };

export function levelShift(level: number): number {
  return 12 + 9 * (level - 1);
}

export function levelIndex(address: bigint, level: number): number {
  return Number((address >> BigInt(levelShift(level))) & 0x1ffn);
}

export const ADDRESS_MASK = ((1n << 52n) - 1n) & ~0xfffn;

export interface PagingEntryDecoded {
  readonly format: PagingFormat;
  readonly type: 'not-present' | 'table' | 'page';
  /** Next table (table) or output page (page), bits [51:12] (large pages: aligned to their size). */
  readonly address?: bigint;
  /** The page's size in bytes, for a page. */
  readonly size?: bigint;
  /** Field values by the spec's names. */
  readonly fields: Readonly<Record<string, number>>;
  /** Reserved bits found set (the *_RSVD fault), 0 when none. */
  readonly reserved: bigint;
}

/** What large pages the unit allows at levels 2 and 3 (CAP.SLLPS, CAP.FL1GP). */
export interface LargePages {
  readonly l2: boolean;
  readonly l3: boolean;
}

const bitOf = (e: bigint, n: number): number => Number((e >> BigInt(n)) & 1n);
const lowBits = (from: number, to: number): bigint => ((1n << BigInt(to + 1)) - 1n) & ~((1n << BigInt(from)) - 1n);

function leafAt(e: bigint, level: number): boolean {
  return level === 1 || ((level === 2 || level === 3) && bitOf(e, 7) === 1);
}

export function decodeFirstStage(e: bigint, level: number, haw: number, large: LargePages): PagingEntryDecoded {
  const fields: Record<string, number> = {
    P: bitOf(e, 0), 'R/W': bitOf(e, 1), 'U/S': bitOf(e, 2), PWT: bitOf(e, 3), PCD: bitOf(e, 4), A: bitOf(e, 5), XD: bitOf(e, 63),
  };
  if (fields.P === 0) return { format: 'first-stage', type: 'not-present', fields, reserved: 0n };
  let reserved = e & beyondHaw(haw);
  const leaf = leafAt(e, level);
  if (level >= 4 && bitOf(e, 7) === 1) reserved |= 1n << 7n; // PS is reserved in PML4/PML5 entries
  if (level === 3 && bitOf(e, 7) === 1 && !large.l3) reserved |= 1n << 7n;
  if (level === 2 && bitOf(e, 7) === 1 && !large.l2) reserved |= 1n << 7n;
  if (leaf) {
    fields.D = bitOf(e, 6);
    fields.G = bitOf(e, 8);
    if (level > 1) fields.PS = 1;
    if (level === 2) reserved |= e & lowBits(13, 20);
    if (level === 3) reserved |= e & lowBits(13, 29);
  } else if (level === 2 || level === 3) fields.PS = 0;
  const size = 1n << BigInt(levelShift(level));
  const address = e & ADDRESS_MASK & ~(size - 1n);
  return leaf ? { format: 'first-stage', type: 'page', address, size, fields, reserved } : { format: 'first-stage', type: 'table', address: e & ADDRESS_MASK, fields, reserved };
}

export function decodeSecondStage(e: bigint, level: number, haw: number, large: LargePages): PagingEntryDecoded {
  const fields: Record<string, number> = { R: bitOf(e, 0), W: bitOf(e, 1), X: bitOf(e, 2) };
  if (fields.R === 0 && fields.W === 0) return { format: 'second-stage', type: 'not-present', fields, reserved: 0n };
  let reserved = e & beyondHaw(haw);
  const leaf = leafAt(e, level);
  if (level >= 4 && bitOf(e, 7) === 1) reserved |= 1n << 7n;
  if (level === 3 && bitOf(e, 7) === 1 && !large.l3) reserved |= 1n << 7n;
  if (level === 2 && bitOf(e, 7) === 1 && !large.l2) reserved |= 1n << 7n;
  if (leaf) {
    fields.EMT = Number((e >> 3n) & 7n);
    fields.IPAT = bitOf(e, 6);
    fields.SNP = bitOf(e, 11);
    if (level > 1) fields.PS = 1;
    if (level === 2) reserved |= e & lowBits(12, 20);
    if (level === 3) reserved |= e & lowBits(12, 29);
  } else {
    reserved |= e & (1n << 11n); // SNP exists only in leaf entries
    if (level === 2 || level === 3) fields.PS = 0;
  }
  const size = 1n << BigInt(levelShift(level));
  const address = e & ADDRESS_MASK & ~(size - 1n);
  return leaf ? { format: 'second-stage', type: 'page', address, size, fields, reserved } : { format: 'second-stage', type: 'table', address: e & ADDRESS_MASK, fields, reserved };
}

export function decodePagingEntry(format: PagingFormat, e: bigint, level: number, haw: number, large: LargePages): PagingEntryDecoded {
  return format === 'first-stage' ? decodeFirstStage(e, level, haw, large) : decodeSecondStage(e, level, haw, large);
}

/** Entry bits a mapping writes, as Linux's intel io-pgtable does: table entries get every right, leaves the mapping's. */
export interface PagingProt {
  readonly read: boolean;
  readonly write: boolean;
  /** First stage: a user (U/S = 1) page; Linux sets U/S on every first-stage entry of a DMA domain. */
  readonly user?: boolean;
  readonly exec?: boolean;
}

export function encodeTable(format: PagingFormat, next: bigint): bigint {
  // First stage: P, R/W, U/S, A (Linux sets A so the hardware never has to); second stage: R, W (and X).
  return format === 'first-stage' ? next | 0x27n : next | 0x7n;
}

export function encodeLeaf(format: PagingFormat, level: number, output: bigint, prot: PagingProt): bigint {
  const ps = level > 1 ? 1n << 7n : 0n;
  if (format === 'first-stage') {
    return output | 1n | (prot.write ? 2n : 0n) | (prot.user === false ? 0n : 4n) | 0x20n | (prot.write ? 0x40n : 0n) | ps | (prot.exec ? 0n : 1n << 63n);
  }
  return output | (prot.read ? 1n : 0n) | (prot.write ? 2n : 0n) | (prot.exec ? 4n : 0n) | ps;
}
