/**
 * One set of translation tables as the walk sees it: a compiled TTBR of a
 * stage-1 context, or a stage-2 configuration from an STE. Both stages walk
 * the same VMSAv8-64 descriptor format; what differs is captured here
 * (stage, start-level index width with stage-2 concatenation, output size,
 * access-flag handling, hierarchical attributes).
 */
import type { Geometry } from './geometry.ts';

export interface WalkTables {
  readonly stage: 1 | 2;
  readonly geometry: Geometry;
  /** Index bits at the start level: fewer than stride for a small top table, more at stage 2 when tables are concatenated. */
  readonly startBits: number;
  /** Table base, PA[51:32] and PA[31:0], aligned to the start-level table size. */
  readonly baseHi: number;
  readonly baseLo: number;
  /** Output address size in bits: IPS (stage 1) or the effective S2PS (stage 2), each capped by the SMMU's OAS. */
  readonly oaBits: number;
  /** Access-flag fault disable (CD.AFFD or STE.S2AFFD). */
  readonly affd: boolean;
  /** Stage 1 only: APTable/XNTable are honoured unless HADx = 1. */
  readonly hierarchical: boolean;
}

/** Start-level table size in bytes: 8 per entry, at least 64 (TTB bits below it are RES0). */
export function startTableBytes(startBits: number): bigint {
  return BigInt(Math.max(64, 8 << startBits));
}

export function alignedBase(ttb: bigint, startBits: number): { hi: number; lo: number; address: bigint } {
  const address = ttb & ~(startTableBytes(startBits) - 1n);
  return { hi: Number(address >> 32n), lo: Number(address & 0xffff_ffffn), address };
}
