/**
 * The steps in order, each with how many problems it has; the selected one
 * can be moved, duplicated or removed, and a new step of any kind is added
 * after it.
 */
import { useId, useState } from 'react';
import { STEP_KINDS } from '../../scenario/index.ts';
import { stepsOf, type Draft } from './draft.ts';
import { duplicateStepAt, moveStepBy, removeStepAt, selectStep } from './editorStore.ts';
import { addStep } from './stepActions.ts';
import { stepSummary } from './stepSummary.ts';

interface Props {
  readonly draft: Draft;
  readonly selected: number;
  readonly counts: ReadonlyMap<number, number>;
  /** Problems with the title, description or config. */
  readonly documentCount: number;
}

const problems = (n: number) => `${n} problem${n === 1 ? '' : 's'}`;

export function StepList({ draft, selected, counts, documentCount }: Props) {
  const steps = stepsOf(draft);
  const [kind, setKind] = useState<string>('pgtable.create');
  const kindId = useId();
  const title = typeof draft.title === 'string' && draft.title !== '' ? draft.title : '(no title)';
  return (
    <nav className="ed-steps" aria-label="Steps of the scenario">
      <ol className="ed-step-list" start={-1}>
        <li>
          <button type="button" className="ed-step" aria-current={selected < 0 ? 'true' : undefined} onClick={() => selectStep(-1)}>
            <span className="ed-step-index">•</span>
            <span className="ed-step-text">{title}<span className="muted"> title, description</span></span>
            {documentCount > 0 && <span className="ed-badge" aria-label={problems(documentCount)}>{documentCount}</span>}
          </button>
        </li>
        {steps.map((step, i) => {
          const count = counts.get(i) ?? 0;
          return (
            <li key={i}>
              <button type="button" className="ed-step" aria-current={selected === i ? 'true' : undefined} onClick={() => selectStep(i)} data-testid={`editor-step-${i}`}>
                <span className="ed-step-index">{i}</span>
                <span className="ed-step-text mono">{stepSummary(step)}</span>
                {count > 0 && <span className="ed-badge" aria-label={problems(count)}>{count}</span>}
              </button>
            </li>
          );
        })}
      </ol>
      {selected >= 0 && selected < steps.length && (
        <div className="ed-step-tools" role="group" aria-label={`Step ${selected}`}>
          <button type="button" className="button ed-small" disabled={selected === 0} onClick={() => moveStepBy(selected, -1)}>Move up</button>
          <button type="button" className="button ed-small" disabled={selected === steps.length - 1} onClick={() => moveStepBy(selected, 1)}>Move down</button>
          <button type="button" className="button ed-small" onClick={() => duplicateStepAt(selected)}>Duplicate</button>
          <button type="button" className="button ed-small" onClick={() => removeStepAt(selected)}>Remove</button>
        </div>
      )}
      <div className="ed-add-step">
        <label htmlFor={kindId}>New step</label>
        <select id={kindId} className="ed-input mono" value={kind} onChange={(e) => setKind(e.target.value)}>
          {STEP_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
        <button type="button" className="button" onClick={() => addStep(kind)}>Add step</button>
      </div>
    </nav>
  );
}
