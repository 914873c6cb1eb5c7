/**
 * The Linux topology for the UI, as plain data: devices (with their
 * StreamIDs and the SID their DMA carries), groups, domains (type, page
 * table, ASID/VMID) and which points to which. A projection of the state,
 * recomputed on demand, like the SMMU views.
 */
import type { Prot } from '../../commands.ts';
import { typeBits, typeString, type DomainTypeName } from './domain-type.ts';
import { wireRid } from './pci.ts';
import type { GroupState } from './record-types.ts';
import { allGroupStates, masterOf } from './state.ts';
import type { DomainOp, LinuxState, PciDeviceType } from './types.ts';

export interface DeviceView {
  readonly name: string;
  readonly bdf: string;
  readonly rid: number;
  readonly type: PciDeviceType;
  readonly parent: string | null;
  /** fwspec StreamIDs (every DMA alias), and the one its DMA carries. */
  readonly streamIds: readonly number[];
  readonly wireSid: number;
  readonly group: number | null;
  readonly iommu: boolean;
  readonly probeError: string | null;
  readonly driver: string | null;
  /** The domain the driver installed for its RID. */
  readonly domain: string | null;
  readonly cdTable: bigint | null;
  readonly ssidBits: number;
  readonly vsid: number | null;
}

export interface DomainView {
  readonly name: string;
  readonly type: DomainTypeName;
  readonly typeBits: number;
  /** iommu_domain_type_str, as sysfs and the kernel log print it. */
  readonly typeString: string;
  readonly ops: readonly DomainOp[];
  readonly isStatic: boolean;
  readonly stage: 1 | 2 | null;
  readonly asid: number | null;
  readonly vmid: number | null;
  readonly nestParent: boolean;
  readonly pgtable: { readonly name: string; readonly stage: 1 | 2; readonly root: bigint } | null;
  readonly pgsizeBitmap: bigint;
  /** Nested: the vIOMMU and the stage-2 parent it translates through; the guest's CD table IPA. */
  readonly viommu: string | null;
  readonly parent: string | null;
  readonly guestCdTable: bigint | null;
  readonly groups: readonly number[];
  readonly defaultOf: readonly number[];
  readonly devices: readonly string[];
  readonly mappings: readonly { readonly iova: bigint; readonly paddr: bigint; readonly size: bigint; readonly prot: Prot }[];
}

export interface LinuxTopologyView {
  readonly defaultDomainType: string;
  readonly devices: readonly DeviceView[];
  readonly groups: readonly GroupState[];
  readonly domains: readonly DomainView[];
  readonly viommus: readonly { readonly name: string; readonly parent: string; readonly vmid: number; readonly vdevices: readonly { readonly device: string; readonly virtId: number }[] }[];
}

export function linuxTopologyView(linux: LinuxState): LinuxTopologyView {
  const devices: DeviceView[] = linux.devices.map((d) => {
    const m = masterOf(linux, d.name);
    return {
      name: d.name, bdf: d.bdf, rid: d.rid, type: d.type, parent: d.parent, streamIds: d.iommu?.streamIds ?? [],
      wireSid: wireRid(linux.devices, d), group: d.group, iommu: d.iommu !== null, probeError: d.probeError, driver: d.driver,
      domain: m?.ridDomain ?? null, cdTable: m?.cdTable?.address ?? null, ssidBits: m?.ssidBits ?? 0, vsid: m?.vmaster?.vsid ?? null,
    };
  });
  const domains: DomainView[] = linux.domains.map((d) => {
    const viommu = linux.viommus.find((v) => v.name === d.nested?.viommu);
    const root = d.smmu?.pgtableRoot ?? null;
    return {
      name: d.name, type: d.type, typeBits: typeBits(d.type), typeString: typeString(d.type), ops: d.ops, isStatic: d.isStatic,
      stage: d.smmu?.stage ?? null, asid: d.smmu?.asid ?? null, vmid: d.smmu?.vmid ?? viommu?.vmid ?? null, nestParent: d.smmu?.nestParent ?? false,
      pgtable: d.smmu?.pgtable && root !== null ? { name: d.smmu.pgtable, stage: d.smmu.stage, root } : null,
      pgsizeBitmap: d.pgsizeBitmap, viommu: viommu?.name ?? null, parent: viommu?.parent ?? d.intel?.nested?.parent ?? null,
      guestCdTable: d.nested && d.nested.config === 's1' ? d.nested.vste[0] & 0x000f_ffff_ffff_ffc0n : null,
      groups: linux.groups.filter((g) => g.domain === d.name).map((g) => g.id),
      defaultOf: linux.groups.filter((g) => g.defaultDomain === d.name).map((g) => g.id),
      devices: linux.masters.filter((m) => m.ridDomain === d.name).map((m) => m.device),
      mappings: d.mappings,
    };
  });
  return { defaultDomainType: linux.defaultDomainType, devices, groups: allGroupStates(linux), domains, viommus: linux.viommus };
}
