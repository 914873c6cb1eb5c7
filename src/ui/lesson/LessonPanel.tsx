/**
 * The lesson bar above the narration: which lesson this is, its exercise
 * seed, "New exercise" for lessons whose numbers a seed generates, the
 * score so far, and the teacher's "Reveal answers" switch.
 */
import { useId } from 'react';
import { exerciseId, parseLessonRef } from '../../lessons/lesson-list.ts';
import { ensureScenario } from '../../lessons/menu.ts';
import { useAppStore } from '../../store/appStore.ts';
import { selectOutline, selectScenarioId } from '../../store/selectors.ts';
import { answerKey, forgetAnswers, setReveal, useLessonStore } from './lessonStore.ts';
import { LESSON_COUNT } from './scenarioChoices.ts';

export interface LessonPanelProps {
  /** Opens a scenario by id (the app's picker callback). */
  readonly onOpen: (id: string) => void;
}

/** A fresh 32-bit seed from the browser's CSPRNG: the page may be random, the generated lesson never is. */
function newSeed(): number {
  const seed = crypto.getRandomValues(new Uint32Array(1))[0] ?? 1;
  return seed === 0 ? 1 : seed;
}

export function LessonPanel({ onOpen }: LessonPanelProps) {
  const scenarioId = useAppStore(selectScenarioId);
  const outline = useAppStore(selectOutline);
  const reveal = useLessonStore((s) => s.reveal);
  const answers = useLessonStore((s) => s.answers);
  const switchId = useId();
  const parsed = scenarioId === undefined ? undefined : parseLessonRef(scenarioId);
  const questions = outline?.steps.flatMap((s, i) => (s.predict ? [{ step: i + 1, answer: s.predict.answer }] : [])) ?? [];
  if (!outline || (!parsed && questions.length === 0)) return null;
  const answered = questions.filter((q) => answers[answerKey(scenarioId, q.step)] !== undefined);
  const right = answered.filter((q) => answers[answerKey(scenarioId, q.step)] === q.answer).length;
  const newExercise = () => {
    if (!parsed) return;
    const id = exerciseId(parsed.lesson.id, newSeed());
    ensureScenario(id);
    forgetAnswers(id);
    onOpen(id);
  };
  return (
    <div className="lesson-panel" data-testid="lesson-panel">
      {parsed && (
        <p className="lesson-where">
          <strong>Lesson {parsed.lesson.number} of {LESSON_COUNT}</strong>
          {parsed.lesson.generated && (
            <span className="lesson-seed" data-testid="lesson-seed">{parsed.seed === 0 ? ' · canonical numbers (seed 0)' : ` · exercise seed ${parsed.seed}`}</span>
          )}
        </p>
      )}
      <p className="lesson-score" aria-live="polite" data-testid="lesson-score">
        {questions.length} question{questions.length === 1 ? '' : 's'}
        {answered.length > 0 && `: ${right} of ${answered.length} right`}
      </p>
      {parsed?.lesson.generated && (
        <button type="button" className="button" onClick={newExercise}>New exercise</button>
      )}
      <label className="lesson-reveal" htmlFor={switchId}>
        <input id={switchId} type="checkbox" role="switch" checked={reveal} onChange={(e) => setReveal(e.target.checked)} />
        Reveal answers
      </label>
    </div>
  );
}
