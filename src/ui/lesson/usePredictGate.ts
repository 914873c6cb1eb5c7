/**
 * Holds stepping back at a step that asks a question: stepping forward onto
 * it (or jumping past it) shows the question instead, and the step runs
 * once the learner picks an answer. With "Reveal answers" on, with no card
 * on screen, or on steps without questions, stepping is untouched.
 */
import { useCallback, useMemo } from 'react';
import { setPlaying, useAppStore } from '../../store/appStore.ts';
import { answerKey, setPending, useLessonStore } from './lessonStore.ts';

/** The first step in (from, to] that would ask an unanswered question now, if any. */
export function firstQuestion(from: number, to: number): number | undefined {
  const app = useAppStore.getState();
  const lesson = useLessonStore.getState();
  if (lesson.reveal || lesson.cards === 0 || app.status !== 'ready' || app.mode !== 'scenario' || !app.outline) return undefined;
  for (let step = from + 1; step <= Math.min(to, app.outline.stepCount); step++) {
    if (app.outline.steps[step - 1]?.predict && lesson.answers[answerKey(app.scenarioId, step)] === undefined) return step;
  }
  return undefined;
}

export interface Gated {
  readonly stepBy: (delta: -1 | 1) => void;
  readonly goTo: (step: number) => void;
}

export function usePredictGate(stepBy: (delta: -1 | 1) => void, goTo: (step: number) => void): Gated {
  const gatedStepBy = useCallback((delta: -1 | 1) => {
    const { cursor } = useAppStore.getState();
    if (delta === 1 && firstQuestion(cursor, cursor + 1) !== undefined) {
      setPlaying(false);
      setPending(cursor + 1);
      return;
    }
    setPending(undefined);
    stepBy(delta);
  }, [stepBy]);
  const gatedGoTo = useCallback((step: number) => {
    const { cursor } = useAppStore.getState();
    const question = step > cursor ? firstQuestion(cursor, step) : undefined;
    if (question === undefined) {
      setPending(undefined);
      goTo(step);
      return;
    }
    // Run up to the step before the question, then ask it.
    if (question - 1 > cursor) goTo(question - 1);
    setPlaying(false);
    setPending(question);
  }, [goTo]);
  return useMemo(() => ({ stepBy: gatedStepBy, goTo: gatedGoTo }), [gatedStepBy, gatedGoTo]);
}
