/**
 * What a Linux call reports: every hardware write the driver made, the
 * intermediate points of a domain switch, what in-flight DMA hit there, and
 * findings (a broken invariant, a caller bug).
 */
import type { MemoryWrite } from '../../events.ts';
import type { DmaOutcome } from '../../hw/smmu/dma-types.ts';
import type { ConsumedCommand } from '../../hw/smmu/smmu.ts';
import type { EntryUpdate } from '../arm-smmu-v3/update-entry.ts';
import type { ConsumedDescriptor } from '../../hw/vtd/vtd.ts';
import type { DomainTypeName } from './domain-type.ts';

/** One thing the driver did to the hardware, in order. */
export type LinuxHwWrite =
  /** arm_smmu_write_ste: the used-bits sequence of stores and CMD_CFGI_STE + CMD_SYNC. */
  | { readonly kind: 'ste'; readonly device: string; readonly sid: number; readonly why: string; readonly update: EntryUpdate }
  /** arm_smmu_write_cd_entry: stores, and CMD_CFGI_CD per stream + CMD_SYNC. */
  | { readonly kind: 'cd'; readonly device: string; readonly sid: number; readonly ssid: number; readonly why: string; readonly update: EntryUpdate }
  /** Commands put in the queue, CMDQ_PROD published, and what the SMMU did with each. */
  | { readonly kind: 'commands'; readonly why: string; readonly writes: readonly MemoryWrite[]; readonly prod: { readonly old: bigint; readonly value: bigint }; readonly consumed: readonly ConsumedCommand[] }
  /** Plain stores: page-table entries, initial STEs, L1 descriptors. */
  | { readonly kind: 'memory'; readonly why: string; readonly writes: readonly MemoryWrite[] }
  /** Table memory handed out (zeroed) or given back. */
  | { readonly kind: 'alloc' | 'free'; readonly what: string; readonly address: bigint; readonly bytes: bigint }
  /** A PCI configuration write to a capability register of a function (PASID, ATS or PRI Control: os/core/pci-caps.ts). */
  | { readonly kind: 'pci-config'; readonly device: string; readonly register: string; readonly old: number; readonly value: number; readonly why: string }
  /** intel-iommu: descriptors put in the VT-d invalidation queue, IQT published, and what the unit did with each (qi_submit_sync). */
  | { readonly kind: 'vtd-qi'; readonly why: string; readonly writes: readonly MemoryWrite[]; readonly tail: { readonly old: bigint; readonly value: bigint }; readonly consumed: readonly ConsumedDescriptor[] };

/** Where each device of the switching group is at a checkpoint. */
export interface CheckpointDevice {
  readonly device: string;
  /** The domain the driver has installed for it (null: nothing yet, the initial abort STE). */
  readonly domain: string | null;
  /** Set while its STE/CD are being rewritten. */
  readonly moving?: { readonly from: string | null; readonly to: string };
}

export interface Checkpoint {
  readonly index: number;
  readonly label: string;
  readonly group: number;
  /** group->domain when the switch began, and the domain it is going to. */
  readonly old: string | null;
  readonly new: string;
  /** Set when one PASID of the group switches, not its RID; the devices' domains are then those of that PASID. */
  readonly pasid?: number;
  readonly devices: readonly CheckpointDevice[];
}

/** Where a DMA ended, judged against the switch's two domains. */
export type Landing = 'old domain' | 'new domain' | 'both domains' | 'blocked' | 'outside';

export interface InflightResult {
  readonly checkpoint: number;
  readonly device: string;
  readonly sid: number;
  readonly iova: bigint;
  readonly outcome: DmaOutcome;
  readonly landed: Landing;
}

export type FindingRule =
  /** A DMA mid-switch reached memory through neither the old nor the new domain (an identity window, an unmapped access). */
  | 'transition-invariant'
  /** An STE/CD store left an entry that is neither the old, the new nor invalid. */
  | 'mixed-entry'
  /** A DMA outside a switch reached memory its group's domain does not map. */
  | 'isolation'
  /** iommu_domain_free of a domain still in use (a use-after-free in the kernel). */
  | 'free-while-attached'
  /** Two devices behind one PCIe-to-PCI bridge alias one StreamID: arm-smmu-v3 refuses the second ("expect DMA to be broken"). */
  | 'aliasing-streamid'
  /** PASID Enable changed while ATS Enable is set: undefined behaviour (PCIe Base spec, ATS Control register). */
  | 'pcie-ordering';

export interface LinuxFinding {
  readonly rule: FindingRule;
  readonly message: string;
  readonly call?: string;
  readonly checkpoint?: number;
  readonly device?: string;
  readonly sid?: number;
  readonly iova?: bigint;
  /** What the SMMU did: the result and, when translated or bypassed, the output address. */
  readonly seen?: { readonly result: DmaOutcome['result']; readonly output?: bigint };
  readonly allowed?: { readonly old: string | null; readonly new: string | null };
}

/** A group as the call left it. */
export interface GroupState {
  readonly id: number;
  readonly devices: readonly string[];
  readonly domain: string | null;
  readonly domainType: DomainTypeName | null;
  readonly defaultDomain: string | null;
  readonly blockingDomain: string | null;
  readonly owner: string | null;
  readonly ownerCnt: number;
  readonly pasids: readonly number[];
}
