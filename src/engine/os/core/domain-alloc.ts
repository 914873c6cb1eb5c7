/**
 * Making and freeing domains: iommu_paging_domain_alloc(_flags) (complete at
 * once, no hardware write), the legacy iommu_domain_alloc(bus) (finalised at
 * first attach, as arm-smmu-v3 did up to v6.8), iommu_domain_free, and the
 * driver's two static domains.
 */
import { EngineError } from '../../util/assert.ts';
import type { CallContext } from './context.ts';
import type { DomainTypeName } from './domain-type.ts';
import type { IommuOps } from './iommu-ops.ts';
import { deviceNamed, domainNamed } from './state.ts';
import type { DomainOp, IommuDomain, LinuxState, Ret } from './types.ts';

export const BLOCKED_DOMAIN = 'arm_smmu_blocked_domain';
export const IDENTITY_DOMAIN = 'arm_smmu_identity_domain';

/** arm_smmu_ops.default_domain_ops: every op a paging domain has. */
export const PAGING_OPS: readonly DomainOp[] = ['attach_dev', 'set_dev_pasid', 'map_pages', 'unmap_pages', 'iova_to_phys', 'flush_iotlb_all', 'iotlb_sync', 'free'];

/** The driver's global static domains: one blocked and one identity domain, shared by every group, never freed. */
export function staticDomains(driver?: IommuOps): IommuDomain[] {
  const base = { isStatic: true, owner: driver?.name ?? 'arm-smmu-v3' as const, pgsizeBitmap: 0n, geometry: null, cookie: 'none' as const, smmu: null, nested: null, mappings: [] };
  return [
    { ...base, name: driver?.blockedDomain ?? BLOCKED_DOMAIN, type: 'BLOCKED', ops: ['attach_dev', 'set_dev_pasid'] },
    { ...base, name: driver?.identityDomain ?? IDENTITY_DOMAIN, type: 'IDENTITY', ops: ['attach_dev'] },
  ];
}

export function newPagingDomain(name: string, type: DomainTypeName, stage: 1 | 2, nestParent: boolean, owner: IommuDomain['owner'] = 'arm-smmu-v3'): IommuDomain {
  return {
    name, type, ops: PAGING_OPS, isStatic: false, owner, pgsizeBitmap: 0n, geometry: null,
    cookie: type === 'DMA' || type === 'DMA_FQ' ? 'dma-iova' : 'none',
    smmu: { stage, finalised: false, asid: null, vmid: null, pgtable: null, pgtableRoot: null, nestParent, devices: [] }, nested: null, mappings: [],
  };
}

export function checkNewName(ctx: CallContext, name: string): void {
  if (typeof name !== 'string' || name === '') throw new EngineError('a domain needs a name', 'name');
  if (ctx.linux.domains.some((d) => d.name === name)) throw new EngineError(`there is already a domain named "${name}"`, 'name');
  if (ctx.s.tables.has(name)) throw new EngineError(`"${name}" is already the name of a page table; domains and page tables share names`, 'name');
}

const KNOWN_FLAGS = ['IOMMU_HWPT_ALLOC_NEST_PARENT', 'IOMMU_HWPT_ALLOC_PASID', 'IOMMU_HWPT_ALLOC_DIRTY_TRACKING'];

/** __iommu_paging_domain_alloc_flags with arm_smmu_domain_alloc_paging_flags. */
export function pagingDomainAlloc(ctx: CallContext, devName: string, name: string, flags: readonly string[], type: DomainTypeName = 'UNMANAGED'): Ret {
  checkNewName(ctx, name);
  const dev = deviceNamed(ctx.linux, devName);
  if (!dev.iommu) return 'ENODEV';
  if (flags.some((x) => !KNOWN_FLAGS.includes(x))) return 'EOPNOTSUPP';
  const shape = ctx.ops.pagingStage(ctx, flags);
  if (typeof shape === 'string') return shape;
  const d = newPagingDomain(name, type, shape.stage, shape.nestParent, ctx.ops.name);
  ctx.linux.domains.push(d);
  const r = ctx.ops.finalise(ctx, d);
  if (r !== 0) ctx.linux.domains = ctx.linux.domains.filter((x) => x !== d);
  return r;
}

/** iommu_domain_alloc(bus), up to about v6.12: NULL (here ENODEV) when no device has an IOMMU; finalised at first attach. */
export function legacyDomainAlloc(ctx: CallContext, name: string): Ret {
  checkNewName(ctx, name);
  if (!ctx.linux.devices.some((d) => d.iommu)) return 'ENODEV';
  ctx.linux.domains.push(newPagingDomain(name, 'UNMANAGED', ctx.ops.legacyStage(ctx), false, ctx.ops.name));
  return 0;
}

/** Who still uses a domain: a reason per user, empty when it can be freed. */
export function domainUsers(linux: LinuxState, name: string): string[] {
  const out: string[] = [];
  for (const g of linux.groups) {
    if (g.domain === name) out.push(`group ${g.id} is attached to it`);
    else if (g.defaultDomain === name) out.push(`it is group ${g.id}'s default_domain`);
    if (g.pasidArray.some((p) => p.domain === name)) out.push(`a PASID of group ${g.id} is attached to it`);
  }
  for (const m of linux.masters) if (m.ridDomain === name && !out.some((x) => x.includes('attached'))) out.push(`${m.device}'s STE still points at it`);
  for (const v of linux.viommus) if (v.parent === name) out.push(`vIOMMU ${v.name} sits on it`);
  for (const d of linux.domains) if (d.nested?.viommu && linux.viommus.find((v) => v.name === d.nested?.viommu)?.parent === name) out.push(`nested domain ${d.name} translates through it`);
  for (const d of linux.domains) if (d.intel?.nested?.parent === name) out.push(`nested domain ${d.name} translates through it`);
  return [...new Set(out)];
}

/** iommu_domain_free: the driver's free op; the core does not check that the domain is unused. */
export function domainFree(ctx: CallContext, name: string): Ret {
  const d = domainNamed(ctx.linux, name);
  if (d.isStatic) {
    ctx.warn(`${name} is a static domain: it has no free op, nothing happens`);
    return 0;
  }
  const users = domainUsers(ctx.linux, name);
  if (users.length > 0) {
    ctx.finding({ rule: 'free-while-attached', message: `iommu_domain_free(${name}) while ${users.join('; ')}: in the kernel a use-after-free. The model keeps the domain.` });
    return 0;
  }
  ctx.ops.freePaging(ctx, d);
  ctx.linux.domains = ctx.linux.domains.filter((x) => x !== d);
  return 0;
}
