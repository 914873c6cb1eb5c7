/**
 * Every problem the parser found, in document order, each a button that
 * selects its step and puts the cursor in the field it is about.
 */
import type { ScenarioIssue } from '../../scenario/index.ts';
import { selectStep } from './editorStore.ts';
import { domId } from './fieldText.ts';
import { stepOfIssue } from './issuePlacement.ts';

interface Props {
  readonly issues: readonly ScenarioIssue[];
  /** Where each issue is shown on the form (its input's path). */
  readonly placed: ReadonlyMap<string, readonly ScenarioIssue[]>;
}

function focusField(path: string): void {
  // The step's form renders on the next frame.
  window.requestAnimationFrame(() => {
    const element = document.getElementById(domId(path)) ?? document.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`);
    const folded = element?.closest('details');
    if (folded) folded.open = true;
    element?.scrollIntoView({ block: 'center' });
    element?.focus({ preventScroll: true });
  });
}

export function IssueSummary({ issues, placed }: Props) {
  const targetOf = new Map<ScenarioIssue, string>();
  for (const [path, list] of placed) for (const issue of list) targetOf.set(issue, path);
  if (issues.length === 0) {
    return <p className="ed-summary is-ok" data-testid="editor-summary" aria-live="polite">No problems: the scenario is valid and ready to run.</p>;
  }
  return (
    <div className="ed-summary" data-testid="editor-summary" aria-live="polite">
      <p className="ed-summary-head">{issues.length} problem{issues.length === 1 ? '' : 's'} to fix before it can run:</p>
      <ul>
        {issues.slice(0, 50).map((issue, i) => {
          const step = stepOfIssue(issue.path);
          const target = targetOf.get(issue) ?? '';
          return (
            <li key={i}>
              <button type="button" className="ed-link" onClick={() => { selectStep(step ?? -1); focusField(target); }}>
                <span className="mono">{issue.path === '' ? 'the scenario' : issue.path}</span>
              </button>{' '}
              {issue.message}
            </li>
          );
        })}
      </ul>
      {issues.length > 50 && <p className="muted">and {issues.length - 50} more.</p>}
    </div>
  );
}
