/**
 * Reading a nested walk: each stage-1 descriptor sits at an IPA that stage 2
 * must translate first (WalkStep.s2), and the stage-1 output is an IPA that
 * stage 2 translates to the PA (WalkResult.stage2). Counting the descriptor
 * reads shows why nesting costs up to 24 reads for 4 levels by 4 levels.
 */
import type { StageWalk, WalkResult, WalkStep } from '../../engine/hw/pgtable/types.ts';

export interface NestedRow {
  readonly key: string;
  /** The stage-1 level whose descriptor needed stage 2, or 'output' for the final IPA. */
  readonly level: number | 'output';
  /** The IPA stage 2 was asked to translate. */
  readonly ipa: bigint;
  readonly walk: StageWalk | undefined;
  /** Stage-2 descriptor reads for this IPA, plus the stage-1 read it enabled (1, or 0 for the output row). */
  readonly s2Reads: number;
  readonly s1Reads: number;
}

/** Whether the walk went through stage 2 at all (a nested stage-1 walk). */
export function isNested(walk: WalkResult): boolean {
  return walk.ipa !== undefined || walk.stage2 !== undefined || walk.steps.some((s) => s.s2 !== undefined);
}

/** The stage-1 read itself happened only when its stage-2 walk succeeded (or there was none). */
function s1ReadOf(step: WalkStep): number {
  return step.s2?.fault ? 0 : 1;
}

export function nestedRows(walk: WalkResult): NestedRow[] {
  const rows: NestedRow[] = walk.steps.map((step) => ({
    key: `L${step.level}`,
    level: step.level,
    ipa: step.descriptorAddress,
    walk: step.s2,
    s2Reads: step.s2?.steps.length ?? 0,
    s1Reads: s1ReadOf(step),
  }));
  if (walk.stage2 && walk.ipa !== undefined) {
    rows.push({ key: 'output', level: 'output', ipa: walk.ipa, walk: walk.stage2, s2Reads: walk.stage2.steps.length, s1Reads: 0 });
  }
  return rows;
}

export interface ReadCount {
  readonly stage1: number;
  readonly stage2: number;
  readonly total: number;
}

/** Descriptor reads of a walk, nested or not: stage-1 descriptors and every stage-2 descriptor read on their behalf. */
export function countReads(walk: WalkResult): ReadCount {
  let stage1 = 0;
  let stage2 = 0;
  for (const step of walk.steps) {
    stage2 += step.s2?.steps.length ?? 0;
    stage1 += s1ReadOf(step);
  }
  stage2 += walk.stage2?.steps.length ?? 0;
  return { stage1, stage2, total: stage1 + stage2 };
}

/** "L1[1] → L2[0] → L3[8]": the stage-2 levels and indices one IPA went through. */
export function stagePath(walk: StageWalk): string {
  return walk.steps.map((s) => `L${s.level}[${s.index}]`).join(' → ');
}

/** What the last stage-2 descriptor was: "4KB page", "2MB block", or the fault. */
export function stageLeaf(walk: StageWalk): string {
  const last = walk.steps[walk.steps.length - 1];
  if (walk.fault) return `${walk.fault.type} fault at level ${walk.fault.level}`;
  const type = last?.decoded?.type;
  return type === 'block' || type === 'page' ? `L${last?.level} ${type}` : 'no leaf';
}
