/**
 * A stage-1 configuration compiled into plain numbers for the walk: the CD
 * fields are checked once here, so the per-translation path only does integer
 * arithmetic on 32-bit halves.
 */
import { EngineError } from '../../util/assert.ts';
import { addressBitsFromPS, geometry, granuleFromTG0, granuleFromTG1 } from './geometry.ts';
import { alignedBase, fastShape, type WalkTables } from './tables.ts';
import type { Stage1Config } from './types.ts';

export interface CompiledTtbr extends WalkTables {
  /** False when EPDx = 1: walks through this TTBR fault. */
  readonly enabled: boolean;
  /** Top-byte ignore for this region. */
  readonly tbi: boolean;
  /**
   * The input bits the fast path needs zero, as masks of the halves:
   * VA[63:inputSize], or VA[55:inputSize] with TBI (VA[55] picks TTBR1, so
   * it is among them). `fast4k` is also 0 when EPDx = 1.
   */
  readonly zeroHi: number;
  readonly zeroLo: number;
}

export interface Stage1Regime {
  readonly config: Stage1Config;
  readonly ttbr0: CompiledTtbr;
  /** Undefined when TTB1 is not configured (EPD1 = 1 or T1SZ unset). */
  readonly ttbr1: CompiledTtbr | undefined;
  /** Output (intermediate physical) address size in bits from IPS. */
  readonly oaBits: number;
  readonly affd: boolean;
}

export const STAGE1_DEFAULTS: Stage1Config = {
  TTB0: 0n, T0SZ: 16, TG0: 0, EPD0: false,
  TTB1: 0n, T1SZ: 16, TG1: 2, EPD1: true,
  IPS: 5, AFFD: false, TBI: 0, HAD0: false, HAD1: false,
};

function compileTtbr(ttb: bigint, granuleTG: number, txsz: number, enabled: boolean, tbi: boolean, had: boolean, names: { ttb: string; tg: string; tsz: string }, tg1: boolean, oaBits: number, affd: boolean): CompiledTtbr {
  const granule = tg1 ? granuleFromTG1(granuleTG) : granuleFromTG0(granuleTG);
  if (granule === undefined) {
    const legal = tg1 ? '1 (16KB), 2 (4KB) or 3 (64KB)' : '0 (4KB), 1 (64KB) or 2 (16KB)';
    throw new EngineError(`${names.tg} = ${granuleTG} is reserved; use ${legal}`, names.tg);
  }
  const g = geometry(granule, txsz, names.tsz);
  if (ttb < 0n || ttb >= 1n << 52n) throw new EngineError(`${names.ttb} must fit in 52 bits`, names.ttb);
  // A TTB beyond the OA size is not refused here: the walk reports it as an
  // address size fault at level 0, as the Arm ARM does.
  const startBits = g.inputSize - (g.granuleShift + (3 - g.startLevel) * g.stride);
  const base = alignedBase(ttb, startBits);
  const fast = fastShape(g, startBits, oaBits, !had);
  const size = g.inputSize;
  const top = tbi ? 0x00ff_ffff : -1;
  const zeroHi = size >= 32 ? top & ~((1 << (size - 32)) - 1) : top;
  const zeroLo = size >= 32 ? 0 : ~((1 << size) - 1);
  return {
    stage: 1, enabled, geometry: g, startBits, baseHi: base.hi, baseLo: base.lo, tbi, hierarchical: !had, oaBits, affd,
    fast4k: enabled ? fast.fast4k : 0, oaHiBad: fast.oaHiBad, hierMask: fast.hierMask, zeroHi, zeroLo,
  };
}

/**
 * Compiles CD fields. `oasBits` is the SMMU's output address size (IDR5.OAS):
 * the effective stage-1 output size is min(IPS, OAS).
 */
export function compileStage1(partial: Partial<Stage1Config>, oasBits = 52): Stage1Regime {
  const config: Stage1Config = { ...STAGE1_DEFAULTS, ...partial };
  const ipsBits = addressBitsFromPS(config.IPS);
  const oaBits = ipsBits === undefined ? undefined : Math.min(ipsBits, oasBits);
  if (oaBits === undefined) throw new EngineError(`IPS = ${config.IPS} is reserved; use 0..6 (32 to 52 bits)`, 'IPS');
  if (!Number.isInteger(config.TBI) || config.TBI < 0 || config.TBI > 3) throw new EngineError(`TBI = ${config.TBI} must be 0..3`, 'TBI');
  const ttbr0 = compileTtbr(config.TTB0, config.TG0, config.T0SZ, !config.EPD0, (config.TBI & 1) !== 0, config.HAD0,
    { ttb: 'TTB0', tg: 'TG0', tsz: 'T0SZ' }, false, oaBits, config.AFFD);
  const ttbr1 = config.EPD1 ? undefined : compileTtbr(config.TTB1, config.TG1, config.T1SZ, true, (config.TBI & 2) !== 0, config.HAD1,
    { ttb: 'TTB1', tg: 'TG1', tsz: 'T1SZ' }, true, oaBits, config.AFFD);
  return { config, ttbr0, ttbr1, oaBits, affd: config.AFFD };
}
