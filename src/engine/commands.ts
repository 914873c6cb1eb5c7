/**
 * What the engine can be asked to do. Each scenario step becomes exactly one
 * command; later layers (the Linux core, VT-d) add kinds here.
 */
import type { Stage2Config } from './hw/pgtable/stage2.ts';
import type { Access, Stage1Config } from './hw/pgtable/types.ts';
import type { FeaturePreset, SmmuFeatures } from './hw/smmu/features.ts';
import type { FieldValues } from './hw/smmu/fields.ts';
import type { RegisterName } from './hw/smmu/registers.ts';
import type { CommandRequest } from './os/arm-smmu-v3/cmdq.ts';
import type { ProbeOptions } from './os/arm-smmu-v3/probe.ts';
import type { VtdCommand } from './hw/vtd/command-types.ts';
import type { VtdFeatures, VtdPreset } from './hw/vtd/features.ts';
import type { InflightDma, LinuxCall } from './os/core/call-types.ts';
import type { DefaultDomainType, PciDeviceSpec } from './os/core/types.ts';

export type Prot = { readonly read: boolean; readonly write: boolean; readonly exec: boolean; readonly priv: boolean };

export type EngineCommand =
  /** A raw store into physical memory, as a CPU would make. */
  | { readonly kind: 'memory.write'; readonly address: bigint; readonly value: bigint; readonly size: 1 | 2 | 4 | 8 }
  /**
   * Allocate an io-pgtable: a zeroed root table in table memory and the
   * configuration that walks it — CD fields for stage 1, STE VTCR fields for
   * stage 2. TTB0 / S2TTB is filled in by the engine unless given.
   */
  | { readonly kind: 'pgtable.create'; readonly name: string; readonly stage?: 1; readonly config: Partial<Stage1Config> & Pick<Stage1Config, 'TG0' | 'T0SZ'> }
  | { readonly kind: 'pgtable.create'; readonly name: string; readonly stage: 2; readonly config: Partial<Stage2Config> & Pick<Stage2Config, 'S2TG' | 'S2T0SZ' | 'S2SL0'> }
  /** iommu_map()-style: map [iova, iova+size) to [paddr, ...), blocks where size and alignment allow. */
  | { readonly kind: 'pgtable.map'; readonly table: string; readonly iova: bigint; readonly paddr: bigint; readonly size: bigint; readonly prot: Prot }
  /** iommu_unmap()-style. */
  | { readonly kind: 'pgtable.unmap'; readonly table: string; readonly iova: bigint; readonly size: bigint }
  /** A walk of one input address, traced level by level; nested through a stage-2 table when `stage2` names one. */
  | { readonly kind: 'walk'; readonly table: string; readonly address: bigint; readonly access: Access; readonly stage2?: string }
  /** Bring the SMMU up as the driver does (arm_smmu_device_reset). */
  | { readonly kind: 'smmu.probe'; readonly preset: FeaturePreset; readonly features?: Partial<SmmuFeatures>; readonly options: ProbeOptions }
  | { readonly kind: 'smmu.writeRegister'; readonly register: RegisterName; readonly value: bigint }
  /** Write an STE field by field (unnamed fields are 0). */
  | { readonly kind: 'smmu.writeSte'; readonly sid: number; readonly fields: Partial<FieldValues> }
  /**
   * Write a CD field by field. By default it goes where the STE's CD table puts it; with `cdTable` (the PA of a
   * linear CD table) it goes at cdTable + 64 * ssid whatever the STE says, since the driver writes CDs before
   * the STE that points at them.
   */
  | { readonly kind: 'smmu.writeCd'; readonly sid: number; readonly ssid: number; readonly fields: Partial<FieldValues>; readonly cdTable?: bigint }
  /** Change a live STE / CD the way the driver does: the hitless used-bits sequence of stores and syncs. */
  | { readonly kind: 'smmu.updateSte'; readonly sid: number; readonly fields: Partial<FieldValues> }
  | { readonly kind: 'smmu.updateCd'; readonly sid: number; readonly ssid: number; readonly fields: Partial<FieldValues>; readonly cdTable?: bigint }
  /** Put commands in the command queue and publish CMDQ_PROD. */
  | { readonly kind: 'smmu.issueCommands'; readonly commands: readonly CommandRequest[] }
  /** A DMA transaction from a device. */
  | { readonly kind: 'smmu.dma'; readonly sid: number; readonly ssid?: number; readonly address: bigint; readonly access: Access }
  /**
   * A burst of `count` DMAs from one stream, untraced: transaction i at base + (i * stride mod span). One
   * smmu.dmaBurst event sums them up (IOTLB and configuration-cache hits, faults by event, a checksum).
   */
  | { readonly kind: 'smmu.dmaBurst'; readonly sid: number; readonly ssid?: number; readonly count: number; readonly base: bigint; readonly stride: bigint; readonly span: bigint; readonly access: Access }
  /**
   * Boot Linux on the SMMU (probing the SMMU first unless an smmu.probe step did): probe the PCI devices, form
   * their iommu groups, give each group its default domain (iommu.passthrough / iommu.strict: defaultDomainType,
   * DMA unless said), attach it, and bind the drivers named.
   */
  | {
      readonly kind: 'linux.boot'; readonly devices: readonly PciDeviceSpec[]; readonly defaultDomainType?: DefaultDomainType; readonly smmu?: LinuxSmmuSetup;
      /** Which IOMMU the core drives: arm-smmu-v3 (the default) or intel-iommu (a VT-d unit, probed here unless a vtd.probe step came first). */
      readonly iommu?: 'arm-smmu-v3' | 'intel-iommu';
      readonly vtd?: { readonly preset: VtdPreset; readonly features?: Partial<VtdFeatures>; readonly mode?: 'scalable' | 'legacy' };
    }
  /** One kernel call by its Linux name, e.g. { call: 'iommu_attach_group', args: { domain: 'U', group: 'nvme' } }; optional DMA during it. */
  | ({ readonly kind: 'linux.call'; readonly inflight?: readonly InflightDma[] } & LinuxCall)
  /** A DMA from a device, by name: the SMMU sees the StreamID its requests carry. */
  | { readonly kind: 'linux.dma'; readonly device: string; readonly iova: bigint; readonly access: Access; readonly pasid?: number }
  /** The Intel VT-d unit (src/engine/hw/vtd/command-types.ts). */
  | VtdCommand;

/** The SMMU linux.boot probes when none was probed: preset 'full' with a 2-level stream table unless said. */
export interface LinuxSmmuSetup {
  readonly preset: FeaturePreset;
  readonly features?: Partial<SmmuFeatures>;
  readonly streamTable?: 'linear' | '2-level';
}

export type EngineCommandKind = EngineCommand['kind'];
