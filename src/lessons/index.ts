/** The lessons: the catalog, generation from a seed, answer-key checks and the app's scenario registry. */
export { LESSONS, lessonById } from './catalog.ts';
export { canonicalLessons, exerciseId, lessonScenario, parseLessonId, type LessonScenario } from './generate.ts';
export { checkLesson, checkPredict, sameValue, valueAt, type PredictCheck } from './check.ts';
export { scenarioRegistry, type RegisteredScenario } from './registry.ts';
export { LESSON_LIST, lessonInfo, parseLessonRef, type LessonInfo } from './lesson-list.ts';
export { scenarioMenu, builtinIdOf, ensureScenario, type MenuEntry } from './menu.ts';
export { BUILTIN_LIST, type BuiltinEntry } from './builtin-list.ts';
export { CANONICAL_SEED, MAX_SEED, isSeed, seededRng } from './prng.ts';
export type { LessonDef, ScenarioDoc } from './types.ts';
