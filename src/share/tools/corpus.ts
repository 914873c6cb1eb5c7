/**
 * The text a link dictionary is built from: the payload (exactly as a link
 * carries it) of every lesson and every built-in scenario, at step 3 in the
 * default view. A generated lesson contributes its canonical numbers and a
 * few exercise seeds, so the builder can tell its wording (the same for
 * every seed) from its numbers (different for each).
 */
import { CANONICAL_SEED, LESSONS, lessonScenario } from '../../lessons/index.ts';
import { builtinScenarios } from '../../scenario/index.ts';
import { sharePayloadText } from '../encode.ts';
import { DEFAULT_LINK_VIEW } from '../view.ts';

/** One lesson or built-in: its payload at each seed (the canonical one first). */
export interface CorpusGroup {
  readonly id: string;
  readonly kind: 'lesson' | 'builtin';
  readonly docs: readonly string[];
}

/** Exercise seeds sampled besides the canonical one; fixed so the build is reproducible. */
export const EXERCISE_SEEDS: readonly number[] = [1, 2, 3, 4];
/** The step links are measured at (and the corpus made at): a lesson a few steps in. */
export const MEASURE_STEP = 3;

export function corpusGroups(): CorpusGroup[] {
  const payload = (scenario: Parameters<typeof sharePayloadText>[0]['scenario']) => sharePayloadText({ scenario, step: MEASURE_STEP, view: DEFAULT_LINK_VIEW });
  const lessons = LESSONS.map((lesson): CorpusGroup => {
    const seeds = lesson.generate ? [CANONICAL_SEED, ...EXERCISE_SEEDS] : [CANONICAL_SEED];
    return { id: lesson.id, kind: 'lesson', docs: seeds.map((seed) => payload(lessonScenario(lesson, seed).scenario)) };
  });
  const builtins = builtinScenarios.map(({ id, scenario }): CorpusGroup => ({ id, kind: 'builtin', docs: [payload(scenario)] }));
  return [...lessons, ...builtins];
}
