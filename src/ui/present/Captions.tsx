/**
 * The narration as captions under the presenter's diagram: the step's label
 * and the teacher's note, or (for a step without a note) the first lines of
 * what the engine reported.
 */
import { useMemo } from 'react';
import { useAppStore } from '../../store/appStore.ts';
import { selectCurrentEvents, selectCurrentStep, selectOutline } from '../../store/selectors.ts';
import { narrateStep } from '../narration/narrate.ts';

const ENGINE_LINES = 3;

export function Captions({ className = 'captions' }: { readonly className?: string }) {
  const step = useAppStore(selectCurrentStep);
  const outline = useAppStore(selectOutline);
  const events = useAppStore(selectCurrentEvents);
  const lines = useMemo(() => narrateStep(events), [events]);
  if (!outline) return null;
  const label = step ? step.label : outline.title;
  const note = step ? step.note : (outline.description ?? 'Nothing has run yet.');
  return (
    <div className={className} aria-live="polite" data-testid="captions">
      <p className="caption-label" data-testid="caption-label">{label}</p>
      {note !== undefined ? (
        <p className="caption-note" data-testid="caption-note">{note}</p>
      ) : (
        <ul className="caption-engine" data-testid="caption-engine">
          {lines.slice(0, ENGINE_LINES).map((line, i) => <li key={i}>{line}</li>)}
          {lines.length > ENGINE_LINES && <li className="caption-more">… and {lines.length - ENGINE_LINES} more</li>}
        </ul>
      )}
    </div>
  );
}
