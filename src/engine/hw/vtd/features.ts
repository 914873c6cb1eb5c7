/**
 * What the modelled VT-d remapping unit implements, and the Capability and
 * Extended Capability registers that advertise it (bit positions as in
 * Linux's drivers/iommu/intel/iommu.h cap_* / ecap_* macros and QEMU's
 * intel_iommu_internal.h VTD_CAP_* / VTD_ECAP_*). The driver reads CAP and
 * ECAP before it programs anything; the model reads the same features when it
 * decides whether an entry is legal.
 */
import { EngineError } from '../../util/assert.ts';

export interface VtdFeatures {
  /** CAP.MGAW + 1: the widest input (DMA) address, 39/48/57. */
  readonly mgaw: number;
  /** Host address width: the widest output (physical) address. */
  readonly haw: number;
  /** CAP.SAGAW: bit 1 = 39-bit/3-level, bit 2 = 48-bit/4-level, bit 3 = 57-bit/5-level second-stage tables. */
  readonly sagaw: number;
  /** CAP.SLLPS: bit 0 = 2 MB, bit 1 = 1 GB second-stage large pages. */
  readonly sllps: number;
  /** CAP.FL1GP: 1 GB first-stage pages; CAP.FL5LP: 5-level first-stage paging. */
  readonly fl1gp: boolean;
  readonly fl5lp: boolean;
  /** CAP.CM: caching mode (a virtual IOMMU that caches not-present entries). */
  readonly cm: boolean;
  /** CAP.NFR + 1: how many fault recording registers. */
  readonly nfr: number;
  /** ECAP.SMTS: scalable-mode translation; FLTS / SLTS / NEST / PT: the PASID-granular translation types. */
  readonly smts: boolean;
  readonly flts: boolean;
  readonly slts: boolean;
  readonly nest: boolean;
  readonly pt: boolean;
  /** ECAP.PASID and ECAP.PSS + 1: PASID support and its width in bits. */
  readonly pasid: boolean;
  readonly pasidBits: number;
  /** ECAP.DT: device-TLBs (ATS); ECAP.SC: snoop control; ECAP.SRS: supervisor requests. */
  readonly dt: boolean;
  readonly sc: boolean;
  readonly srs: boolean;
}

export const VTD_PRESETS = {
  /** A current scalable-mode unit: first-stage (4- and 5-level), second-stage, nested, pass-through, 20-bit PASIDs. */
  scalable: {
    mgaw: 57, haw: 46, sagaw: 0b01100, sllps: 0b11, fl1gp: true, fl5lp: true, cm: false, nfr: 8,
    smts: true, flts: true, slts: true, nest: true, pt: true, pasid: true, pasidBits: 20, dt: true, sc: true, srs: true,
  },
  /** An older unit with legacy-mode root and context tables only: second-stage and pass-through. */
  legacy: {
    mgaw: 48, haw: 46, sagaw: 0b00100, sllps: 0b01, fl1gp: false, fl5lp: false, cm: false, nfr: 8,
    smts: false, flts: false, slts: true, nest: false, pt: true, pasid: false, pasidBits: 0, dt: true, sc: true, srs: false,
  },
  /** As QEMU's intel-iommu with x-scalable-mode=on,x-flts=on: first-stage 4-level only, one fault record. */
  qemu: {
    mgaw: 48, haw: 48, sagaw: 0b00110, sllps: 0b11, fl1gp: true, fl5lp: false, cm: false, nfr: 1,
    smts: true, flts: true, slts: true, nest: false, pt: true, pasid: true, pasidBits: 20, dt: false, sc: true, srs: false,
  },
} as const satisfies Record<string, VtdFeatures>;

export type VtdPreset = keyof typeof VTD_PRESETS;

/** Fault recording registers start at 0x220 (CAP.FRO counts 16-byte units), as QEMU places them. */
export const FRCD_OFFSET = 0x220;
/** The IOTLB registers (ECAP.IRO, 16-byte units) at 0xF0. */
const IOTLB_OFFSET = 0xf0;

