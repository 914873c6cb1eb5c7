/**
 * A user-space nested domain through iommufd on arm-smmu-v3 (v6.13+; seed
 * 001): the host owns the STE and a nesting-parent stage-2 domain (guest
 * IPA -> PA, with a VMID); the guest owns its whole CD table, at an IPA
 * named by S1ContextPtr in its vSTE, and the stage-1 tables behind it.
 * IOMMU_VIOMMU_ALLOC (arm_vsmmu_init), IOMMU_VDEVICE_ALLOC (the guest's
 * StreamID for a device) and IOMMU_HWPT_ALLOC on the vIOMMU
 * (arm_vsmmu_alloc_domain_nested, arm_smmu_validate_vste). Attaching the
 * result goes through the ordinary attach/replace calls.
 */
import { encodeFields, fieldMask, getField, type FieldValues } from '../../hw/smmu/fields.ts';
import { STE_CONFIG, STE_FIELDS } from '../../hw/smmu/ste-fields.ts';
import { EngineError } from '../../util/assert.ts';
import type { CallContext } from './context.ts';
import { checkNewName } from './domain-alloc.ts';
import { deviceNamed, domainNamed } from './state.ts';
import type { IommuDomain, LinuxState, Ret, VtdS1UserData } from './types.ts';

/** STRTAB_STE_0_NESTING_ALLOWED and STRTAB_STE_1_NESTING_ALLOWED: what a guest may set. */
const ALLOWED = [['V', 'Config', 'S1Fmt', 'S1ContextPtr', 'S1CDMax'], ['S1DSS', 'S1CIR', 'S1COR', 'S1CSH', 'S1STALLD', 'EATS']] as const;

function allowedMask(q: 0 | 1): bigint {
  return STE_FIELDS.filter((f) => f.qword === q && (ALLOWED[q] as readonly string[]).includes(f.name)).reduce((m, f) => m | fieldMask(f), 0n);
}

const field = (name: string) => STE_FIELDS.find((f) => f.name === name) as (typeof STE_FIELDS)[number];

export function viommuAlloc(ctx: CallContext, name: string, parentName: string, devName: string): Ret {
  if (ctx.linux.viommus.some((v) => v.name === name)) throw new EngineError(`there is already a vIOMMU named "${name}"`, 'name');
  const dev = deviceNamed(ctx.linux, devName);
  const parent = domainNamed(ctx.linux, parentName, 'parent');
  if (!dev.iommu) return 'ENODEV';
  // intel_iommu_ops has no viommu (get_viommu_size / viommu_init): a VT-d guest's table comes through iommufd_hwpt_nested_alloc.
  if (ctx.ops.name === 'intel-iommu') return 'EOPNOTSUPP';
  const f = ctx.smmu.features;
  // arm_smmu_get_viommu_size: no FEAT_NESTING, or a device that is not CANWBS on an SMMU without S2FWB -> no vIOMMU.
  if (!(f.stage1 && f.stage2) || !dev.canwbs) return 'EOPNOTSUPP';
  if (!parent.smmu?.nestParent || parent.smmu.vmid === null) return 'EINVAL';
  ctx.linux.viommus.push({ name, parent: parent.name, vmid: parent.smmu.vmid, vdevices: [] });
  return 0;
}

export function vdeviceAlloc(ctx: CallContext, viommuName: string, devName: string, virtId: number): Ret {
  const v = ctx.linux.viommus.find((x) => x.name === viommuName);
  if (!v) throw new EngineError(`no vIOMMU named "${viommuName}"`, 'viommu');
  const dev = deviceNamed(ctx.linux, devName);
  if (!dev.iommu) return 'ENODEV';
  if (!Number.isInteger(virtId) || virtId < 0) throw new EngineError('virtId must be a whole number', 'virtId');
  if (v.vdevices.some((x) => x.virtId === virtId || x.device === devName)) return 'EEXIST';
  v.vdevices.push({ device: devName, virtId });
  return 0;
}

