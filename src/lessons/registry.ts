/**
 * The scenarios the app can open by id: the twelve lessons first, then the
 * other built-ins, plus any exercise generated since the page loaded. The
 * controller looks ids up in this same array when it opens one, so an
 * exercise registered here opens like a built-in (and its id, in the URL,
 * brings it back after a reload).
 */
import { builtinScenarios, type Scenario } from '../scenario/index.ts';
import { canonicalLessons, lessonScenario, parseLessonId } from './generate.ts';

export interface RegisteredScenario {
  readonly id: string;
  readonly scenario: Scenario;
}

const listeners = new Set<() => void>();

/** Mutable on purpose: the controller holds this array and finds exercises added after it was made. */
export const scenarioRegistry: RegisteredScenario[] = [
  ...canonicalLessons().map((l) => ({ id: l.id, scenario: l.scenario })),
  ...builtinScenarios,
];

/** Makes sure `id` can be opened: an exercise id ("lesson-01-stage1-dma~42") is generated and added. */
export function ensureScenario(id: string): boolean {
  if (scenarioRegistry.some((s) => s.id === id)) return true;
  const parsed = parseLessonId(id);
  if (!parsed) return false;
  const made = lessonScenario(parsed.lesson, parsed.seed);
  scenarioRegistry.push({ id: made.id, scenario: made.scenario });
  for (const listener of listeners) listener();
  return true;
}

export function subscribeRegistry(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Changes whenever an exercise is added (for useSyncExternalStore). */
export function registrySize(): number {
  return scenarioRegistry.length;
}
