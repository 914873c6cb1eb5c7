/**
 * Linux's hitless STE/CD update ("used bits" algorithm of arm-smmu-v3.c):
 * used-bit masks, the write/sync plan, a checker for intermediate entries,
 * and the STE/CD makers the driver uses.
 */
export { ENTRY_QWORDS, ALL_BITS, hex64 } from './entry-words.ts';
export { steUsedBits, cdUsedBits, steUpdateSafeBits, S1DSS_VALUES, EATS_VALUES, VTCR_FIELD_NAMES } from './used-bits.ts';
export {
  planEntryUpdate,
  planSteUpdate,
  planCdUpdate,
  qwordDiff,
  type EntryKind,
  type PlanRequest,
  type SafeBitsFn,
  type SyncCommand,
  type UpdatePlan,
  type UpdateStep,
  type UpdateStrategy,
  type UsedBitsFn,
} from './plan.ts';
export { classifyIntermediate, isSafeIntermediate, type IntermediateKind } from './intermediate.ts';
export {
  makeAbortSte,
  makeBypassSte,
  makeCdTableSte,
  makeS2DomainSte,
  makeNestedSte,
  makeNestedDomainSte,
  DEFAULT_SMMU_FEATURES,
  CD_FETCH_ATTRS,
  SHCFG_INCOMING,
  STRW_VALUES,
  type LinuxSmmuFeatures,
  type BypassSteOptions,
  type CdTableSteOptions,
  type S2DomainSteOptions,
  type SteVtcr,
  type VirtualSte,
  type VirtualSteConfig,
  type NestedSteOptions,
} from './ste-makers.ts';
export { makeS1Cd, makeSvaCd, SVA_WALK_ATTRS, type S1CdOptions, type SvaCdOptions } from './cd-makers.ts';
