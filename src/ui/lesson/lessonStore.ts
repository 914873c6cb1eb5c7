/**
 * Lesson mode's own state: the question waiting for an answer, the answers
 * given (per scenario and step), and the teacher's "Reveal answers" switch.
 * Kept apart from the app store: nothing else needs it, and the engine's
 * projection stays what it was.
 */
import { create } from 'zustand';

export interface LessonState {
  /** The step (1-based) whose question is on screen; stepping waits until it is answered. */
  readonly pending: number | undefined;
  /** `${scenarioId}#${step}` -> the choice picked. */
  readonly answers: Readonly<Record<string, number>>;
  /** Teacher mode: answer keys shown inline, stepping goes straight through. */
  readonly reveal: boolean;
  /** How many predict cards are on screen: with none (presenter, embed, another page) nothing is held back. */
  readonly cards: number;
}

export const useLessonStore = create<LessonState>()(() => ({ pending: undefined, answers: {}, reveal: false, cards: 0 }));

export const answerKey = (scenarioId: string | undefined, step: number) => `${scenarioId ?? ''}#${step}`;

export function setPending(step: number | undefined): void {
  useLessonStore.setState({ pending: step });
}

export function recordAnswer(scenarioId: string | undefined, step: number, choice: number): void {
  useLessonStore.setState((s) => ({ pending: undefined, answers: { ...s.answers, [answerKey(scenarioId, step)]: choice } }));
}

export function setReveal(reveal: boolean): void {
  useLessonStore.setState({ reveal, ...(reveal ? { pending: undefined } : {}) });
}

/** A new exercise or a reopened lesson starts unanswered. */
export function forgetAnswers(scenarioId: string): void {
  useLessonStore.setState((s) => ({
    answers: Object.fromEntries(Object.entries(s.answers).filter(([key]) => !key.startsWith(`${scenarioId}#`))),
  }));
}

export function cardMounted(delta: 1 | -1): void {
  useLessonStore.setState((s) => ({ cards: s.cards + delta }));
}
