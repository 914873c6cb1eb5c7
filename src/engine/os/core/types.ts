/**
 * The Linux IOMMU core's objects as plain data (drivers/iommu/iommu.c, the
 * arm-smmu-v3 driver's private structures, include/linux/iommu.h). Objects
 * refer to each other by name, never by reference, so the whole state can be
 * copied for a snapshot, posted to the UI, and compared in tests.
 */
import type { Prot } from '../../commands.ts';
import type { DomainTypeName } from './domain-type.ts';
import type { IommuDmaCookie, PcieKernelState, ResvRegion, ResvRegionSpec } from './dma-types.ts';
import type { SvaDomainInfo, SvaState } from './sva-types.ts';

/** The kernel's error numbers, by name. A call returns 0 or one of these. */
export type Errno =
  | 'EPERM' | 'ENOENT' | 'EIO' | 'ENOMEM' | 'EACCES' | 'EBUSY' | 'EEXIST' | 'ENODEV' | 'EINVAL'
  | 'ENOSPC' | 'ERANGE' | 'EOPNOTSUPP' | 'EOVERFLOW' | 'EPROBE_DEFER';
export type Ret = 0 | Errno;

/** PCI Express device/port type (PCI_EXP_TYPE_*), plus conventional PCI. */
export type PciDeviceType =
  | 'endpoint' | 'rc-integrated' | 'root-port' | 'upstream-port' | 'downstream-port'
  /** A PCIe-to-PCI/PCI-X bridge (PCI_EXP_TYPE_PCI_BRIDGE): it takes ownership of its secondary bus's requests. */
  | 'pcie-to-pci-bridge'
  /** Conventional PCI: a device, or a PCI-to-PCI bridge. */
  | 'pci' | 'pci-bridge';

export const BRIDGE_TYPES: readonly PciDeviceType[] = ['root-port', 'upstream-port', 'downstream-port', 'pcie-to-pci-bridge', 'pci-bridge'];

/** What `linux.boot` is told about one PCI function. Everything but name and bdf has a default. */
export interface PciDeviceSpec {
  readonly name: string;
  /** "01:00.0" or "0000:01:00.0" (segment:bus:device.function, hexadecimal). */
  readonly bdf: string;
  /** Default 'endpoint'. */
  readonly type?: PciDeviceType;
  /** The bridge or port it sits behind (by name); absent: on the host bridge's root bus. Parents come before children. */
  readonly parent?: string;
  /** The header's multi-function bit. Default: another function exists in the same slot. */
  readonly multifunction?: boolean;
  /** An ACS capability with SV, RR, CR and UF enabled (REQ_ACS_FLAGS). */
  readonly acs?: boolean;
  /** A pci_dev_specific_acs_enabled quirk: the device is known to isolate its functions. */
  readonly acsQuirk?: boolean;
  /** Quirked DMA aliases (dma_alias_mask): other functions ("00.1") on the same bus whose RID this device also uses. */
  readonly dmaAliases?: readonly string[];
  /** pdev->untrusted (an external-facing port): only DMA default domains. */
  readonly untrusted?: boolean;
  /** PASID capability: Max PASID Width in bits (0: none). Sizes the CD table; enabling PASID is a later layer's. */
  readonly pasidBits?: number;
  readonly ats?: boolean;
  readonly pri?: boolean;
  /** What ops->def_domain_type says for it (arm-smmu-v3: IDENTITY for the HiSilicon PTT device). */
  readonly defDomainType?: 'IDENTITY' | 'DMA';
  /** A kernel driver bound at boot, e.g. "nvme" or "vfio-pci". */
  readonly driver?: string;
  /** The driver sets driver_managed_dma (VFIO drivers do): binding it does not count in owner_cnt. Default: driver === "vfio-pci". */
  readonly driverManagedDma?: boolean;
  /** Stands for an IOMMU_RESV_DIRECT (RMR) region until reserved regions are modelled: dev->iommu->require_direct. */
  readonly requireDirect?: boolean;
  /** Firmware reservations for the device (IORT RMRs, DT reserved-memory): direct ones are mapped 1:1 into DMA domains. */
  readonly resvRegions?: readonly ResvRegionSpec[];
  /** The device is fully coherent (firmware CANWBS): needed for a vIOMMU on an SMMU without S2FWB. Default true. */
  readonly canwbs?: boolean;
  /** Fault injection (failslab): the driver's attach of this device to these domains fails with ENOMEM. */
  readonly failAttach?: readonly string[];
}

