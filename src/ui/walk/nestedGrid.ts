/**
 * The two-dimensional nested walk as a grid: stage-1 levels down, stage-2
 * levels across, one cell per descriptor read, numbered in the order the
 * SMMU makes them. Each stage-1 row first walks stage 2 for the IPA of its
 * descriptor (the cells across), then reads the stage-1 descriptor itself
 * (the last column). The last row walks stage 2 for the IPA the stage-1 leaf
 * gives; a first row, when the CD was fetched through stage 2, walks its IPA.
 * Pure: a WalkResult in, positions out.
 */
import type { StageWalk, WalkResult } from '../../engine/hw/pgtable/types.ts';

export type GridColumn = { readonly kind: 's2'; readonly level: number } | { readonly kind: 's1' };

export interface GridCell {
  /** 1-based position in the order of memory accesses. */
  readonly order: number;
  readonly column: number;
  readonly kind: 's2' | 's1';
  readonly level: number;
  /** The PA the descriptor was read from. */
  readonly address: bigint;
  readonly descriptor: bigint | undefined;
  readonly x: number;
  readonly y: number;
}

export interface GridRow {
  readonly key: string;
  readonly label: string;
  /** The IPA stage 2 translates for this row. */
  readonly ipa: bigint;
  readonly cells: readonly GridCell[];
  /** Where this row stopped: a fault in its stage-2 walk or at its stage-1 read. */
  readonly fault: string | undefined;
  readonly y: number;
}

export interface NestedGrid {
  readonly columns: readonly GridColumn[];
  readonly rows: readonly GridRow[];
  readonly total: number;
  readonly stage1: number;
  readonly stage2: number;
  readonly width: number;
  readonly height: number;
}

export const GRID = { labelWidth: 190, cellWidth: 118, cellHeight: 50, gap: 8, header: 34, pad: 10 } as const;

export interface CdStage2 {
  readonly ipa: bigint;
  readonly walk: StageWalk;
}

export function nestedGrid(walk: WalkResult, cd?: CdStage2): NestedGrid {
  const s2Levels = new Set<number>();
  const walks = [cd?.walk, ...walk.steps.map((s) => s.s2), walk.stage2];
  for (const w of walks) for (const s of w?.steps ?? []) s2Levels.add(s.level);
  const levels = [...s2Levels].sort((a, b) => a - b);
  const columns: GridColumn[] = [...levels.map((level) => ({ kind: 's2' as const, level })), { kind: 's1' }];
  const s1Column = columns.length - 1;
  const xOf = (c: number) => GRID.pad + GRID.labelWidth + c * (GRID.cellWidth + GRID.gap);
  const rowY = (r: number) => GRID.pad + GRID.header + r * (GRID.cellHeight + GRID.gap);
  let order = 0;
  let stage1 = 0;
  let stage2 = 0;
  const rows: GridRow[] = [];
  const addRow = (key: string, label: string, ipa: bigint, s2: StageWalk | undefined, s1?: { level: number; address: bigint; descriptor: bigint | undefined }, s1Fault?: string) => {
    const y = rowY(rows.length);
    const cells: GridCell[] = [];
    for (const s of s2?.steps ?? []) {
      const column = levels.indexOf(s.level);
      order += 1;
      stage2 += 1;
      cells.push({ order, column, kind: 's2', level: s.level, address: s.descriptorAddress, descriptor: s.descriptor, x: xOf(column), y });
    }
    // The stage-1 descriptor is read only once stage 2 has found where it is.
    if (s1 && !s2?.fault) {
      order += 1;
      stage1 += 1;
      cells.push({ order, column: s1Column, kind: 's1', level: s1.level, address: s1.address, descriptor: s1.descriptor, x: xOf(s1Column), y });
    }
    const fault = s2?.fault ? `stage-2 ${s2.fault.type} fault at level ${s2.fault.level}` : s1Fault;
    rows.push({ key, label, ipa, cells, fault, y });
  };
  if (cd) addRow('cd', 'CD fetch', cd.ipa, cd.walk);
  for (const step of walk.steps) {
    const pa = step.s2?.output ?? step.descriptorAddress;
    const stageOneFault = walk.fault && walk.fault.stage !== 2 && walk.fault.level === step.level ? `stage-1 ${walk.fault.type} fault` : undefined;
    addRow(`L${step.level}`, `Stage-1 L${step.level}`, step.descriptorAddress, step.s2, { level: step.level, address: pa, descriptor: step.descriptor }, stageOneFault);
  }
  if (walk.stage2 && walk.ipa !== undefined) addRow('output', 'Output IPA', walk.ipa, walk.stage2);
  return {
    columns,
    rows,
    total: order,
    stage1,
    stage2,
    width: xOf(columns.length) + GRID.pad - GRID.gap,
    height: rowY(rows.length) + GRID.pad - GRID.gap,
  };
}
