/**
 * The current step's label and its note (what the teacher would say at this
 * point), then what the engine reports the step did, in plain words.
 */
import { useMemo } from 'react';
import { useAppStore } from '../../store/appStore.ts';
import { selectCurrentEvents, selectCurrentStep, selectCursor, selectOutline } from '../../store/selectors.ts';
import { narrateStep } from '../narration/narrate.ts';

export function Narration() {
  const cursor = useAppStore(selectCursor);
  const step = useAppStore(selectCurrentStep);
  const outline = useAppStore(selectOutline);
  const events = useAppStore(selectCurrentEvents);
  const lines = useMemo(() => narrateStep(events), [events]);
  if (!outline) return null;
  return (
    <div className="narration" aria-live="polite">
      <h2 className="narration-label" data-testid="step-label">
        {step ? step.label : outline.title}
      </h2>
      {(!step || step.note !== undefined || lines.length === 0) && (
        <p className="narration-note" data-testid="step-note">
          {step ? (step.note ?? 'No note for this step.') : (outline.description ?? 'Nothing has run yet.')}
          {cursor === 0 && <span className="narration-hint"> Press → or Forward to run step 1, or space to play.</span>}
        </p>
      )}
      {lines.length > 0 && (
        <ul className="narration-engine" aria-label="What the engine did" data-testid="step-narration">
          {lines.map((line, i) => <li key={i}>{line}</li>)}
        </ul>
      )}
    </div>
  );
}
