/**
 * The scenario as JSON, for those who would rather type it. Text that
 * parses becomes the draft at once (and the form follows); text that does
 * not is kept as typed, with the line and column of the first problem.
 */
import { useId, useMemo } from 'react';
import { parseScenarioText, type ScenarioIssue } from '../../scenario/index.ts';
import type { Draft } from './draft.ts';
import { sealEdit, setRawText } from './editorStore.ts';

interface Props {
  readonly draft: Draft;
  readonly rawText: string | undefined;
  /** The parser's issues for the draft (when the text is the draft). */
  readonly issues: readonly ScenarioIssue[];
}

export function JsonTab({ draft, rawText, issues }: Props) {
  const id = useId();
  const text = useMemo(() => rawText ?? JSON.stringify(draft, null, 2), [rawText, draft]);
  const shown = useMemo(() => {
    if (rawText === undefined) return issues;
    const parsed = parseScenarioText(rawText);
    return parsed.ok ? [] : parsed.errors;
  }, [rawText, issues]);
  return (
    <section className="ed-json" aria-label="Scenario JSON">
      <label htmlFor={id} className="ed-label">The scenario as JSON, in the format docs/scenario-format.md describes</label>
      <textarea id={id} className={`ed-json-text mono${shown.length > 0 ? ' is-invalid' : ''}`} spellCheck={false} value={text} rows={28}
        aria-invalid={shown.length > 0 || undefined} aria-describedby={shown.length > 0 ? `${id}-errors` : undefined}
        onChange={(e) => setRawText(e.target.value)} onBlur={sealEdit} data-testid="editor-json" />
      {shown.length > 0 && (
        <ul className="ed-issues" id={`${id}-errors`} data-testid="editor-json-errors">
          {shown.slice(0, 30).map((issue, i) => <li key={i}>{issue.path ? <span className="mono">{issue.path}: </span> : null}{issue.message}</li>)}
        </ul>
      )}
    </section>
  );
}