export interface PciDevice {
  readonly name: string;
  /** Canonical "ssss:bb:dd.f". */
  readonly bdf: string;
  readonly segment: number;
  readonly bus: number;
  readonly devfn: number;
  /** Requester ID: bus << 8 | devfn. */
  readonly rid: number;
  readonly type: PciDeviceType;
  readonly parent: string | null;
  /** A bridge's secondary bus (its children's bus), null when nothing is behind it. */
  readonly secondaryBus: number | null;
  readonly multifunction: boolean;
  readonly acs: boolean;
  readonly acsQuirk: boolean;
  readonly dmaAliasDevfns: readonly number[];
  readonly untrusted: boolean;
  readonly pasidBits: number;
  readonly ats: boolean;
  readonly pri: boolean;
  readonly defDomainType: 'IDENTITY' | 'DMA' | null;
  readonly driverManagedDma: boolean;
  readonly canwbs: boolean;
  readonly failAttach: readonly string[];
  driver: string | null;
  /** dev->iommu: null when the device has no IOMMU (its probe failed). */
  iommu: DevIommu | null;
  /** Why the IOMMU probe failed, if it did. */
  probeError: Errno | null;
  /** dev->iommu_group (its id). */
  group: number | null;
  /** pdev's PASID / ATS / PRI state (drivers/pci/ats.c), set when the IOMMU driver probes it. */
  pcie?: PcieKernelState;
  /** dev->dma_mask: DMA_BIT_MASK(32) for a PCI device until its driver sets another. */
  dmaMask?: bigint;
}

/** struct dev_iommu. */
export interface DevIommu {
  /** fwspec->ids: the StreamIDs of every DMA alias, in pci_for_each_dma_alias order. */
  readonly streamIds: readonly number[];
  readonly maxPasids: number;
  readonly requireDirect: boolean;
  /** What the firmware reserves for the device (IORT RMRs, DT reserved-memory). */
  readonly firmwareRegions?: readonly ResvRegion[];
  /** dev->iommu->pci_32bit_workaround: try IOVAs below 4 GB first (cleared the first time that fails). */
  pci32bitWorkaround?: boolean;
}

/** One entry of group->pasid_array: the domain (and attach handle) a PASID is attached to. Filled by the PASID/SVA layer. */
export interface PasidEntry {
  readonly pasid: number;
  readonly domain: string;
  readonly handle?: string;
}

/** struct iommu_group. */
export interface IommuGroup {
  readonly id: number;
  /** Device names in probe order: every "for each device" loop walks them in this order. */
  devices: string[];
  domain: string | null;
  defaultDomain: string | null;
  blockingDomain: string | null;
  owner: string | null;
  ownerCnt: number;
  pasidArray: PasidEntry[];
}

/** iommu_domain_ops members a domain has (which ones are NULL decides ENODEV / EINVAL / EOPNOTSUPP). */
export type DomainOp = 'attach_dev' | 'set_dev_pasid' | 'map_pages' | 'unmap_pages' | 'iova_to_phys' | 'flush_iotlb_all' | 'iotlb_sync' | 'free' | 'cache_invalidate_user';

/** What iommu_map put in a domain: the reference the invariant checks DMA against. */
export interface Mapping {
  readonly iova: bigint;
  readonly paddr: bigint;
  readonly size: bigint;
  readonly prot: Prot;
}

/** struct arm_smmu_domain (paging domains). */
export interface ArmSmmuDomain {
  readonly stage: 1 | 2;
  /** Up to v6.8 a domain from iommu_domain_alloc() got its SMMU, page table and ASID at its first attach. */
  finalised: boolean;
  asid: number | null;
  vmid: number | null;
  /** The io-pgtable's name in the engine's tables (the domain's own name), and its root table (TTB0 / S2TTB). */
  pgtable: string | null;
  pgtableRoot: bigint | null;
  readonly nestParent: boolean;
  /** arm_smmu_master_domain entries: what invalidations iterate over. */
  devices: { readonly master: string; readonly ssid: number }[];
}

/** struct arm_smmu_nested_domain: the guest's vSTE on top of a vIOMMU. */
export interface ArmSmmuNestedDomain {
  readonly viommu: string;
  /** vSTE qwords 0 and 1 as validated (EATS stripped). */
  readonly vste: readonly [bigint, bigint];
  readonly config: 'abort' | 'bypass' | 's1';
  readonly enableAts: boolean;
}

