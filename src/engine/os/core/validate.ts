/**
 * Checking a Linux command's shape before anything runs, so that a bad step
 * is refused with a message that names the field, and never half-applied.
 * (The scenario format validates its JSON too; the engine does not rely on it.)
 */
import { EngineError } from '../../util/assert.ts';
import type { InflightDma, LinuxCallName } from './call-types.ts';

type Kind = 'string' | 'string?' | 'string|null' | 'bigint' | 'number' | 'group' | 'prot' | 'strings' | 'strings?' | 'fields';

const ARGS: Readonly<Record<LinuxCallName, Readonly<Record<string, Kind>>>> = {
  iommu_paging_domain_alloc: { dev: 'string', name: 'string' },
  iommu_paging_domain_alloc_flags: { dev: 'string', name: 'string', flags: 'strings' },
  iommu_domain_alloc: { name: 'string' },
  iommu_domain_free: { domain: 'string' },
  iommu_attach_group: { domain: 'string', group: 'group' },
  iommu_detach_group: { domain: 'string', group: 'group' },
  iommu_attach_device: { domain: 'string', dev: 'string' },
  iommu_detach_device: { domain: 'string', dev: 'string' },
  iommu_group_replace_domain: { group: 'group', domain: 'string|null' },
  iommu_group_claim_dma_owner: { group: 'group', owner: 'string' },
  iommu_group_release_dma_owner: { group: 'group' },
  iommu_device_claim_dma_owner: { dev: 'string', owner: 'string' },
  iommu_device_release_dma_owner: { dev: 'string' },
  iommu_device_use_default_domain: { dev: 'string', driver: 'string?' },
  iommu_device_unuse_default_domain: { dev: 'string' },
  iommu_map: { domain: 'string', iova: 'bigint', paddr: 'bigint', size: 'bigint', prot: 'prot' },
  iommu_unmap: { domain: 'string', iova: 'bigint', size: 'bigint' },
  iommu_iova_to_phys: { domain: 'string', iova: 'bigint' },
  iommu_attach_device_pasid: { domain: 'string', dev: 'string', pasid: 'number', handle: 'string?' },
  iommu_detach_device_pasid: { domain: 'string', dev: 'string', pasid: 'number' },
  iommu_replace_device_pasid: { domain: 'string', dev: 'string', pasid: 'number', handle: 'string?' },
  iommu_alloc_global_pasid: { dev: 'string' },
  iommu_free_global_pasid: { pasid: 'number' },
  iommu_sva_bind_device: { dev: 'string', mm: 'string' },
  iommu_sva_unbind_device: { handle: 'string' },
  iommu_sva_get_pasid: { handle: 'string' },
  mm_alloc: { name: 'string' },
  mm_map: { mm: 'string', va: 'bigint', paddr: 'bigint', size: 'bigint', prot: 'prot' },
  mm_unmap: { mm: 'string', va: 'bigint', size: 'bigint' },
  mm_exit: { mm: 'string' },
  iommu_group_store_type: { group: 'group', type: 'string' },
  iommufd_viommu_alloc: { name: 'string', parent: 'string', dev: 'string' },
  iommufd_vdevice_alloc: { viommu: 'string', dev: 'string', virtId: 'number' },
  iommufd_viommu_alloc_hwpt_nested: { name: 'string', viommu: 'string', vste: 'fields' },
  iommufd_hwpt_nested_alloc: { name: 'string', parent: 'string', dev: 'string', flags: 'strings?', vtdFlags: 'strings?', pgtblAddr: 'bigint', addrWidth: 'number' },
  iommufd_hwpt_invalidate: { domain: 'string', addr: 'bigint', npages: 'bigint' },
  dma_set_mask: { dev: 'string', bits: 'number' },
  dma_map_single: { dev: 'string', paddr: 'bigint', size: 'bigint', dir: 'string' },
  dma_unmap_single: { dev: 'string', dmaAddr: 'bigint', size: 'bigint', dir: 'string' },
  dma_map_sg: { dev: 'string', dir: 'string' },
  dma_unmap_sg: { dev: 'string', dmaAddr: 'bigint', dir: 'string' },
  fq_flush_timeout: { domain: 'string' },
  iommu_get_group_resv_regions: { group: 'group' },
  iommu_get_msi_cookie: { domain: 'string', base: 'bigint' },
  iommu_dma_prepare_msi: { dev: 'string', msiAddr: 'bigint' },
  pci_enable_pasid: { dev: 'string' },
  pci_disable_pasid: { dev: 'string' },
  pci_enable_ats: { dev: 'string', ps: 'number' },
  pci_disable_ats: { dev: 'string' },
  pci_enable_pri: { dev: 'string', reqs: 'number' },
  pci_disable_pri: { dev: 'string' },
  ats_translate: { dev: 'string', iova: 'bigint' },
};

