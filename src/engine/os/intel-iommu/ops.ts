/** intel_iommu_ops as the core's IommuOps (drivers/iommu/intel/iommu.c, v6.16). */
import type { IommuOps } from '../core/iommu-ops.ts';
import { unitOf } from './driver-common.ts';
import { intelAttachDev, intelBlockingSetDevPasid, intelPagingSetDevPasid, intelProbeDevice } from './driver-attach.ts';
import { intelFinalise, intelFlushAll, intelFreePaging, intelIotlbSync, intelLegacyStage, intelPagingStage, intelPgtable } from './driver-domain.ts';
import { intelDomainAllocNested, intelNestedCacheInvalidateUser } from './driver-nested.ts';
import { intelMmInvalidate, intelMmRelease, intelSvaDomainAlloc, intelSvaDomainFree, intelSvaSetDevPasid } from './driver-sva.ts';
import { intelHw } from './hw.ts';

export const intelIommuOps: IommuOps = {
  name: 'intel-iommu',
  blockedDomain: 'blocking_domain',
  identityDomain: 'identity_domain',
  hw: intelHw,
  pasidBits: (ctx) => (unitOf(ctx).rootTable?.mode === 'scalable' && unitOf(ctx).features.pasid ? unitOf(ctx).features.pasidBits : 0),
  masterPasidLimit: (ctx) => (unitOf(ctx).rootTable?.mode === 'scalable' ? unitOf(ctx).features.pasidBits : 0),
  probeDevice: intelProbeDevice,
  pagingStage: intelPagingStage,
  legacyStage: intelLegacyStage,
  finalise: intelFinalise,
  freePaging: intelFreePaging,
  attachDev: intelAttachDev,
  pagingSetDevPasid: intelPagingSetDevPasid,
  svaSetDevPasid: intelSvaSetDevPasid,
  blockingSetDevPasid: intelBlockingSetDevPasid,
  pgtable: intelPgtable,
  iotlbSync: intelIotlbSync,
  flushIotlbAll: intelFlushAll,
  svaDomainAlloc: intelSvaDomainAlloc,
  svaDomainFree: intelSvaDomainFree,
  mmInvalidate: intelMmInvalidate,
  mmRelease: intelMmRelease,
  domainAllocNested: intelDomainAllocNested,
  cacheInvalidateUser: intelNestedCacheInvalidateUser,
};
