/**
 * Step back / step forward, the step counter and one button per step. The
 * buttons only ask for a step (onGoTo); the store moves when the engine
 * host answers.
 */
import { useAppStore } from '../../store/appStore.ts';
import { PlayControls } from './PlayControls.tsx';
import { selectCanStepBack, selectCanStepForward, selectCursor, selectStepCount, selectSteps } from '../../store/selectors.ts';

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
      <ol className="step-list">
        <li>
          <button type="button" className="step-chip" aria-current={cursor === 0 ? 'step' : undefined} aria-label="Go to step 0 start, before step 1" onClick={() => onGoTo(0)}>
            <span className="chip-number">0</span> start
          </button>
        </li>
        {steps.map((step, i) => (
          <li key={i}>
            <button type="button" className={`step-chip kind-${step.kind.replace(/\./g, '-')}`} aria-current={cursor === i + 1 ? 'step' : undefined}
              aria-label={`Go to step ${i + 1}: ${step.label}`} title={step.label} onClick={() => onGoTo(i + 1)}>
              <span className="chip-number">{i + 1}</span> {shortLabel(step.label)}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