export function hwptAllocNested(ctx: CallContext, name: string, viommuName: string, vste: Partial<FieldValues>): Ret {
  checkNewName(ctx, name);
  const v = ctx.linux.viommus.find((x) => x.name === viommuName);
  if (!v) throw new EngineError(`no vIOMMU named "${viommuName}"`, 'viommu');
  for (const k of Object.keys(vste)) {
    const f = STE_FIELDS.find((x) => x.name === k);
    if (f && f.qword > 1) throw new EngineError(`${k} is in STE qword ${f.qword}: a vSTE (struct iommu_hwpt_arm_smmuv3) has qwords 0 and 1 only`, `vste.${k}`);
  }
  let words = encodeFields(vste, STE_FIELDS, 2);
  let q0 = words[0] ?? 0n;
  let q1 = words[1] ?? 0n;
  let config: 'abort' | 'bypass' | 's1' = 'abort';
  let enableAts = false;
  if ((q0 & 1n) === 0n) {
    // An invalid vSTE is zeroed: it will give an abort STE.
    q0 = 0n;
    q1 = 0n;
  } else {
    // EIO is reserved for invalid STE data.
    if ((q0 & ~allowedMask(0)) !== 0n || (q1 & ~allowedMask(1)) !== 0n) return 'EIO';
    const cfg = Number(getField([q0], field('Config')));
    if (cfg !== STE_CONFIG.abort && cfg !== STE_CONFIG.bypass && cfg !== STE_CONFIG.s1) return 'EIO';
    const eats = Number(getField([q0, q1], field('EATS')));
    if (eats !== 0 && eats !== 1) return 'EIO';
    q1 &= ~fieldMask(field('EATS'));
    config = cfg === STE_CONFIG.s1 ? 's1' : cfg === STE_CONFIG.bypass ? 'bypass' : 'abort';
    enableAts = config === 's1' && eats === 1;
  }
  words = [q0, q1];
  ctx.linux.domains.push({
    name, type: 'NESTED', ops: ['attach_dev', 'free'], isStatic: false, owner: 'arm-smmu-v3', pgsizeBitmap: 0n, geometry: null,
    cookie: 'iommufd', smmu: null, nested: { viommu: v.name, vste: [words[0] as bigint, words[1] as bigint], config, enableAts }, mappings: [],
  });
  return 0;
}

/** The stage-2 domain a nested domain translates through: its vIOMMU's parent (arm-smmu-v3) or its s2_domain (intel-iommu). */
export function nestingParentOf(linux: LinuxState, d: IommuDomain | undefined): IommuDomain | undefined {
  const name = d?.nested ? linux.viommus.find((v) => v.name === d.nested?.viommu)?.parent : d?.intel?.nested?.parent;
  return name === undefined ? undefined : linux.domains.find((x) => x.name === name);
}

const HWPT_NESTED_FLAGS = ['IOMMU_HWPT_FAULT_ID_VALID', 'IOMMU_HWPT_ALLOC_PASID'];

/**
 * IOMMU_HWPT_ALLOC with pt_id = a nesting-parent HWPT and driver data
 * (iommufd_hwpt_nested_alloc): the driver's domain_alloc_nested. arm-smmu-v3
 * has none since v6.13 (its nested domains come from a vIOMMU).
 */
export function hwptNestedAlloc(ctx: CallContext, name: string, parentName: string, devName: string, flags: readonly string[], data: VtdS1UserData): Ret {
  checkNewName(ctx, name);
  const dev = deviceNamed(ctx.linux, devName);
  const parent = domainNamed(ctx.linux, parentName, 'parent');
  if (!dev.iommu) return 'ENODEV';
  if (flags.some((x) => !HWPT_NESTED_FLAGS.includes(x)) || !ctx.ops.domainAllocNested) return 'EOPNOTSUPP';
  if (!parent.smmu?.nestParent || parent.owner !== ctx.ops.name) return 'EINVAL';
  const d = ctx.ops.domainAllocNested(ctx, name, parent, dev, flags.filter((x) => x !== 'IOMMU_HWPT_FAULT_ID_VALID'), data);
  if (typeof d === 'string') return d;
  ctx.linux.domains.push(d);
  return 0;
}

const U64_MAX = (1n << 64n) - 1n;

/** IOMMU_HWPT_INVALIDATE on a nested HWPT with one request: the domain's cache_invalidate_user. */
export function hwptInvalidate(ctx: CallContext, domainName: string, addr: bigint, npages: bigint, leaf: boolean | undefined): Ret {
  const d = domainNamed(ctx.linux, domainName);
  if (leaf !== undefined && typeof leaf !== 'boolean') throw new EngineError('leaf must be true or false (IOMMU_VTD_INV_FLAGS_LEAF)', 'args.leaf');
  if (npages > U64_MAX) throw new EngineError('npages is a 64-bit count (0xffff_ffff_ffff_ffff: everything)', 'args.npages');
  if (d.type !== 'NESTED') return 'EINVAL';
  if (!d.ops.includes('cache_invalidate_user') || !ctx.ops.cacheInvalidateUser) return 'EOPNOTSUPP';
  return ctx.ops.cacheInvalidateUser(ctx, d, { addr, npages, leaf: leaf ?? false });
}
