/**
 * The "predict the next step" card. While a question is pending it asks it,
 * with one button per choice; picking one runs the step and the card then
 * says whether the engine agreed, with the explanation. With "Reveal answers"
 * on it shows each question with its answer marked, before and after the step.
 */
import { useEffect, useId, useRef } from 'react';
import type { Predict } from '../../scenario/schema.ts';
import { useAppStore } from '../../store/appStore.ts';
import { selectCursor, selectOutline, selectScenarioId } from '../../store/selectors.ts';
import { answerKey, cardMounted, recordAnswer, useLessonStore } from './lessonStore.ts';
import './lesson.css';

const LETTERS = ['A', 'B', 'C', 'D', 'E'];

export interface PredictCardProps {
  /** Runs a step without asking again (the app's own goTo, not the gated one). */
  readonly onRun: (step: number) => void;
}

export function PredictCard({ onRun }: PredictCardProps) {
  const cursor = useAppStore(selectCursor);
  const outline = useAppStore(selectOutline);
  const scenarioId = useAppStore(selectScenarioId);
  const pending = useLessonStore((s) => s.pending);
  const reveal = useLessonStore((s) => s.reveal);
  const answers = useLessonStore((s) => s.answers);
  useEffect(() => {
    cardMounted(1);
    return () => cardMounted(-1);
  }, []);
  if (!outline) return null;
  const predictAt = (step: number) => outline.steps[step - 1]?.predict;
  const asked = pending !== undefined ? predictAt(pending) : undefined;
  if (pending !== undefined && asked) {
    const choose = (choice: number) => {
      recordAnswer(scenarioId, pending, choice);
      onRun(pending);
    };
    return <Question step={pending} predict={asked} onChoose={choose} />;
  }
  // The step just run (its verdict, or its key in teacher mode), then in teacher mode the next step's question.
  const here = cursor > 0 ? predictAt(cursor) : undefined;
  const picked = answers[answerKey(scenarioId, cursor)];
  const next = reveal ? predictAt(cursor + 1) : undefined;
  return (
    <>
      {here && (picked !== undefined || reveal) && <Outcome step={cursor} predict={here} {...(picked === undefined ? {} : { picked })} />}
      {next && <Outcome step={cursor + 1} predict={next} upcoming />}
    </>
  );
}

function Question({ step, predict, onChoose }: { step: number; predict: Predict; onChoose: (choice: number) => void }) {
  const headingId = useId();
  const first = useRef<HTMLButtonElement>(null);
  // The learner pressed → or Forward to get here: put the keyboard on the choices.
  useEffect(() => first.current?.focus(), [step]);
  return (
    <section className="predict-card" aria-labelledby={headingId} data-testid="predict-card">
      <h3 id={headingId} className="predict-title">Predict step {step}</h3>
      <p className="predict-question" data-testid="predict-question">{predict.question}</p>
      <p className="predict-hint">Pick an answer: the step runs when you do.</p>
      <ol className="predict-choices">
        {predict.choices.map((choice, i) => (
          <li key={i}>
            <button type="button" className="button predict-choice" ref={i === 0 ? first : undefined}
              aria-label={`Answer ${LETTERS[i]}: ${choice}`} onClick={() => onChoose(i)}>
              <span className="predict-letter" aria-hidden="true">{LETTERS[i]}</span> {choice}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Outcome({ step, predict, picked, upcoming = false }: { step: number; predict: Predict; picked?: number; upcoming?: boolean }) {
  const headingId = useId();
  const right = picked === undefined ? undefined : picked === predict.answer;
  const title = upcoming ? `Step ${step} will ask` : picked === undefined ? `Step ${step} asked` : right ? 'Right' : 'Not quite';
  return (
    <section className={`predict-card${right === true ? ' is-right' : right === false ? ' is-wrong' : ''}`} aria-labelledby={headingId} data-testid="predict-card">
      <h3 id={headingId} className="predict-title" role={picked === undefined ? undefined : 'status'} data-testid="predict-verdict">{title}</h3>
      <p className="predict-question" data-testid="predict-question">{predict.question}</p>
      <ol className="predict-choices is-answered">
        {predict.choices.map((choice, i) => {
          const isAnswer = i === predict.answer;
          const isPick = i === picked;
          const marks = [isAnswer ? 'the answer' : '', isPick ? 'your pick' : ''].filter(Boolean).join(', ');
          return (
            <li key={i} className={`predict-option${isAnswer ? ' is-answer' : ''}${isPick ? ' is-pick' : ''}`} data-testid={isAnswer ? 'predict-answer' : undefined}>
              <span className="predict-letter" aria-hidden="true">{LETTERS[i]}</span> {choice}
              {marks && <span className="predict-mark"> ({marks})</span>}
            </li>
          );
        })}
      </ol>
      {predict.explain && !upcoming && <p className="predict-explain" data-testid="predict-explain">{predict.explain}</p>}
    </section>
  );
}
