/**
 * arm_smmu_ops as the core's IommuOps: the arm-smmu-v3 driver functions the
 * core used to call directly, unchanged, behind the seam.
 */
import { endpointRequest } from '../../hw/pci/requester.ts';
import { runDma } from '../../hw/smmu/dma.ts';
import type { CallContext } from '../core/context.ts';
import type { IommuOps } from '../core/iommu-ops.ts';
import { peekContext } from '../core/transition.ts';
import { armSmmuAttachDev } from './driver-attach.ts';
import { armSmmuDomainFinalise, armSmmuDomainFreePaging } from './driver-domain.ts';
import { LINEAR_CDMAX, armSmmuProbeDevice } from './driver-master.ts';
import { armSmmuBlockingSetDevPasid, armSmmuS1SetDevPasid } from './driver-pasid.ts';
import { armSmmuMmInvalidateSecondaryTlbs, armSmmuMmRelease, armSmmuSvaDomainAlloc, armSmmuSvaDomainFree, armSmmuSvaSetDevPasid } from './driver-sva.ts';
import { flushDomainTlb, invalidateUnmapped } from './driver-tlb.ts';

function pgtableOf(ctx: CallContext, name: string | null | undefined) {
  const t = ctx.s.tables.get(name ?? '');
  if (!t) throw new Error(`model bug: no page table named ${name}`);
  return t.pgtable;
}

export const armSmmuV3Ops: IommuOps = {
  name: 'arm-smmu-v3',
  blockedDomain: 'arm_smmu_blocked_domain',
  identityDomain: 'arm_smmu_identity_domain',
  hw: (ctx) => ({
    endpoints: ctx.smmu.endpoints,
    request: (tx) => ({ outcome: endpointRequest(ctx.smmu, tx) }),
    dma: (tx) => ({ outcome: ctx.smmu.dma(tx) }),
    peeker: () => {
      const peek = peekContext(ctx.smmu);
      return (tx) => runDma(peek, tx);
    },
  }),
  pasidBits: (ctx) => ctx.smmu.features.ssidBits,
  masterPasidLimit: (ctx) => Math.min(ctx.smmu.features.ssidBits, LINEAR_CDMAX),
  probeDevice: armSmmuProbeDevice,
  pagingStage: (ctx, flags) => {
    const f = ctx.smmu.features;
    const nestParent = flags.includes('IOMMU_HWPT_ALLOC_NEST_PARENT');
    // ARM_SMMU_FEAT_NESTING needs both stages; dirty tracking needs HTTU and stage 1; PASID needs stage 1.
    if (nestParent && !(f.stage1 && f.stage2)) return 'EOPNOTSUPP';
    if (flags.includes('IOMMU_HWPT_ALLOC_DIRTY_TRACKING') && (!f.httu || !f.stage1 || nestParent)) return 'EOPNOTSUPP';
    if (flags.includes('IOMMU_HWPT_ALLOC_PASID') && !f.stage1) return 'EOPNOTSUPP';
    return { stage: nestParent || !f.stage1 ? 2 : 1, nestParent };
  },
  legacyStage: (ctx) => (ctx.smmu.features.stage1 ? 1 : 2),
  finalise: armSmmuDomainFinalise,
  freePaging: armSmmuDomainFreePaging,
  attachDev: armSmmuAttachDev,
  pagingSetDevPasid: armSmmuS1SetDevPasid,
  svaSetDevPasid: armSmmuSvaSetDevPasid,
  blockingSetDevPasid: armSmmuBlockingSetDevPasid,
  pgtable: (ctx, d) => pgtableOf(ctx, d.smmu?.pgtable),
  iotlbSync: invalidateUnmapped,
  flushIotlbAll: flushDomainTlb,
  svaDomainAlloc: armSmmuSvaDomainAlloc,
  svaDomainFree: armSmmuSvaDomainFree,
  mmInvalidate: armSmmuMmInvalidateSecondaryTlbs,
  mmRelease: armSmmuMmRelease,
};
