/**
 * VMSAv8-64 translation geometry: granule sizes, bits resolved per level,
 * the start level that follows from the input size, and which levels may
 * hold block descriptors. Arm ARM D8 (The AArch64 Virtual Memory System
 * Architecture); the same arithmetic as io-pgtable-arm in Linux.
 */
import { EngineError } from '../../util/assert.ts';
import type { Granule } from './types.ts';

/** CD.TG0 / TCR_ELx.TG0 encoding. */
export function granuleFromTG0(TG0: number): Granule | undefined {
  switch (TG0) {
    case 0: return 4096;
    case 1: return 65536;
    case 2: return 16384;
    default: return undefined;
  }
}

/** CD.TG1 / TCR_EL1.TG1 uses a different encoding from TG0. */
export function granuleFromTG1(TG1: number): Granule | undefined {
  switch (TG1) {
    case 1: return 16384;
    case 2: return 4096;
    case 3: return 65536;
    default: return undefined;
  }
}

export function tg0FromGranule(granule: Granule): number {
  return granule === 4096 ? 0 : granule === 65536 ? 1 : 2;
}

/** IPS / PS / IDR5.OAS encoding -> address bits. 7 is reserved. */
const PS_BITS = [32, 36, 40, 42, 44, 48, 52] as const;

export function addressBitsFromPS(ps: number): number | undefined {
  return PS_BITS[ps];
}

export interface Geometry {
  readonly granule: Granule;
  /** log2(granule): 12, 14 or 16. */
  readonly granuleShift: number;
  /** Index bits resolved per level: granuleShift - 3 (9, 11 or 13). */
  readonly stride: number;
  readonly inputSize: number;
  readonly startLevel: number;
}

/** Smallest and largest input size (64 - TxSZ) without FEAT_LVA/LPA2, as the SMMU accepts for a CD. */
export const MIN_TxSZ = 16;
export const MAX_TxSZ = 39;

export function geometry(granule: Granule, txsz: number, field = 'T0SZ'): Geometry {
  if (!Number.isInteger(txsz) || txsz < MIN_TxSZ || txsz > MAX_TxSZ) {
    throw new EngineError(`${field} = ${txsz} is outside ${MIN_TxSZ}..${MAX_TxSZ} (input sizes 25 to 48 bits)`, field);
  }
  const granuleShift = Math.log2(granule);
  const stride = granuleShift - 3;
  const inputSize = 64 - txsz;
  // Each level resolves `stride` bits above the page offset; the walk starts at
  // the level whose table covers the top bits (Arm ARM, "Translation table walks").
  const startLevel = 4 - Math.floor((inputSize - 4) / stride);
  return { granule, granuleShift, stride, inputSize, startLevel };
}

/** Lowest input-address bit that indexes the table at `level`. */
export function levelShift(g: Geometry, level: number): number {
  return g.granuleShift + (3 - level) * g.stride;
}

/** Index bits at `level`: all `stride` bits, except at the start level where only the rest of the input remains. */
export function levelIndexBits(g: Geometry, level: number): number {
  const shift = levelShift(g, level);
  return Math.min(g.stride, g.inputSize - shift);
}

/** Bytes mapped by one entry at `level`. */
export function levelSize(g: Geometry, level: number): bigint {
  return 1n << BigInt(levelShift(g, level));
}

/**
 * Whether a block descriptor is permitted at `level` (48-bit OA, no FEAT_LPA2):
 * 4KB: levels 1 and 2 (1GB, 2MB); 16KB: level 2 (32MB); 64KB: level 2 (512MB).
 * A 64KB level-1 block (4TB) needs 52-bit OA (FEAT_LPA) and is not modelled.
 */
export function blockAllowed(g: Geometry, level: number): boolean {
  if (g.granule === 4096) return level === 1 || level === 2;
  return level === 2;
}

/** Output address bits [47:shift] of a block/page or table descriptor, plus OA[51:48] in bits [15:12] for 64KB (FEAT_LPA). */
export function descriptorAddress(desc: bigint, g: Geometry, shift: number): bigint {
  const mask = ((1n << 48n) - 1n) & ~((1n << BigInt(shift)) - 1n);
  let oa = desc & mask;
  if (g.granule === 65536) oa |= ((desc >> 12n) & 0xfn) << 48n;
  return oa;
}
