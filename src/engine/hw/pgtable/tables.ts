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
  /**
   * For the untraced walk's fast path, worked out once here (numbers, not
   * booleans, so the hot path compares integers): `fast4k` is 1 when
   * walk-fast-4k.ts can walk these tables (see fastShape), else 0;
   * `oaHiBad` the bits of PA[51:32] at or above the output size; `hierMask`
   * 0xf when the hierarchical attributes apply, else 0.
   */
  readonly fast4k: number;
  readonly oaHiBad: number;
  readonly hierMask: number;
}

/**
 * The fast-path fields of WalkTables. walk-fast-4k.ts walks a 4KB granule
 * with a 48-bit input from a full 512-entry table at level 0 and an output
 * size of at least 32 bits.
 */
export function fastShape(g: Geometry, startBits: number, oaBits: number, hierarchical: boolean): { fast4k: number; oaHiBad: number; hierMask: number } {
  const fast4k = g.granuleShift === 12 && g.startLevel === 0 && startBits === 9 && oaBits >= 32 ? 1 : 0;
  return { fast4k, oaHiBad: oaBits >= 32 ? ~((1 << (oaBits - 32)) - 1) : -1, hierMask: hierarchical ? 0xf : 0 };
}

/** Start-level table size in bytes: 8 per entry, at least 64 (TTB bits below it are RES0). */
export function startTableBytes(startBits: number): bigint {
  return BigInt(Math.max(64, 8 << startBits));
}

export function alignedBase(ttb: bigint, startBits: number): { hi: number; lo: number; address: bigint } {
  const address = ttb & ~(startTableBytes(startBits) - 1n);
  return { hi: Number(address >> 32n), lo: Number(address & 0xffff_ffffn), address };
}