export const LINUX_CALLS = Object.keys(ARGS) as LinuxCallName[];

function ok(kind: Kind, v: unknown): boolean {
  switch (kind) {
    case 'string': return typeof v === 'string';
    case 'string?': return v === undefined || typeof v === 'string';
    case 'string|null': return v === null || typeof v === 'string';
    case 'bigint': return typeof v === 'bigint' && v >= 0n;
    case 'number': return typeof v === 'number' && Number.isInteger(v);
    case 'group': return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
    case 'prot': return typeof v === 'object' && v !== null && ['read', 'write', 'exec', 'priv'].every((k) => typeof (v as Record<string, unknown>)[k] === 'boolean');
    case 'strings': return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'strings?': return v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    case 'fields': return typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'bigint');
  }
}

const WHAT: Readonly<Record<Kind, string>> = {
  string: 'a name', 'string?': 'a name or nothing', 'string|null': 'a name or null', bigint: 'a 64-bit value (bigint)', number: 'a whole number',
  group: 'a group number or a device name', prot: '{ read, write, exec, priv } booleans', strings: 'a list of names', 'strings?': 'a list of names or nothing', fields: 'STE field values (bigint)',
};

export function validateCall(call: unknown, args: unknown): void {
  if (typeof call !== 'string' || !(call in ARGS)) throw new EngineError(`unknown kernel call "${String(call)}"; known: ${LINUX_CALLS.join(', ')}`, 'call');
  if (typeof args !== 'object' || args === null) throw new EngineError(`${call} needs args`, 'args');
  for (const [name, kind] of Object.entries(ARGS[call as LinuxCallName])) {
    if (!ok(kind, (args as Record<string, unknown>)[name])) throw new EngineError(`${call}: args.${name} must be ${WHAT[kind]}`, `args.${name}`);
  }
}

export function validateInflight(inflight: unknown): readonly InflightDma[] {
  if (inflight === undefined) return [];
  if (!Array.isArray(inflight)) throw new EngineError('inflight must be a list of DMAs', 'inflight');
  inflight.forEach((d: Partial<InflightDma>, i) => {
    const at = `inflight[${i}]`;
    if (typeof d?.device !== 'string') throw new EngineError(`${at}.device must be a device name`, `${at}.device`);
    if (typeof d.iova !== 'bigint') throw new EngineError(`${at}.iova must be a 64-bit value (bigint)`, `${at}.iova`);
    if (!d.access || !['read', 'write', 'exec'].includes(d.access.kind)) throw new EngineError(`${at}.access must be { kind: read | write | exec, privileged }`, `${at}.access`);
    if (d.at !== undefined && (!Number.isInteger(d.at) || d.at < 0)) throw new EngineError(`${at}.at must be a checkpoint index (0, 1, ...)`, `${at}.at`);
    if (d.pasid !== undefined && (!Number.isInteger(d.pasid) || d.pasid < 0)) throw new EngineError(`${at}.pasid must be a whole number`, `${at}.pasid`);
  });
  return inflight as readonly InflightDma[];
}
