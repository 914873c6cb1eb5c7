/** The page's light scenario registry (src/lessons/menu.ts) against the validated one it stands in for. */
import { describe, expect, it } from 'vitest';
import { BUILTIN_LIST } from '../../../src/lessons/builtin-list.ts';
import { LESSON_LIST, parseLessonRef } from '../../../src/lessons/lesson-list.ts';
import { builtinIdOf, ensureScenario, scenarioMenu } from '../../../src/lessons/menu.ts';
import { LESSONS, lessonScenario, parseLessonId, scenarioRegistry } from '../../../src/lessons/index.ts';
import { builtinScenarios, parseScenario } from '../../../src/scenario/index.ts';

describe('the page scenario menu', () => {
  it('lists the built-ins of src/scenario/builtin.ts, in its order, with their titles', () => {
    expect(BUILTIN_LIST.map((b) => [b.id, b.title])).toEqual(builtinScenarios.map((b) => [b.id, b.scenario.title]));
  });

  it('lists the registry\'s scenarios in the same order, lessons first', () => {
    expect(scenarioMenu.slice(0, scenarioRegistry.length).map((s) => s.id)).toEqual(scenarioRegistry.map((s) => s.id));
    expect(LESSON_LIST.map((l) => l.id)).toEqual(LESSONS.map((l) => l.id));
    expect(LESSONS.every((l) => l.generated === (l.generate !== undefined))).toBe(true);
  });

  it('loads each document so that it validates to the registry\'s scenario', async () => {
    for (const entry of scenarioMenu.slice(0, scenarioRegistry.length)) {
      const parsed = parseScenario(await entry.load());
      expect(parsed.ok ? parsed.scenario : parsed.errors, entry.id).toEqual(scenarioRegistry.find((s) => s.id === entry.id)?.scenario);
    }
  });

  it('adds an exercise by id and generates it from its seed when loaded; refuses what is not a lesson', async () => {
    const lesson = LESSONS.find((l) => l.generate)!;
    const id = `${lesson.id}~91`;
    expect(ensureScenario(id)).toBe(true);
    const entry = scenarioMenu.find((s) => s.id === id);
    const parsed = parseScenario(await entry?.load());
    expect(parsed.ok ? parsed.scenario : parsed.errors).toEqual(lessonScenario(lesson, 91).scenario);
    expect(ensureScenario('lesson-04-nesting~3')).toBe(false);
    expect(ensureScenario('no-such-scenario')).toBe(false);
  });

  it('reads lesson ids as the full catalog does', () => {
    for (const id of ['lesson-01-stage1-dma', 'lesson-01-stage1-dma~7', 'lesson-04-nesting~3', 'lesson-02-stream-table~x', 'walk-4k-page']) {
      const full = parseLessonId(id);
      expect(parseLessonRef(id)?.lesson.id, id).toBe(full?.lesson.id);
      expect(parseLessonRef(id)?.seed, id).toBe(full?.seed);
    }
  });

  it('names a scenario equal to a built-in by its id, and nothing else', async () => {
    expect(await builtinIdOf(builtinScenarios[3]!.scenario)).toBe(builtinScenarios[3]!.id);
    expect(await builtinIdOf({ ...builtinScenarios[3]!.scenario, title: 'edited' })).toBeUndefined();
  });
});
