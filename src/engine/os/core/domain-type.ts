/**
 * Domain types as bit sets (include/linux/iommu.h): feature bits, and the
 * types made of them. BLOCKED is 0, so "is it blocked" is an equality test.
 */

export const __IOMMU_DOMAIN_PAGING = 1 << 0;
export const __IOMMU_DOMAIN_DMA_API = 1 << 1;
export const __IOMMU_DOMAIN_PT = 1 << 2;
export const __IOMMU_DOMAIN_DMA_FQ = 1 << 3;
export const __IOMMU_DOMAIN_SVA = 1 << 4;
export const __IOMMU_DOMAIN_PLATFORM = 1 << 5;
export const __IOMMU_DOMAIN_NESTED = 1 << 6;

export const IOMMU_DOMAIN = {
  BLOCKED: 0,
  IDENTITY: __IOMMU_DOMAIN_PT,
  UNMANAGED: __IOMMU_DOMAIN_PAGING,
  DMA: __IOMMU_DOMAIN_PAGING | __IOMMU_DOMAIN_DMA_API,
  DMA_FQ: __IOMMU_DOMAIN_PAGING | __IOMMU_DOMAIN_DMA_API | __IOMMU_DOMAIN_DMA_FQ,
  SVA: __IOMMU_DOMAIN_SVA,
  PLATFORM: __IOMMU_DOMAIN_PLATFORM,
  NESTED: __IOMMU_DOMAIN_NESTED,
} as const;

export type DomainTypeName = keyof typeof IOMMU_DOMAIN;

export function typeBits(t: DomainTypeName): number {
  return IOMMU_DOMAIN[t];
}

/** iommu_map/iommu_unmap accept only these (UNMANAGED, DMA, DMA_FQ). */
export function isPaging(t: DomainTypeName): boolean {
  return (IOMMU_DOMAIN[t] & __IOMMU_DOMAIN_PAGING) !== 0;
}

/** iommu_is_dma_domain: the DMA API owns it (DMA, DMA_FQ). */
export function isDmaDomain(t: DomainTypeName): boolean {
  return (IOMMU_DOMAIN[t] & __IOMMU_DOMAIN_DMA_API) !== 0;
}

/** The words sysfs "iommu_group/N/type" reads and writes, and iommu_domain_type_str. */
export const SYSFS_TYPE: Readonly<Record<string, DomainTypeName | 0>> = { identity: 'IDENTITY', DMA: 'DMA', 'DMA-FQ': 'DMA_FQ', auto: 0 };

export function typeString(t: DomainTypeName): string {
  switch (t) {
    case 'BLOCKED': return 'Blocked';
    case 'IDENTITY': return 'Passthrough';
    case 'UNMANAGED': return 'Unmanaged';
    case 'DMA': return 'Translated';
    case 'DMA_FQ': return 'Translated (lazy)';
    case 'SVA': return 'SVA';
    case 'PLATFORM': return 'Platform';
    case 'NESTED': return 'Nested';
  }
}
