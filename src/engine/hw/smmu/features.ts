/**
 * What the modelled SMMU implements, and the read-only ID registers that
 * advertise it (SMMU_IDR0, IDR1, IDR3, IDR5; bit positions as in Linux's
 * arm-smmu-v3.h). A driver reads these before it programs anything; so does
 * the model, when it decides whether an STE or CD is legal.
 */
import { EngineError } from '../../util/assert.ts';

export interface SmmuFeatures {
  /** IDR0.S1P / S2P: stage 1 and stage 2 translation. */
  readonly stage1: boolean;
  readonly stage2: boolean;
  /** IDR0.ST_LEVEL: 2-level stream tables. */
  readonly twoLevelStreamTable: boolean;
  /** IDR0.CD2L: 2-level CD tables. */
  readonly twoLevelCdTable: boolean;
  readonly ats: boolean;
  readonly pri: boolean;
  /** IDR0.HTTU: hardware access-flag (and dirty) updates. */
  readonly httu: boolean;
  /** IDR0.STALL_MODEL: stalling faults supported. */
  readonly stall: boolean;
  readonly asid16: boolean;
  readonly vmid16: boolean;
  /** IDR0.HYP: EL2 StreamWorld. */
  readonly hyp: boolean;
  /** IDR1.SIDSIZE and SSIDSIZE, in bits. */
  readonly sidBits: number;
  readonly ssidBits: number;
  /** IDR1.CMDQS / EVTQS: log2 of the largest queues. */
  readonly cmdqLog2: number;
  readonly evtqLog2: number;
  /** IDR5.OAS in bits (32..52). */
  readonly oasBits: number;
  readonly granules: { readonly g4k: boolean; readonly g16k: boolean; readonly g64k: boolean };
}

export const FEATURE_PRESETS = {
  /** Everything this model knows how to do. */
  full: {
    stage1: true, stage2: true, twoLevelStreamTable: true, twoLevelCdTable: true, ats: true, pri: true, httu: false,
    stall: false, asid16: true, vmid16: true, hyp: true, sidBits: 16, ssidBits: 20, cmdqLog2: 8, evtqLog2: 8,
    oasBits: 48, granules: { g4k: true, g16k: true, g64k: true },
  },
  /**
   * As QEMU's smmuv3 device advertises itself by default: stage 1 only,
   * linear CD tables, 16-bit StreamIDs, 44-bit OAS, no ATS/PRI/stall/HTTU.
   */
  qemu: {
    stage1: true, stage2: false, twoLevelStreamTable: true, twoLevelCdTable: false, ats: false, pri: false, httu: false,
    stall: false, asid16: true, vmid16: true, hyp: false, sidBits: 16, ssidBits: 16, cmdqLog2: 19, evtqLog2: 19,
    oasBits: 44, granules: { g4k: true, g16k: true, g64k: true },
  },
} as const satisfies Record<string, SmmuFeatures>;

export type FeaturePreset = keyof typeof FEATURE_PRESETS;

const OAS_ENCODING: Record<number, number> = { 32: 0, 36: 1, 40: 2, 42: 3, 44: 4, 48: 5, 52: 6 };

export function validateFeatures(f: SmmuFeatures): void {
  if (!f.stage1 && !f.stage2) throw new EngineError('an SMMU must support stage 1 or stage 2', 'stage1');
  if (!(f.sidBits >= 0 && f.sidBits <= 32)) throw new EngineError('sidBits must be 0..32', 'sidBits');
  if (!(f.ssidBits >= 0 && f.ssidBits <= 20)) throw new EngineError('ssidBits must be 0..20', 'ssidBits');
  if (OAS_ENCODING[f.oasBits] === undefined) throw new EngineError('oasBits must be one of 32, 36, 40, 42, 44, 48, 52', 'oasBits');
  if (!f.granules.g4k && !f.granules.g16k && !f.granules.g64k) throw new EngineError('at least one granule must be supported', 'granules');
}

const b = (v: boolean, bit: number) => (v ? 1 << bit : 0);

/** SMMU_IDR0 as the model advertises it. */
export function idr0(f: SmmuFeatures): number {
  return (b(f.stage2, 0) | b(f.stage1, 1) | (2 << 2) /* TTF = AArch64 */ | b(f.httu, 6) | b(f.hyp, 9) | b(f.ats, 10)
    | b(f.asid16, 12) | (1 << 13) /* MSI */ | b(f.pri, 16) | b(f.vmid16, 18) | b(f.twoLevelCdTable, 19)
    | ((f.stall ? 0 : 2) << 24) /* STALL_MODEL: 2 = stall not supported */
    | ((f.twoLevelStreamTable ? 1 : 0) << 27)) >>> 0;
}

export function idr1(f: SmmuFeatures): number {
  return (f.sidBits | (f.ssidBits << 6) | (f.evtqLog2 << 16) | (f.cmdqLog2 << 21)) >>> 0;
}

export function idr5(f: SmmuFeatures): number {
  return ((OAS_ENCODING[f.oasBits] as number) | b(f.granules.g4k, 4) | b(f.granules.g16k, 5) | b(f.granules.g64k, 6)) >>> 0;
}

/** Whether a TG0/S2TG-encoded granule (0 = 4KB, 1 = 64KB, 2 = 16KB) is implemented. */
export function granuleSupported(f: SmmuFeatures, tg0Encoding: number): boolean {
  return tg0Encoding === 0 ? f.granules.g4k : tg0Encoding === 1 ? f.granules.g64k : tg0Encoding === 2 ? f.granules.g16k : false;
}
