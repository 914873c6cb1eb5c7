/**
 * Stage-2 configuration from the STE's VTCR fields and S2TTB (SMMUv3 spec,
 * STE.S2*; start level from SL0 as in the Arm ARM's VTCR_EL2). The checks are
 * the ones that make an STE ILLEGAL, so the SMMU reports each failure as
 * C_BAD_STE; QEMU's decode_ste_s2_cfg applies the same ones.
 */
import { EngineError } from '../../util/assert.ts';
import { addressBitsFromPS, geometry, granuleFromTG0, levelShift, type Geometry } from './geometry.ts';
import { alignedBase, fastShape, type WalkTables } from './tables.ts';

export interface Stage2Config {
  readonly S2TTB: bigint;
  /** IPA size is 64 - S2T0SZ bits. */
  readonly S2T0SZ: number;
  readonly S2SL0: number;
  /** 0 = 4KB, 1 = 64KB, 2 = 16KB. */
  readonly S2TG: number;
  readonly S2PS: number;
  readonly S2AFFD: boolean;
}

/** Up to 16 tables may be concatenated at the stage-2 start level (Arm ARM, "Concatenated translation tables"). */
export const MAX_S2_CONCAT = 16;

export function s2StartLevel(granuleShift: number, sl0: number): number {
  return granuleShift === 12 ? 2 - sl0 : 3 - sl0;
}

export function compileStage2(c: Stage2Config, oasBits: number): WalkTables {
  const granule = granuleFromTG0(c.S2TG);
  if (granule === undefined) throw new EngineError(`S2TG = ${c.S2TG} is reserved`, 'S2TG');
  const psBits = addressBitsFromPS(c.S2PS);
  if (psBits === undefined) throw new EngineError(`S2PS = ${c.S2PS} is reserved`, 'S2PS');
  // The effective PA size is capped by OAS, and by 48 bits unless the granule is 64KB (52-bit needs FEAT_LPA).
  const effPs = Math.min(psBits, oasBits, granule === 65536 ? 52 : 48);
  if (c.S2SL0 === 3) throw new EngineError('S2SL0 = 3 is reserved (no FEAT_TTST)', 'S2SL0');
  const ipaBits = 64 - c.S2T0SZ;
  // The IPA may be as large as the SMMU's input address size (IAS = OAS for AArch64-only tables), whatever S2PS says.
  if (ipaBits > oasBits) throw new EngineError(`S2T0SZ = ${c.S2T0SZ} gives a ${ipaBits}-bit IPA, larger than the ${oasBits}-bit input address size (IAS)`, 'S2T0SZ');
  const base = geometry(granule, c.S2T0SZ, 'S2T0SZ');
  const startLevel = s2StartLevel(base.granuleShift, c.S2SL0);
  const g: Geometry = { ...base, startLevel };
  const startBits = ipaBits - levelShift(g, startLevel);
  if (startBits < 1) throw new EngineError(`S2SL0 = ${c.S2SL0} starts at level ${startLevel}, below what a ${ipaBits}-bit IPA needs`, 'S2SL0');
  if (startBits > g.stride + Math.log2(MAX_S2_CONCAT)) {
    throw new EngineError(`S2SL0 = ${c.S2SL0} with a ${ipaBits}-bit IPA needs ${2 ** (startBits - g.stride)} concatenated tables; at most ${MAX_S2_CONCAT} are allowed`, 'S2SL0');
  }
  if (c.S2TTB >> BigInt(effPs) !== 0n) throw new EngineError(`S2TTB 0x${c.S2TTB.toString(16)} is beyond the ${effPs}-bit output size`, 'S2TTB');
  const b = alignedBase(c.S2TTB, startBits);
  const fast = fastShape(g, startBits, effPs, false);
  return {
    stage: 2, geometry: g, startBits, baseHi: b.hi, baseLo: b.lo, oaBits: effPs, affd: c.S2AFFD, hierarchical: false,
    fast4k: fast.fast4k, oaHiBad: fast.oaHiBad, hierMask: fast.hierMask,
  };
}

/** Number of concatenated start-level tables (1 when there is no concatenation). */
export function concatenatedTables(t: WalkTables): number {
  return t.startBits > t.geometry.stride ? 2 ** (t.startBits - t.geometry.stride) : 1;
}
