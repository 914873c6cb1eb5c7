/** The current step's label and its note: what the teacher would say at this point. */
import { useAppStore } from '../../store/appStore.ts';
import { selectCurrentStep, selectCursor, selectOutline } from '../../store/selectors.ts';

export function Narration() {
  const cursor = useAppStore(selectCursor);
  const step = useAppStore(selectCurrentStep);
  const outline = useAppStore(selectOutline);
  if (!outline) return null;
  return (
    <div className="narration" aria-live="polite">
      <h2 className="narration-label" data-testid="step-label">
        {step ? step.label : outline.title}
      </h2>
      <p className="narration-note" data-testid="step-note">
        {step ? (step.note ?? 'No note for this step.') : (outline.description ?? 'Nothing has run yet.')}
        {cursor === 0 && <span className="narration-hint"> Press → or Forward to run step 1.</span>}
      </p>
    </div>
  );
}
