/**
 * What the engine can be asked to do. Each scenario step becomes exactly one
 * command; later layers (SMMUv3, the Linux core, VT-d) add kinds here.
 */
import type { Access, Stage1Config } from './hw/pgtable/types.ts';

export type Prot = { readonly read: boolean; readonly write: boolean; readonly exec: boolean; readonly priv: boolean };

export type EngineCommand =
  /** A raw 64-bit (or narrower) store into physical memory, as a CPU would make. */
  | { readonly kind: 'memory.write'; readonly address: bigint; readonly value: bigint; readonly size: 1 | 2 | 4 | 8 }
  /**
   * Allocate an io-pgtable: a zeroed root table in table memory and the
   * stage-1 configuration (CD fields) that walks it. TTB0 is filled in by the
   * engine unless given.
   */
  | { readonly kind: 'pgtable.create'; readonly name: string; readonly config: Partial<Stage1Config> & Pick<Stage1Config, 'TG0' | 'T0SZ'> }
  /** iommu_map()-style: map [iova, iova+size) to [paddr, ...), blocks where size and alignment allow. */
  | { readonly kind: 'pgtable.map'; readonly table: string; readonly iova: bigint; readonly paddr: bigint; readonly size: bigint; readonly prot: Prot }
  /** iommu_unmap()-style. */
  | { readonly kind: 'pgtable.unmap'; readonly table: string; readonly iova: bigint; readonly size: bigint }
  /** A stage-1 walk of one input address, traced level by level. */
  | { readonly kind: 'walk'; readonly table: string; readonly address: bigint; readonly access: Access };

export type EngineCommandKind = EngineCommand['kind'];