/** struct iommu_domain. */
export interface IommuDomain {
  readonly name: string;
  /** Mutable only by the sysfs DMA -> DMA-FQ fast path. */
  type: DomainTypeName;
  readonly ops: readonly DomainOp[];
  /** arm_smmu_blocked_domain / arm_smmu_identity_domain: global statics shared by every group, never freed. */
  readonly isStatic: boolean;
  /** The driver that made it (domain->owner is its iommu_ops). */
  readonly owner: 'arm-smmu-v3' | 'intel-iommu';
  pgsizeBitmap: bigint;
  geometry: { readonly apertureStart: bigint; readonly apertureEnd: bigint; readonly forceAperture: boolean } | null;
  /** cookie_type: the DMA API, MSI, SVA and iommufd layers set theirs. */
  cookie: 'none' | 'dma-iova' | 'dma-msi' | 'sva' | 'iommufd';
  smmu: ArmSmmuDomain | null;
  nested: ArmSmmuNestedDomain | null;
  mappings: Mapping[];
  /** The DMA API's iova_cookie (DMA, DMA_FQ) or VFIO's msi_cookie (UNMANAGED), once set up (os/core/dma-api.ts, msi.ts). */
  dma?: IommuDmaCookie;
  /** SVA domains only: the bound mm and how many groups use the domain (os/core/sva.ts). */
  sva?: SvaDomainInfo;
  /** intel-iommu only: struct dmar_domain's hardware side (os/intel-iommu). The core's paging bookkeeping stays in `smmu`. */
  intel?: DmarDomainInfo;
}

/** struct dmar_domain: which stage its page table is for, and the domain ID it was given on the unit. */
export interface DmarDomainInfo {
  readonly firstStage: boolean;
  /** Allocated at the first attach (domain_attach_iommu), from IDA_START_DID = 2. */
  did: number | null;
  /** SVA domains: the x86-64 first-stage table that mirrors the mm's mappings (the model's CPU is arm64). */
  shadowOf?: string;
  /** NESTED domains (drivers/iommu/intel/nested.c): the guest's stage-1 table on a second-stage nesting parent. */
  nested?: DmarNestedInfo;
}

/** struct iommu_hwpt_vtd_s1 (IOMMU_HWPT_DATA_VTD_S1): the user data of an intel-iommu nested domain. */
export interface VtdS1UserData {
  /** IOMMU_VTD_S1_SRE, IOMMU_VTD_S1_EAFE, IOMMU_VTD_S1_WPE. */
  readonly flags: readonly string[];
  /** The guest's first-stage table: a GPA, which the parent's second stage translates. */
  readonly pgtblAddr: bigint;
  /** 48 (4-level) or 57 (5-level); checked only when the domain is attached. */
  readonly addrWidth: number;
}

/** A nested dmar_domain: its s2_domain, s1_cfg and the (device, PASID) pairs it is attached to (its cache tags). */
export interface DmarNestedInfo {
  readonly parent: string;
  readonly s1: VtdS1UserData;
  devices: { readonly master: string; readonly ssid: number }[];
}

/** struct arm_smmu_master. */
export interface ArmSmmuMaster {
  readonly device: string;
  /** The distinct StreamIDs, in fwspec order. */
  readonly streams: readonly number[];
  readonly ssidBits: number;
  cdTable: { readonly address: bigint; readonly bytes: bigint; readonly s1cdmax: number } | null;
  /** The installed STE points at the CD table (cd_table.in_ste). */
  cdTableInSte: boolean;
  /** CDs with ssid != 0 that are valid: PASIDs in use. */
  usedSsids: number;
  atsEnabled: boolean;
  /** The domain whose configuration the driver last installed for the RID. */
  ridDomain: string | null;
  vmaster: { readonly viommu: string; readonly vsid: number } | null;
}

/** iommufd's vIOMMU (struct arm_vsmmu) and its vdevices. */
export interface Viommu {
  readonly name: string;
  readonly parent: string;
  readonly vmid: number;
  vdevices: { readonly device: string; readonly virtId: number }[];
}

export type DefaultDomainType = 'DMA' | 'DMA_FQ' | 'IDENTITY';

export interface LinuxState {
  /** iommu_def_domain_type: DMA (strict, arm64's default), DMA_FQ (lazy) or IDENTITY (passthrough). */
  readonly defaultDomainType: DefaultDomainType;
  devices: PciDevice[];
  groups: IommuGroup[];
  domains: IommuDomain[];
  masters: ArmSmmuMaster[];
  viommus: Viommu[];
  /** arm_smmu_asid_xa and the VMID IDA: values in use. */
  asids: number[];
  vmids: number[];
  nextGroupId: number;
  /** The IOMMU driver the core runs on (linux.boot's iommu); arm-smmu-v3 when absent. */
  iommu?: 'arm-smmu-v3' | 'intel-iommu';
  /** intel-iommu's domain IDs in use on the unit, and where its invalidation waits write their status (qi->desc_status). */
  dids?: number[];
  qiStatus?: bigint;
  /** Process address spaces, PASIDs and SVA bonds, made on first use (os/core/sva-state.ts). */
  sva?: SvaState;
}