export function validateVtdFeatures(f: VtdFeatures): void {
  if (![39, 48, 57].includes(f.mgaw)) throw new EngineError('mgaw must be 39, 48 or 57', 'mgaw');
  if (!Number.isInteger(f.haw) || f.haw < 32 || f.haw > 52) throw new EngineError('haw must be 32..52', 'haw');
  if ((f.sagaw & ~0b11110) !== 0 || f.sagaw === 0) throw new EngineError('sagaw must set some of bits 1..4 (39/48/57/64-bit)', 'sagaw');
  if (!Number.isInteger(f.nfr) || f.nfr < 1 || f.nfr > 256) throw new EngineError('nfr must be 1..256', 'nfr');
  if (!Number.isInteger(f.pasidBits) || f.pasidBits < 0 || f.pasidBits > 20) throw new EngineError('pasidBits must be 0..20', 'pasidBits');
  if (f.pasid && f.pasidBits === 0) throw new EngineError('a unit with PASID support needs pasidBits > 0', 'pasidBits');
  if ((f.flts || f.nest) && !f.smts) throw new EngineError('first-stage and nested translation exist only in scalable mode (ECAP.SMTS)', 'smts');
  if (f.nest && !(f.flts && f.slts)) throw new EngineError('nested translation needs both first- and second-stage (ECAP.FLTS and SLTS)', 'nest');
}

const b = (v: boolean | number, shift: number): bigint => BigInt(typeof v === 'boolean' ? (v ? 1 : 0) : v) << BigInt(shift);

/** The Capability Register (CAP_REG, offset 0x8). ND = 6: 16-bit domain IDs. */
export function capRegister(f: VtdFeatures): bigint {
  return b(6, 0) | b(f.cm, 7) | b(f.sagaw, 8) | b(f.mgaw - 1, 16) | b(FRCD_OFFSET >> 4, 24) | b(f.sllps, 34) | b(true, 39)
    | b(f.nfr - 1, 40) | b(18, 48) | b(f.fl1gp, 56) | b(f.fl5lp, 60);
}

/** The Extended Capability Register (ECAP_REG, offset 0x10). QI is always there: the model has no register-based invalidation. */
export function ecapRegister(f: VtdFeatures): bigint {
  return b(true, 1) | b(f.dt, 2) | b(f.pt, 6) | b(f.sc, 7) | b(IOTLB_OFFSET >> 4, 8) | b(f.nest, 26) | b(f.srs, 31)
    | b(f.pasid ? f.pasidBits - 1 : 0, 35) | b(f.pasid, 40) | b(f.smts, 43) | b(f.slts, 46) | b(f.flts, 47);
}

/** CAP/ECAP fields by the spec's names, for the register view. */
export const CAP_FIELDS = [
  ['ND', 2, 0], ['CM', 7, 7], ['SAGAW', 12, 8], ['MGAW', 21, 16], ['FRO', 33, 24], ['SLLPS', 37, 34], ['PSI', 39, 39],
  ['NFR', 47, 40], ['MAMV', 53, 48], ['FL1GP', 56, 56], ['FL5LP', 60, 60],
] as const;
export const ECAP_FIELDS = [
  ['QI', 1, 1], ['DT', 2, 2], ['PT', 6, 6], ['SC', 7, 7], ['IRO', 17, 8], ['NEST', 26, 26], ['SRS', 31, 31], ['PSS', 39, 35],
  ['PASID', 40, 40], ['SMTS', 43, 43], ['SLTS', 46, 46], ['FLTS', 47, 47],
] as const;

/** Second-stage levels allowed by SAGAW: AW = levels - 2, SAGAW bit AW. */
export function sagawAllows(f: VtdFeatures, aw: number): boolean {
  return aw >= 1 && aw <= 3 && ((f.sagaw >> aw) & 1) === 1;
}
