/**
 * How many translation-table descriptors a walk read. A nested walk reads
 * each stage-1 descriptor at an IPA, so every stage-1 level costs a stage-2
 * walk too, and the output IPA one more: up to (n + 1)(m + 1) - 1 reads for
 * n stage-1 and m stage-2 levels, which is why nested TLB misses are dear.
 */
import type { WalkResult } from '../engine/index.ts';

export function descriptorReads(walk: WalkResult): number {
  let reads = 0;
  for (const step of walk.steps) reads += 1 + (step.s2?.steps.length ?? 0);
  return reads + (walk.stage2?.steps.length ?? 0);
}
