/**
 * DMA-remapping fault reasons (VT-d spec, "Fault Reasons"): the number a
 * fault record carries, the name QEMU's VTDFaultReason gives it (or ours in
 * the same style where QEMU has none), the text Linux's dmar.c prints for
 * it, and the spec's condition code where one could be pinned (QEMU and
 * OpenVMM cite SGN.1, SGN.8, SFS.10; the SRT/SCT/SPD/SPT/SSS/SGN numbering
 * follows the spec's table order, as OpenVMM's vtd registers list it).
 *
 * "Qualified" faults are suppressed when FPD is set in the entry that
 * governs the request; unqualified ones (failures to read the root table,
 * context table, PASID directory or table) are always recorded
 * (QEMU vtd_qualified_faults).
 */

export interface FaultReason {
  readonly code: number;
  readonly name: string;
  readonly text: string;
  readonly condition?: string;
  readonly qualified: boolean;
}

const R = (code: number, name: string, text: string, qualified: boolean, condition?: string): FaultReason =>
  ({ code, name, text, qualified, ...(condition ? { condition } : {}) });

export const FAULT_REASONS: readonly FaultReason[] = [
  // Legacy mode (dma_remap_fault_reasons[] in dmar.c, VTDFaultReason 0x1-0xE).
  R(0x01, 'ROOT_ENTRY_P', 'Present bit in root entry is clear', false),
  R(0x02, 'CONTEXT_ENTRY_P', 'Present bit in context entry is clear', true),
  R(0x03, 'CONTEXT_ENTRY_INV', 'Invalid context entry', true),
  R(0x04, 'ADDR_BEYOND_MGAW', 'Access beyond MGAW', true),
  R(0x05, 'WRITE', 'PTE Write access is not set', true),
  R(0x06, 'READ', 'PTE Read access is not set', true),
  R(0x07, 'PAGING_ENTRY_INV', 'Next page table ptr is invalid', true),
  R(0x08, 'ROOT_TABLE_INV', 'Root table address invalid', false),
  R(0x09, 'CONTEXT_TABLE_INV', 'Context table ptr is invalid', false),
  R(0x0a, 'ROOT_ENTRY_RSVD', 'non-zero reserved fields in RTP', false),
  R(0x0b, 'CONTEXT_ENTRY_RSVD', 'non-zero reserved fields in CTP', true),
  R(0x0c, 'PAGING_ENTRY_RSVD', 'non-zero reserved fields in PTE', true),
  R(0x0d, 'CONTEXT_ENTRY_TT', 'PCE for translation request specifies blocking', true),
  R(0x0e, 'INTERRUPT_ADDR', 'Output address in the interrupt address range', true, 'LGN.4'),
  // Scalable mode (dma_remap_sm_fault_reasons[] in dmar.c, from 0x30).
  R(0x30, 'SM_RTADDR_INV', 'SM: Invalid Root Table Address', false, 'RTA.1'),
  R(0x31, 'SM_TTM0_PASID', 'SM: TTM 0 for request with PASID', false, 'RTA.2'),
  R(0x38, 'SM_ROOT_ACCESS_ERR', 'SM: Error attempting to access Root Entry', false, 'SRT.1'),
  R(0x39, 'SM_ROOT_ENTRY_P', 'SM: Present bit in Root Entry is clear', false, 'SRT.2'),
  R(0x3a, 'SM_ROOT_ENTRY_RSVD', 'SM: Non-zero reserved field set in Root Entry', false, 'SRT.3'),
  R(0x40, 'SM_CONTEXT_ACCESS_ERR', 'SM: Error attempting to access Context Entry', false, 'SCT.1'),
  R(0x41, 'SM_CONTEXT_ENTRY_P', 'SM: Present bit in Context Entry is clear', true, 'SCT.2'),
  R(0x42, 'SM_CONTEXT_ENTRY_RSVD', 'SM: Non-zero reserved field set in the Context Entry', true, 'SCT.3'),
  R(0x43, 'SM_CONTEXT_ENTRY_INV', 'SM: Invalid Context Entry', true, 'SCT.4'),
  R(0x44, 'SM_CONTEXT_DTE', 'SM: DTE field in Context Entry is clear', true, 'SCT.5'),
  R(0x45, 'SM_CONTEXT_PASIDE', 'SM: PASID Enable field in Context Entry is clear', true, 'SCT.6'),
  R(0x46, 'SM_PASID_BEYOND_PDTS', 'SM: PASID is larger than the max in Context Entry', true, 'SCT.7'),
  R(0x50, 'PASID_DIR_ACCESS_ERR', 'SM: Error attempting to access the PASID Directory Entry', false, 'SPD.1'),
  R(0x51, 'PASID_DIR_ENTRY_P', 'SM: Present bit in Directory Entry is clear', true, 'SPD.2'),
  R(0x52, 'PASID_DIR_ENTRY_RSVD', 'SM: Non-zero reserved field set in PASID Directory Entry', true, 'SPD.3'),
  R(0x58, 'PASID_TABLE_ACCESS_ERR', 'SM: Error attempting to access PASID Table Entry', false, 'SPT.1'),
  R(0x59, 'PASID_ENTRY_P', 'SM: Present bit in PASID Table Entry is clear', true, 'SPT.2'),
  R(0x5a, 'PASID_ENTRY_RSVD', 'SM: Non-zero reserved field set in PASID Table Entry', true, 'SPT.3'),
  R(0x5b, 'PASID_TABLE_ENTRY_INV', 'SM: Invalid Scalable-Mode PASID Table Entry', true, 'SPT.4'),
  R(0x5c, 'PASID_ENTRY_ERE', 'SM: ERE field is clear in PASID Table Entry', true, 'SPT.5'),
  R(0x5d, 'PASID_ENTRY_SRE', 'SM: SRE field is clear in PASID Table Entry', true, 'SPT.6'),
  R(0x70, 'FS_PAGING_ENTRY_INV', 'SM: Error attempting to access first-level paging entry', true, 'SFS.1'),
  R(0x71, 'FS_PAGING_ENTRY_P', 'SM: Present bit in first-level paging entry is clear', true, 'SFS.2'),
  R(0x72, 'FS_PAGING_ENTRY_RSVD', 'SM: Non-zero reserved field set in first-level paging entry', true, 'SFS.3'),
  R(0x73, 'PASID_ENTRY_FSPTPTR_INV', 'SM: Error attempting to access FL-PML4 entry', true, 'SFS.4'),
  R(0x74, 'NESTED_FS_BEYOND_MGAW', 'SM: First-level entry address beyond MGAW in Nested translation', true, 'SFS.5'),
  R(0x75, 'NESTED_FS_ROOT_READ', 'SM: Read permission error in FL-PML4 entry in Nested translation', true, 'SFS.6'),
  R(0x76, 'NESTED_FS_READ', 'SM: Read permission error in first-level paging entry in Nested translation', true, 'SFS.7'),
  R(0x77, 'NESTED_FS_WRITE', 'SM: Write permission error in first-level paging entry in Nested translation', true, 'SFS.8'),
  R(0x78, 'SS_PAGING_ENTRY_INV', 'SM: Error attempting to access second-level paging entry', true, 'SSS.1'),
  R(0x79, 'SS_PAGING_ENTRY_P', 'SM: Read/Write permission error in second-level paging entry', true, 'SSS.2'),
  R(0x7a, 'SS_PAGING_ENTRY_RSVD', 'SM: Non-zero reserved field set in second-level paging entry', true, 'SSS.3'),
  R(0x7b, 'PASID_ENTRY_SSPTPTR_INV', 'SM: Invalid second-level page table pointer', true, 'SSS.4'),
  R(0x80, 'FS_NON_CANONICAL', 'SM: Address in first-level translation is not canonical', true, 'SGN.1'),
  R(0x81, 'FS_PAGING_ENTRY_US', 'SM: U/S set 0 for first-level translation with user privilege', true, 'SGN.2'),
  R(0x82, 'FS_EXECUTE', 'SM: No execute permission for request with PASID and ER=1', true, 'SGN.3'),
  R(0x83, 'SM_ADDR_BEYOND_HAW', 'SM: Address beyond the DMA hardware max', true, 'SGN.4'),
  R(0x84, 'SS_ADDR_BEYOND_AGAW', 'SM: Second-level entry address beyond the max', true, 'SGN.5'),
  R(0x85, 'SM_WRITE', 'SM: No write permission for Write/AtomicOp request', true, 'SGN.6'),
  R(0x86, 'SM_READ', 'SM: No read permission for Read/AtomicOp request', true, 'SGN.7'),
  R(0x87, 'SM_INTERRUPT_ADDR', 'SM: Invalid address-interrupt address', true, 'SGN.8'),
];

const BY_CODE = new Map(FAULT_REASONS.map((r) => [r.code, r]));
const BY_NAME = new Map(FAULT_REASONS.map((r) => [r.name, r]));

export function faultReason(code: number): FaultReason {
  return BY_CODE.get(code) ?? { code, name: 'UNKNOWN', text: 'Unknown', qualified: false };
}

export type FaultReasonName = (typeof FAULT_REASONS)[number]['name'];

/** The code of a reason by its name; a typo is a programming error, so it throws. */
export function reasonCode(name: string): number {
  const r = BY_NAME.get(name);
  if (!r) throw new Error(`no VT-d fault reason named ${name}`);
  return r.code;
}
