/**
 * What the engine reports. The UI animates these (never a diff of
 * snapshots), the scenario runner prints them, tests assert on them.
 */
import type { MappedEntry, TableRef } from './hw/pgtable/io-pgtable.ts';
import type { Stage2Config } from './hw/pgtable/stage2.ts';
import type { Stage1Config, WalkResult } from './hw/pgtable/types.ts';
import type { DmaOutcome } from './hw/smmu/dma-types.ts';
import type { DmaBurstSummary } from './hw/smmu/dma-burst.ts';
import type { SmmuFeatures } from './hw/smmu/features.ts';
import type { RegisterName } from './hw/smmu/registers.ts';
import type { ConsumedCommand } from './hw/smmu/smmu.ts';
import type { ProbeResult } from './os/arm-smmu-v3/probe.ts';
import type { VtdEvent } from './hw/vtd/command-types.ts';
import type { VtdDmaOutcome } from './hw/vtd/dma-types.ts';
import type { EntryUpdate } from './os/arm-smmu-v3/update-entry.ts';
import type { BootRecord } from './os/core/boot.ts';
import type { LinuxCall } from './os/core/call-types.ts';
import type { DmaLanding } from './os/core/device-dma.ts';
import type { DmaApiReport } from './os/core/dma-types.ts';
import type { Checkpoint, GroupState, InflightResult, LinuxFinding, LinuxHwWrite } from './os/core/record-types.ts';
import type { Errno } from './os/core/types.ts';

/** One store the engine made on behalf of a command (a "hardware write" the UI can show). */
export interface MemoryWrite {
  readonly address: bigint;
  readonly size: 1 | 2 | 4 | 8;
  /** undefined when the memory had never been written. */
  readonly old?: bigint;
  readonly value: bigint;
  /** Why the write was made: "L2 table descriptor", "STE 5" ... */
  readonly what: string;
}

export type EngineEvent =
  | { readonly kind: 'memory.written'; readonly write: MemoryWrite }
  | { readonly kind: 'pgtable.created'; readonly name: string; readonly stage: 1; readonly config: Stage1Config; readonly root: TableRef; readonly startLevel: number; readonly granule: number }
  | { readonly kind: 'pgtable.created'; readonly name: string; readonly stage: 2; readonly config: Stage2Config; readonly root: TableRef; readonly startLevel: number; readonly granule: number; readonly concatenated: number }
  | {
      readonly kind: 'pgtable.mapped';
      readonly table: string;
      readonly iova: bigint;
      readonly paddr: bigint;
      readonly size: bigint;
      /** Each block or page entry written, with its level and size. */
      readonly entries: readonly MappedEntry[];
      /** Tables allocated (zeroed pages) to reach those levels. */
      readonly tables: readonly TableRef[];
      readonly writes: readonly MemoryWrite[];
    }
  | {
      readonly kind: 'pgtable.unmapped';
      readonly table: string;
      readonly iova: bigint;
      readonly size: bigint;
      /** Bytes actually unmapped: less than size when a hole or a partial block stopped it (as iommu_unmap). */
      readonly unmapped: bigint;
      readonly entries: readonly MappedEntry[];
      readonly tablesFreed: readonly TableRef[];
      readonly writes: readonly MemoryWrite[];
    }
  | { readonly kind: 'walk.completed'; readonly table: string; readonly stage: 1 | 2; readonly stage2?: string; readonly result: WalkResult }
  | { readonly kind: 'smmu.probed'; readonly features: SmmuFeatures; readonly result: ProbeResult }
  | { readonly kind: 'smmu.registerWritten'; readonly register: RegisterName; readonly old: bigint; readonly value: bigint; readonly consumed: readonly ConsumedCommand[] }
  | { readonly kind: 'smmu.steWritten'; readonly sid: number; readonly address: bigint; readonly words: readonly bigint[]; readonly writes: readonly MemoryWrite[] }
  | { readonly kind: 'smmu.cdWritten'; readonly sid: number; readonly ssid: number; readonly ipa: bigint; readonly address: bigint; readonly words: readonly bigint[]; readonly writes: readonly MemoryWrite[] }
  | { readonly kind: 'smmu.steUpdated'; readonly sid: number; readonly update: EntryUpdate }
  | { readonly kind: 'smmu.cdUpdated'; readonly sid: number; readonly ssid: number; readonly update: EntryUpdate }
  | { readonly kind: 'smmu.commandsIssued'; readonly writes: readonly MemoryWrite[]; readonly prod: { readonly old: bigint; readonly value: bigint }; readonly consumed: readonly ConsumedCommand[] }
  | { readonly kind: 'smmu.dma'; readonly outcome: DmaOutcome }
  | { readonly kind: 'smmu.dmaBurst'; readonly burst: DmaBurstSummary }
  /** Linux booted: the SMMU probe (if linux.boot made it), each device's probe and group, the default domains and what the driver wrote. */
  | {
      readonly kind: 'linux.booted';
      readonly smmu?: { readonly features: SmmuFeatures; readonly result: ProbeResult };
      /** linux.boot with iommu: intel-iommu probed a VT-d unit (unless a vtd.probe step did). */
      readonly vtd?: Extract<VtdEvent, { kind: 'vtd.probed' }>;
      readonly boot: BootRecord;
      readonly groups: readonly GroupState[];
      readonly hw: readonly LinuxHwWrite[];
      readonly checkpoints: readonly Checkpoint[];
      readonly warnings: readonly string[];
    }
  /** A kernel call returned: its value, the groups after it, every hardware write, the switch's checkpoints and in-flight DMA. */
  | {
      readonly kind: 'linux.called';
      readonly call: LinuxCall;
      readonly ret: 0 | Errno;
      /** As the kernel would print it: "0", "-EBUSY", "0x1000". */
      readonly returned: string;
      readonly value?: bigint;
      /** WARN_ONs and kernel messages. */
      readonly warnings: readonly string[];
      readonly groups: readonly GroupState[];
      readonly hw: readonly LinuxHwWrite[];
      readonly checkpoints: readonly Checkpoint[];
      readonly inflight: readonly InflightResult[];
      /** DMA API, flush-queue and ATS calls: the domain's flush queue (the staleness window) and the device's ATC afterwards. */
      readonly dmaApi?: DmaApiReport;
    }
  /** A DMA from a device by name, judged against its group's domain. */
  | { readonly kind: 'linux.dma'; readonly device: string; readonly sid: number; readonly pasid?: number; readonly group: number | null; readonly domain: string | null; readonly outcome: DmaOutcome; readonly landed: DmaLanding; readonly why: string; readonly vtd?: VtdDmaOutcome }
  /** Something the engine caught: a broken transition invariant, an isolation breach, a caller bug. */
  | { readonly kind: 'linux.finding'; readonly finding: LinuxFinding }
  /** The Intel VT-d unit (src/engine/hw/vtd/command-types.ts). */
  | VtdEvent
  /** A command the engine refused; nothing changed. */
  | { readonly kind: 'command.rejected'; readonly command: string; readonly message: string; readonly field?: string };

export type EngineEventKind = EngineEvent['kind'];
