/**
 * What the engine reports. The UI animates these (never a diff of
 * snapshots), the scenario runner prints them, tests assert on them.
 */
import type { MappedEntry, TableRef } from './hw/pgtable/io-pgtable.ts';
import type { Stage2Config } from './hw/pgtable/stage2.ts';
import type { Stage1Config, WalkResult } from './hw/pgtable/types.ts';
import type { DmaOutcome } from './hw/smmu/dma-types.ts';
import type { SmmuFeatures } from './hw/smmu/features.ts';
import type { RegisterName } from './hw/smmu/registers.ts';
import type { ConsumedCommand } from './hw/smmu/smmu.ts';
import type { ProbeResult } from './os/arm-smmu-v3/probe.ts';
import type { EntryUpdate } from './os/arm-smmu-v3/update-entry.ts';

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
  /** A command the engine refused; nothing changed. */
  | { readonly kind: 'command.rejected'; readonly command: string; readonly message: string; readonly field?: string };

export type EngineEventKind = EngineEvent['kind'];
