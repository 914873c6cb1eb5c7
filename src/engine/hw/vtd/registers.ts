/**
 * The remapping unit's registers that the model implements (VT-d spec,
 * "Register Descriptions"; offsets as Linux's DMAR_*_REG and QEMU's
 * intel_iommu_internal.h). Everything else reads as zero and ignores writes.
 */

export const VTD_REGISTERS = {
  VER: 0x0, CAP: 0x8, ECAP: 0x10, GCMD: 0x18, GSTS: 0x1c, RTADDR: 0x20, FSTS: 0x34, FECTL: 0x38,
  IQH: 0x80, IQT: 0x88, IQA: 0x90, ICS: 0x9c,
} as const;

export type VtdRegisterName = keyof typeof VTD_REGISTERS;
export const VTD_REGISTER_NAMES = Object.keys(VTD_REGISTERS) as VtdRegisterName[];
/** Registers software may write (the rest are read-only or status). */
export const WRITABLE: readonly VtdRegisterName[] = ['GCMD', 'RTADDR', 'FSTS', 'FECTL', 'IQT', 'IQA', 'ICS'];

/** GCMD / GSTS bits: TE (translation enable), SRTP / RTPS (set root table pointer), QIE / QIES (queued invalidation). */
export const GCMD = { TE: 1n << 31n, SRTP: 1n << 30n, QIE: 1n << 26n } as const;
export const GSTS = { TES: 1n << 31n, RTPS: 1n << 30n, QIES: 1n << 26n } as const;
/** RTADDR.TTM (bits 11:10): 00 legacy, 01 scalable mode, 11 abort DMA. */
export const RTADDR_TTM_SHIFT = 10n;
/** IQA: base 63:12, DW bit 11 (256-bit descriptors), QS 2:0 (2^QS 4 KB pages). */
export const IQA_DW = 1n << 11n;
/** FSTS bits: PFO 0, PPF 1, IQE 4, FRI 15:8. ICS: IWC 0. */
export const FSTS = { PFO: 1n, PPF: 2n, IQE: 0x10n } as const;

export const REGISTER_FIELDS: Readonly<Partial<Record<VtdRegisterName, readonly (readonly [string, number, number])[]>>> = {
  GCMD: [['TE', 31, 31], ['SRTP', 30, 30], ['QIE', 26, 26]],
  GSTS: [['TES', 31, 31], ['RTPS', 30, 30], ['QIES', 26, 26]],
  RTADDR: [['RTA', 63, 12], ['TTM', 11, 10]],
  FSTS: [['FRI', 15, 8], ['IQE', 4, 4], ['PPF', 1, 1], ['PFO', 0, 0]],
  IQA: [['IQA', 63, 12], ['DW', 11, 11], ['QS', 2, 0]],
  IQH: [['QH', 18, 4]],
  IQT: [['QT', 18, 4]],
  ICS: [['IWC', 0, 0]],
};
