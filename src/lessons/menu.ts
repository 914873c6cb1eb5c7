/**
 * The page's scenario registry: what the picker lists (the twelve lessons,
 * then the other built-ins, then any exercise generated since the page
 * loaded) and how to fetch each document when it is opened. Unlike
 * registry.ts (the validated scenarios, for tests and tools), nothing here
 * runs a generator or the validator until a scenario is opened, and then
 * only that scenario's chunk is fetched: the page's first JavaScript stays
 * small (docs/performance.md).
 */
import { BUILTIN_LIST } from './builtin-list.ts';
import { LESSON_LIST, type LessonInfo, parseLessonRef } from './lesson-list.ts';

export interface MenuEntry {
  readonly id: string;
  /** The scenario's own title (a lesson's picker label is made in src/ui/lesson/scenarioChoices.ts). */
  readonly title: string;
  /** The scenario document, unvalidated (the engine host validates what it loads). */
  readonly load: () => Promise<unknown>;
}

type JsonModule = { readonly default: unknown };
const doc = (m: JsonModule) => m.default;

/** A lesson's document for a seed: its generator's chunk, or its static JSON's. */
function lessonLoader(lesson: LessonInfo, seed: number): () => Promise<unknown> {
  switch (lesson.id) {
    case 'lesson-01-stage1-dma': return () => import('./gen/lesson01.ts').then((m) => m.lesson01(seed));
    case 'lesson-02-stream-table': return () => import('./gen/lesson02.ts').then((m) => m.lesson02(seed));
    case 'lesson-03-substreams': return () => import('./gen/lesson03.ts').then((m) => m.lesson03(seed));
    case 'lesson-04-nesting': return () => import('../scenario/builtin/lesson-04-nesting.json').then(doc);
    case 'lesson-05-faults': return () => import('./gen/lesson05.ts').then((m) => m.lesson05(seed));
    case 'lesson-06-invalidation': return () => import('./gen/lesson06.ts').then((m) => m.lesson06(seed));
    case 'lesson-07-hitless-update': return () => import('../scenario/builtin/lesson-07-hitless-update.json').then(doc);
    case 'lesson-08-default-domains': return () => import('../scenario/builtin/lesson-08-default-domains.json').then(doc);
    case 'lesson-09-dma-ownership': return () => import('../scenario/builtin/lesson-09-dma-ownership.json').then(doc);
    case 'lesson-10-sva': return () => import('../scenario/builtin/lesson-10-sva.json').then(doc);
    case 'lesson-11-msi-doorbells': return () => import('../scenario/builtin/lesson-11-msi-doorbells.json').then(doc);
    case 'lesson-12-pasid-pri-ats': return () => import('../scenario/builtin/lesson-12-pasid-pri-ats.json').then(doc);
    default: return () => Promise.reject(new Error(`lesson ${lesson.id} has no source`));
  }
}

const listeners = new Set<() => void>();

/** Mutable on purpose: the controller holds this array and finds exercises added after it was made. */
export const scenarioMenu: MenuEntry[] = [
  ...LESSON_LIST.map((lesson) => ({ id: lesson.id, title: lesson.title, load: lessonLoader(lesson, 0) })),
  ...BUILTIN_LIST,
];

/** Makes sure `id` can be opened: an exercise id ("lesson-01-stage1-dma~42") is added; it is generated when opened. */
export function ensureScenario(id: string): boolean {
  if (scenarioMenu.some((s) => s.id === id)) return true;
  const parsed = parseLessonRef(id);
  if (!parsed) return false;
  scenarioMenu.push({ id, title: parsed.lesson.title, load: lessonLoader(parsed.lesson, parsed.seed) });
  for (const listener of listeners) listener();
  return true;
}

export function subscribeRegistry(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Changes whenever an exercise is added (for useSyncExternalStore). */
export function registrySize(): number {
  return scenarioMenu.length;
}

/**
 * The built-in (or lesson) a scenario is equal to, so that a link or a file
 * holding one opens under its name. Needs every built-in validated, so it is
 * fetched only when a scenario arrives from outside (a link, a file, the editor).
 */
export async function builtinIdOf(scenario: unknown): Promise<string | undefined> {
  const { scenarioRegistry } = await import('./registry.ts');
  const text = JSON.stringify(scenario);
  return scenarioRegistry.find((s) => JSON.stringify(s.scenario) === text)?.id;
}
