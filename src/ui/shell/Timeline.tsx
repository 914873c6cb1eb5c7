/**
 * Step back / step forward, the step counter and a button per step (for a
 * long scenario, the steps near the cursor, the marked ones and the ends:
 * stepWindow.ts). The buttons only ask for a step (onGoTo); the store moves
 * when the engine host answers.
 */
import { useMemo } from 'react';
import { useAppStore } from '../../store/appStore.ts';
import { PlayControls } from './PlayControls.tsx';
import { selectCanStepBack, selectCanStepForward, selectCursor, selectMarks, selectStepCount, selectSteps } from '../../store/selectors.ts';
import { stepWindow } from './stepWindow.ts';

/** The step's verb ("map", "walk", a kernel function's name ...) for the compact step buttons; the full label is its accessible name. */
function shortLabel(label: string): string {
  return label.split(/[\s:(]/, 1)[0] ?? label;
}

export interface TimelineProps {
  readonly onGoTo: (step: number) => void;
  readonly onJumpToMark: (direction: -1 | 1) => void;
  readonly onTogglePlay: () => void;
}

export function Timeline({ onGoTo, onJumpToMark, onTogglePlay }: TimelineProps) {
  const cursor = useAppStore(selectCursor);
  const count = useAppStore(selectStepCount);
  const steps = useAppStore(selectSteps);
  const canBack = useAppStore(selectCanStepBack);
  const canForward = useAppStore(selectCanStepForward);
  const marks = useAppStore(selectMarks);
  const items = useMemo(() => stepWindow(steps.length, cursor, marks.map((m) => m.step)), [steps.length, cursor, marks]);
  const windowed = items.some((item) => item.kind === 'gap');
  return (
    <nav className="timeline" aria-label="Timeline">
      <div className="timeline-controls">
        <button type="button" className="button step-button" aria-label="Step back" aria-keyshortcuts="ArrowLeft" disabled={!canBack} onClick={() => onGoTo(cursor - 1)}>
          <span aria-hidden="true">←</span> Back
        </button>
        <p className="step-counter" data-testid="step-counter" aria-live="polite">
          Step <strong>{cursor}</strong> of {count}
        </p>
        <button type="button" className="button button-primary step-button" aria-label="Step forward" aria-keyshortcuts="ArrowRight" disabled={!canForward} onClick={() => onGoTo(cursor + 1)}>
          Forward <span aria-hidden="true">→</span>
        </button>
      </div>
      <PlayControls onGoTo={onGoTo} onJumpToMark={onJumpToMark} onTogglePlay={onTogglePlay} />
      <ol className="step-list" aria-label={windowed ? `Steps near step ${cursor}, the steps that raised events, and the first and last of ${steps.length}` : undefined}>
        {items.map((item) => {
          if (item.kind === 'gap') {
            const n = item.to - item.from + 1;
            return (
              <li key={`gap-${item.from}`} className="step-gap" title={`Steps ${item.from} to ${item.to}: reach them with the slider or the arrow keys`}>
                <span className="visually-hidden">{n === 1 ? `step ${item.from} not listed` : `steps ${item.from} to ${item.to} not listed`}</span>
                <span aria-hidden="true">…</span>
              </li>
            );
          }
          if (item.step === 0) {
            return (
              <li key={0}>
                <button type="button" className="step-chip" aria-current={cursor === 0 ? 'step' : undefined} aria-label="Go to step 0 start, before step 1" onClick={() => onGoTo(0)}>
                  <span className="chip-number">0</span> start
                </button>
              </li>
            );
          }
          const step = steps[item.step - 1];
          if (!step) return null;
          return (
            <li key={item.step}>
              <button type="button" className={`step-chip kind-${step.kind.replace(/\./g, '-')}`} aria-current={cursor === item.step ? 'step' : undefined}
                aria-label={`Go to step ${item.step}: ${step.label}`} title={step.label} onClick={() => onGoTo(item.step)}>
                <span className="chip-number">{item.step}</span> {shortLabel(step.label)}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
