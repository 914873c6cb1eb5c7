/**
 * A lesson as a validated scenario: the static JSON, or the generator's
 * output for a seed. Exercise ids carry the seed ("lesson-01-stage1-dma~42"),
 * so a link (or the URL's ?scenario=) reproduces the exercise exactly.
 */
import { parseScenario, type Scenario } from '../scenario/index.ts';
import { LESSONS, lessonById } from './catalog.ts';
import { exerciseId, parseLessonRef } from './lesson-list.ts';
import { CANONICAL_SEED } from './prng.ts';
import type { LessonDef } from './types.ts';

export interface LessonScenario {
  /** The scenario id: the lesson's id, with "~seed" for an exercise. */
  readonly id: string;
  readonly lesson: LessonDef;
  readonly seed: number;
  readonly scenario: Scenario;
}

export { exerciseId };

/** "lesson-01-stage1-dma~42" -> the lesson and seed 42; a plain lesson id -> seed 0; anything else -> undefined. */
export function parseLessonId(id: string): { readonly lesson: LessonDef; readonly seed: number } | undefined {
  const ref = parseLessonRef(id);
  const lesson = ref && lessonById(ref.lesson.id);
  return ref && lesson ? { lesson, seed: ref.seed } : undefined;
}

export function lessonScenario(lesson: LessonDef, seed = CANONICAL_SEED): LessonScenario {
  const doc = lesson.generate ? lesson.generate(seed) : lesson.json;
  if (doc === undefined) throw new Error(`lesson ${lesson.id} has neither a generator nor JSON`);
  if (!lesson.generate && seed !== CANONICAL_SEED) throw new Error(`lesson ${lesson.id} is static: it has no exercise seeds`);
  const parsed = parseScenario(doc);
  if (!parsed.ok) {
    const problems = parsed.errors.map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`).join('; ');
    throw new Error(`lesson ${lesson.id} (seed ${seed}) is invalid: ${problems}`);
  }
  return { id: exerciseId(lesson.id, seed), lesson, seed, scenario: parsed.scenario };
}

/** The twelve, with their canonical numbers, validated once when first asked for. */
let canonical: readonly LessonScenario[] | undefined;
export function canonicalLessons(): readonly LessonScenario[] {
  canonical ??= LESSONS.map((l) => lessonScenario(l));
  return canonical;
}
