/** The engine's mutable state, shared by the command handlers. */
import type { PhysicalMemory } from './hw/memory/physical-memory.ts';
import type { TableAllocator } from './hw/memory/table-allocator.ts';
import type { IoPgtable } from './hw/pgtable/io-pgtable.ts';
import type { Stage1Regime } from './hw/pgtable/regime.ts';
import type { Stage2Config } from './hw/pgtable/stage2.ts';
import type { WalkTables } from './hw/pgtable/tables.ts';
import type { Stage1Config } from './hw/pgtable/types.ts';
import type { Smmu } from './hw/smmu/smmu.ts';
import type { VtdPgtable } from './hw/vtd/pgtable.ts';
import type { VtdUnit } from './hw/vtd/vtd.ts';
import type { LinuxState } from './os/core/types.ts';

export type PgtableEntry =
  | { readonly stage: 1; readonly config: Stage1Config; readonly regime: Stage1Regime; readonly pgtable: IoPgtable }
  | { readonly stage: 2; readonly config: Stage2Config; readonly tables: WalkTables; readonly pgtable: IoPgtable };

export interface EngineState {
  readonly mem: PhysicalMemory;
  readonly allocator: TableAllocator;
  readonly tables: Map<string, PgtableEntry>;
  smmu: Smmu | undefined;
  /** The Linux IOMMU core, once linux.boot ran. */
  linux?: LinuxState;
  /** The VT-d unit, once vtd.probe (or linux.boot with iommu: intel-iommu) ran, and its named page tables. */
  vtd?: VtdUnit;
  vtdTables?: Map<string, VtdPgtable>;
}
