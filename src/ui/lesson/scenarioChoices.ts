/**
 * What the scenario picker lists: "Lessons 1–12" first, in course order
 * (an exercise under its lesson, with its seed), then the other scenarios.
 */
import { useMemo, useSyncExternalStore } from 'react';
import { LESSON_LIST, parseLessonRef } from '../../lessons/lesson-list.ts';
import { registrySize, scenarioMenu, subscribeRegistry } from '../../lessons/menu.ts';
import type { ScenarioChoice } from '../shell/ScenarioPicker.tsx';

export const LESSONS_GROUP = 'Lessons 1–12';
export const OTHERS_GROUP = 'Other scenarios';

export function scenarioChoices(): ScenarioChoice[] {
  const lessons: (ScenarioChoice & { readonly order: number })[] = [];
  const others: ScenarioChoice[] = [];
  for (const { id, title: scenarioTitle } of scenarioMenu) {
    const parsed = parseLessonRef(id);
    if (!parsed) {
      others.push({ id, title: scenarioTitle, group: OTHERS_GROUP });
      continue;
    }
    const { lesson, seed } = parsed;
    const title = `${lesson.number}. ${lesson.title}${seed === 0 ? '' : ` (exercise, seed ${seed})`}`;
    lessons.push({ id, title, group: LESSONS_GROUP, order: lesson.number * 2 ** 33 + seed });
  }
  lessons.sort((a, b) => a.order - b.order);
  return [...lessons.map(({ id, title, group }) => ({ id, title, ...(group ? { group } : {}) })), ...others];
}

/** The choices, updated when an exercise is generated. */
export function useScenarioChoices(): readonly ScenarioChoice[] {
  const size = useSyncExternalStore(subscribeRegistry, registrySize);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the registry array is mutable; its size is the version
  return useMemo(() => scenarioChoices(), [size]);
}

/** Lessons open at step 0 (their first question may be on step 1); other scenarios at their first walk. */
export function startOf(id: string): number | 'first-walk' {
  return parseLessonRef(id) ? 0 : 'first-walk';
}

export const LESSON_COUNT = LESSON_LIST.length;
