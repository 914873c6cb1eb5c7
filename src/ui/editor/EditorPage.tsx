/**
 * The scenario editor: the steps on the left, the selected step's form (or
 * the raw JSON) in the middle, the saved scenarios on the right. The real
 * parser checks the draft on every change; its messages sit next to the
 * fields their paths name and in a summary above. Run hands the parsed
 * scenario to the page, which loads it into the engine.
 */
import { useDeferredValue, useMemo } from 'react';
import { parseScenario, type Scenario } from '../../scenario/index.ts';
import { useAppStore } from '../../store/appStore.ts';
import { selectScenarioId } from '../../store/selectors.ts';
import { IssuesContext } from './context.tsx';
import { EditorToolbar } from './EditorToolbar.tsx';
import { selectDraft, setStatus, setTab, useEditorStore } from './editorStore.ts';
import { formPaths, issueCounts, placeIssues, stepOfIssue } from './issuePlacement.ts';
import { IssueSummary } from './IssueSummary.tsx';
import { JsonTab } from './JsonTab.tsx';
import { SavedPanel } from './SavedPanel.tsx';
import { StepForm } from './StepForm.tsx';
import { StepList } from './StepList.tsx';
import { useEditorKeys } from './useEditorKeys.ts';
import './editor.css';

interface Props {
  /** Loads a valid scenario into the engine and shows it. */
  readonly onRun: (scenario: Scenario) => void;
}

export function EditorPage({ onRun }: Props) {
  const draft = useEditorStore(selectDraft);
  const selected = useEditorStore((s) => s.selected);
  const tab = useEditorStore((s) => s.tab);
  const rawText = useEditorStore((s) => s.rawText);
  const status = useEditorStore((s) => s.status);
  const ready = useEditorStore((s) => s.ready);
  const currentId = useAppStore(selectScenarioId);
  useEditorKeys();

  // Typing stays quick on a long scenario: the check runs on the latest draft React has time for.
  const checked = useDeferredValue(draft);
  const parsed = useMemo(() => parseScenario(checked), [checked]);
  const issues = useMemo(() => (parsed.ok ? [] : parsed.errors), [parsed]);
  const placed = useMemo(() => placeIssues(issues, formPaths(checked)), [issues, checked]);
  const counts = useMemo(() => issueCounts(issues), [issues]);
  const documentCount = issues.filter((i) => stepOfIssue(i.path) === undefined).length;

  const run = () => {
    if (rawText !== undefined) return setStatus('The JSON tab holds text that does not parse: fix it (or undo) before running.');
    if (!parsed.ok) return setStatus(`Fix the ${issues.length} problem${issues.length === 1 ? '' : 's'} listed above before running.`);
    onRun(parsed.scenario);
  };

  return (
    <section className="panel editor" aria-labelledby="editor-heading">
      <div className="ed-head">
        <h2 id="editor-heading" className="ed-title">Scenario editor</h2>
        <EditorToolbar draft={draft} currentId={currentId} problemCount={issues.length} onRun={run} />
      </div>
      {!ready && <p className="muted">Opening your saved work…</p>}
      {status && <p className="ed-status" role="status" data-testid="editor-status">{status}</p>}
      <IssueSummary issues={issues} placed={placed} />
      <div className="ed-tabs" role="tablist" aria-label="Edit as">
        <button type="button" role="tab" aria-selected={tab === 'form'} className="ed-tab" onClick={() => setTab('form')}>Form</button>
        <button type="button" role="tab" aria-selected={tab === 'json'} className="ed-tab" onClick={() => setTab('json')}>JSON</button>
      </div>
      <IssuesContext.Provider value={placed}>
        <div className={tab === 'form' ? 'ed-body' : 'ed-body is-json'}>
          {tab === 'form' ? (
            <>
              <StepList draft={draft} selected={selected} counts={counts} documentCount={documentCount} />
              <div className="ed-main" role="tabpanel" aria-label="Form">
                {rawText !== undefined && <p className="ed-status">The JSON tab holds text that does not parse; the form shows the last version that did.</p>}
                <StepForm draft={draft} selected={selected} />
              </div>
            </>
          ) : (
            <div className="ed-main" role="tabpanel" aria-label="JSON">
              <JsonTab draft={draft} rawText={rawText} issues={issues} />
            </div>
          )}
          <SavedPanel />
        </div>
      </IssuesContext.Provider>
    </section>
  );
}
