/**
 * The Stream Table Entry: 64 bytes, eight qwords (SMMUv3 spec, "Stream Table
 * Entry"; bit positions as Linux's arm-smmu-v3.h and QEMU's smmuv3 model
 * encode them, and as the specification gives them for the fields neither
 * uses). Every field is named; those for features this model does not run
 * (Secure state, MPAM, FEAT_LPA2, VMSAv9-128, permission overlays) say so.
 */
import type { FieldSpec } from './fields.ts';

export const STE_QWORDS = 8;
export const STE_BYTES = 64;

const CACHEABILITY = { 0: 'Non-cacheable', 1: 'Write-Back, Read-Allocate', 2: 'Write-Through', 3: 'Write-Back' } as const;
const SHAREABILITY = { 0: 'Non-shareable', 2: 'Outer Shareable', 3: 'Inner Shareable' } as const;

export const STE_CONFIG = { abort: 0b000, bypass: 0b100, s1: 0b101, s2: 0b110, nested: 0b111 } as const;

export const STE_FIELDS: readonly FieldSpec[] = [
  { name: 'V', qword: 0, msb: 0, lsb: 0, doc: 'Valid. A stream whose STE has V = 0 is terminated with C_BAD_STE.' },
  {
    name: 'Config', qword: 0, msb: 3, lsb: 1, doc: 'What the SMMU does with the stream: abort, bypass, or translate by stage 1, stage 2 or both.',
    values: { 0: 'abort', 1: 'abort', 2: 'abort', 3: 'abort', 4: 'bypass', 5: 'stage 1 translate, stage 2 bypass', 6: 'stage 1 bypass, stage 2 translate', 7: 'nested: stage 1 and stage 2' },
  },
  { name: 'S1Fmt', qword: 0, msb: 5, lsb: 4, doc: 'Format of the CD table.', values: { 0: 'linear', 1: '2-level, 4KB leaf tables', 2: '2-level, 64KB leaf tables', 3: 'reserved' } },
  { name: 'S1ContextPtr', qword: 0, msb: 51, lsb: 6, kind: 'address', doc: 'Address of the CD table (or L1 CD table). An IPA when stage 2 is enabled.' },
  { name: 'S1CDMax', qword: 0, msb: 63, lsb: 59, doc: 'log2 of the number of CDs: SubstreamIDs 0 to 2^S1CDMax - 1 are valid; 0 means one CD and no SubstreamIDs.' },

  { name: 'S1DSS', qword: 1, msb: 1, lsb: 0, doc: 'Default SubstreamID behaviour: what a transaction without a SubstreamID gets.', values: { 0: 'terminate', 1: 'bypass stage 1', 2: 'use CD 0', 3: 'reserved' } },
  { name: 'S1CIR', qword: 1, msb: 3, lsb: 2, doc: 'Inner cacheability of CD table fetches.', values: CACHEABILITY },
  { name: 'S1COR', qword: 1, msb: 5, lsb: 4, doc: 'Outer cacheability of CD table fetches.', values: CACHEABILITY },
  { name: 'S1CSH', qword: 1, msb: 7, lsb: 6, doc: 'Shareability of CD table fetches.', values: SHAREABILITY },
  { name: 'DCP', qword: 1, msb: 17, lsb: 17, doc: 'Directed cache prefetch.' },
  { name: 'PPAR', qword: 1, msb: 18, lsb: 18, doc: 'PRI page request auto-response: include the PASID in the response.' },
  { name: 'MEV', qword: 1, msb: 19, lsb: 19, doc: 'Merge events: similar fault records may be merged.' },
  { name: 'S2FWB', qword: 1, msb: 25, lsb: 25, doc: 'Stage 2 forced write-back: stage 2 overrides the memory type.' },
  { name: 'S1STALLD', qword: 1, msb: 27, lsb: 27, doc: 'Stage 1 stall disable: stage-1 faults terminate rather than stall.' },
  { name: 'EATS', qword: 1, msb: 29, lsb: 28, doc: 'Enable PCIe ATS translation requests.', values: { 0: 'ATS aborted', 1: 'full ATS translation', 2: 'split-stage ATS (stage 1 only)', 3: 'reserved' } },
  { name: 'STRW', qword: 1, msb: 31, lsb: 30, doc: 'StreamWorld: the translation regime of the stream.', values: { 0: 'NS-EL1', 1: 'reserved', 2: 'EL2 (E2H)', 3: 'EL3' } },
  { name: 'MemAttr', qword: 1, msb: 35, lsb: 32, doc: 'Memory type override for bypassed traffic (used when MTCFG = 1).' },
  { name: 'MTCFG', qword: 1, msb: 36, lsb: 36, doc: 'Memory type: 0 = use incoming, 1 = replace with MemAttr.' },
  { name: 'ALLOCCFG', qword: 1, msb: 40, lsb: 37, doc: 'Allocation hints override.' },
  { name: 'SHCFG', qword: 1, msb: 45, lsb: 44, doc: 'Shareability for bypassed or stage-2-only traffic.', values: { 0: 'Non-shareable', 1: 'use incoming', 2: 'Outer Shareable', 3: 'Inner Shareable' } },
  { name: 'NSCFG', qword: 1, msb: 47, lsb: 46, doc: 'Security attribute override for bypassed traffic.' },
  { name: 'PRIVCFG', qword: 1, msb: 49, lsb: 48, doc: 'Privilege override: 0 = use incoming, 2 = unprivileged, 3 = privileged.' },
  { name: 'INSTCFG', qword: 1, msb: 51, lsb: 50, doc: 'Instruction/data override: 0 = use incoming, 2 = data, 3 = instruction.' },

  { name: 'S2VMID', qword: 2, msb: 15, lsb: 0, doc: 'Virtual Machine ID: tags stage-2 (and nested) TLB entries.' },
  { name: 'S2T0SZ', qword: 2, msb: 37, lsb: 32, doc: 'VTCR.T0SZ: the IPA size is 64 - S2T0SZ bits.' },
  { name: 'S2SL0', qword: 2, msb: 39, lsb: 38, doc: 'VTCR.SL0: starting level of the stage-2 walk (4KB: level 2 - SL0; 16KB/64KB: level 3 - SL0).' },
  { name: 'S2IR0', qword: 2, msb: 41, lsb: 40, doc: 'VTCR.IRGN0: inner cacheability of stage-2 table walks.', values: CACHEABILITY },
  { name: 'S2OR0', qword: 2, msb: 43, lsb: 42, doc: 'VTCR.ORGN0: outer cacheability of stage-2 table walks.', values: CACHEABILITY },
  { name: 'S2SH0', qword: 2, msb: 45, lsb: 44, doc: 'VTCR.SH0: shareability of stage-2 table walks.', values: SHAREABILITY },
  { name: 'S2TG', qword: 2, msb: 47, lsb: 46, doc: 'VTCR.TG0: stage-2 granule.', values: { 0: '4KB', 1: '64KB', 2: '16KB', 3: 'reserved' } },
  { name: 'S2PS', qword: 2, msb: 50, lsb: 48, doc: 'VTCR.PS: stage-2 output (physical) address size.', values: { 0: '32 bits', 1: '36 bits', 2: '40 bits', 3: '42 bits', 4: '44 bits', 5: '48 bits', 6: '52 bits' } },
  { name: 'S2AA64', qword: 2, msb: 51, lsb: 51, doc: 'Stage-2 tables are in the AArch64 (VMSAv8-64) format.' },
  { name: 'S2ENDI', qword: 2, msb: 52, lsb: 52, doc: 'Stage-2 tables are big-endian.' },
  { name: 'S2AFFD', qword: 2, msb: 53, lsb: 53, doc: 'Stage-2 access flag fault disable.' },
  { name: 'S2PTW', qword: 2, msb: 54, lsb: 54, doc: 'Protected table walk: a stage-1 walk that lands on stage-2 Device memory faults.' },
  { name: 'S2HD', qword: 2, msb: 55, lsb: 55, doc: 'Stage-2 hardware update of the dirty state.' },
  { name: 'S2HA', qword: 2, msb: 56, lsb: 56, doc: 'Stage-2 hardware update of the access flag.' },
  { name: 'S2S', qword: 2, msb: 57, lsb: 57, doc: 'Stage-2 faults stall rather than terminate.' },
  { name: 'S2R', qword: 2, msb: 58, lsb: 58, doc: 'Record stage-2 faults in the event queue.' },
  { name: 'S2HAFT', qword: 2, msb: 59, lsb: 59, doc: 'Stage-2 hardware update of the access flag in table descriptors (not modelled).' },
  { name: 'S2PIE', qword: 2, msb: 60, lsb: 60, doc: 'Stage-2 permission indirection (not modelled).' },
  { name: 'S2POE', qword: 2, msb: 61, lsb: 61, doc: 'Stage-2 permission overlay (not modelled).' },
  { name: 'DPT_VMATCH', qword: 2, msb: 63, lsb: 62, doc: 'VMID matching for Device Permission Table checks (not modelled).' },

  { name: 'S2NSW', qword: 3, msb: 0, lsb: 0, doc: 'Secure streams: NS bit of stage-2 walks through S2TTB (not modelled).' },
  { name: 'S2NSA', qword: 3, msb: 1, lsb: 1, doc: 'Secure streams: NS bit output by stage-2 Non-secure IPA translations (not modelled).' },
  { name: 'S2SL0_2', qword: 3, msb: 2, lsb: 2, doc: 'Bit [2] of S2SL0, with S2DS (FEAT_LPA2; not modelled).' },
  { name: 'S2DS', qword: 3, msb: 3, lsb: 3, doc: '52-bit addresses with 4KB/16KB stage-2 granules (FEAT_LPA2; not modelled).' },
  { name: 'S2TTB', qword: 3, msb: 51, lsb: 4, kind: 'address', doc: 'Stage-2 translation table base (a PA).' },
  { name: 'S2SKL', qword: 3, msb: 62, lsb: 61, doc: 'Skip levels of a VMSAv9-128 stage-2 walk (not modelled).' },

  // Qwords 4-7: Secure stage 2, MPAM, MEC, the VMS pointer and permission overlays (SMMUv3.2+). The model
  // runs Non-secure streams without these features, so it names them and otherwise leaves them alone.
  { name: 'IMPLEMENTATION_DEFINED', qword: 4, msb: 15, lsb: 0, doc: 'IMPLEMENTATION DEFINED.' },
  { name: 'PARTID', qword: 4, msb: 31, lsb: 16, doc: 'MPAM partition ID for this stream\'s accesses (not modelled).' },
  { name: 'S_S2T0SZ', qword: 4, msb: 37, lsb: 32, doc: 'Secure stage 2: size of the Secure IPA space (not modelled).' },
  { name: 'S_S2SL0', qword: 4, msb: 39, lsb: 38, doc: 'Secure stage 2: starting level (not modelled).' },
  { name: 'S_S2TG', qword: 4, msb: 47, lsb: 46, doc: 'Secure stage 2: granule (not modelled).' },
  { name: 'MECID', qword: 4, msb: 63, lsb: 48, doc: 'Memory Encryption Context ID for Realm streams (not modelled).' },
  { name: 'PMG', qword: 5, msb: 7, lsb: 0, doc: 'MPAM performance monitoring group (not modelled).' },
  { name: 'MPAM_NS', qword: 5, msb: 8, lsb: 8, doc: 'MPAM PARTID space for Secure streams (not modelled).' },
  { name: 'AssuredOnly', qword: 5, msb: 9, lsb: 9, doc: 'Stage-2 AssuredOnly checks (not modelled).' },
  { name: 'TL0', qword: 5, msb: 10, lsb: 10, doc: 'Stage-2 TopLevel0 check (not modelled).' },
  { name: 'TL1', qword: 5, msb: 11, lsb: 11, doc: 'Stage-2 TopLevel1 check (not modelled).' },
  { name: 'VMSPtr', qword: 5, msb: 55, lsb: 12, kind: 'address', doc: 'Virtual Machine Structure pointer (not modelled).' },
  { name: 'S2SW', qword: 6, msb: 0, lsb: 0, doc: 'Secure streams: NS bit of walks through S_S2TTB (not modelled).' },
  { name: 'S2SA', qword: 6, msb: 1, lsb: 1, doc: 'Secure streams: NS bit output by Secure IPA translations (not modelled).' },
  { name: 'S_S2SL0_2', qword: 6, msb: 2, lsb: 2, doc: 'Bit [2] of S_S2SL0 (not modelled).' },
  { name: 'S_S2TTB', qword: 6, msb: 51, lsb: 4, kind: 'address', doc: 'Secure stage-2 translation table base (not modelled).' },
  { name: 'S_S2SKL', qword: 6, msb: 62, lsb: 61, doc: 'Skip levels of a VMSAv9-128 Secure stage-2 walk (not modelled).' },
  { name: 'S2POI', qword: 7, msb: 63, lsb: 0, doc: 'Sixteen 4-bit stage-2 permission overlay interpretations, S2POI<p> in bits [4p+3:4p] (not modelled).' },
];

/** Level-1 stream table descriptor (8 bytes). */
export const L1STD_FIELDS: readonly FieldSpec[] = [
  { name: 'Span', qword: 0, msb: 4, lsb: 0, doc: 'The L2 table holds 2^(Span - 1) STEs; 0 means no L2 table (invalid).' },
  { name: 'L2Ptr', qword: 0, msb: 51, lsb: 6, kind: 'address', doc: 'Address of the L2 stream table.' },
];
