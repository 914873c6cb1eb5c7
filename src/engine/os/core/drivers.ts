/** The IOMMU drivers the core can run on, by the name linux.boot's `iommu` gives. */
import { armSmmuV3Ops } from '../arm-smmu-v3/ops.ts';
import { intelIommuOps } from '../intel-iommu/ops.ts';
import type { IommuDriverName, IommuOps } from './iommu-ops.ts';

export function driverOps(name: IommuDriverName | undefined): IommuOps {
  return name === 'intel-iommu' ? intelIommuOps : armSmmuV3Ops;
}
