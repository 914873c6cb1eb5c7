/** What a lesson is: one of the twelve, a scenario that is either static JSON or generated from a seed. */
import type { LessonInfo } from './lesson-list.ts';

/** A scenario document before validation: what a generator builds and the catalog parses. */
export interface ScenarioDoc {
  readonly format: 'iommu-visualizer-scenario';
  readonly version: 1;
  readonly title: string;
  readonly description?: string;
  readonly steps: readonly Record<string, unknown>[];
}

export interface LessonDef extends LessonInfo {
  /** Present for lessons whose numbers an exercise seed changes; seed 0 gives the canonical numbers. */
  readonly generate?: (seed: number) => ScenarioDoc;
  /** The static lessons' JSON (src/scenario/builtin/lesson-*.json). */
  readonly json?: unknown;
}

export const FORMAT = 'iommu-visualizer-scenario' as const;
