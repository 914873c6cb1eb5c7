/**
 * What the engine reports. The UI animates these (never a diff of
 * snapshots), the scenario runner prints them, tests assert on them.
 */
import type { MappedEntry, TableRef } from './hw/pgtable/io-pgtable.ts';
import type { Stage1Config, WalkResult } from './hw/pgtable/types.ts';

/** One 64-bit store the engine made on behalf of a command (a "hardware write" the UI can show). */
export interface MemoryWrite {
  readonly address: bigint;
  readonly size: 1 | 2 | 4 | 8;
  /** undefined when the memory had never been written. */
  readonly old?: bigint;
  readonly value: bigint;
  /** Why the write was made: "L2 table descriptor", "zero new table" ... */
  readonly what: string;
}

export type EngineEvent =
  | { readonly kind: 'memory.written'; readonly write: MemoryWrite }
  | { readonly kind: 'pgtable.created'; readonly name: string; readonly config: Stage1Config; readonly root: TableRef; readonly startLevel: number; readonly granule: number }
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
  | { readonly kind: 'walk.completed'; readonly table: string; readonly result: WalkResult }
  /** A command the engine refused; nothing changed. */
  | { readonly kind: 'command.rejected'; readonly command: string; readonly message: string; readonly field?: string };

export type EngineEventKind = EngineEvent['kind'];
