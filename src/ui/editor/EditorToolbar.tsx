/**
 * What the editor does to the whole scenario: start a new one (blank, a
 * built-in, or the one open in the viewer), undo and redo, save, and run.
 * Starting anew never asks "are you sure": the work before stays one undo
 * away.
 */
import { useId, useState } from 'react';
import { builtinScenarios } from '../../scenario/index.ts';
import { blankScenario, draftOf, type Draft } from './draft.ts';
import { redoEdit, selectCanRedo, selectCanUndo, startFrom, undoEdit, useEditorStore } from './editorStore.ts';
import { saveDraft, saveDraftAs } from './session.ts';

interface Props {
  readonly draft: Draft;
  /** The built-in open in the viewer, offered first under "Start from". */
  readonly currentId: string | undefined;
  /** Problems the parser found; Run needs none. */
  readonly problemCount: number;
  readonly onRun: () => void;
}

const AWAY = 'The work before it is one undo away.';

export function EditorToolbar({ draft, currentId, problemCount, onRun }: Props) {
  const canUndo = useEditorStore(selectCanUndo);
  const canRedo = useEditorStore(selectCanRedo);
  const savedId = useEditorStore((s) => s.savedId);
  const [naming, setNaming] = useState<string | undefined>(undefined);
  const ids = { from: useId(), name: useId() };
  const current = builtinScenarios.find((b) => b.id === currentId);

  const startFromBuiltin = (id: string) => {
    const found = builtinScenarios.find((b) => b.id === id)?.scenario;
    if (found) startFrom(draftOf(found), { status: `Started from the built-in "${found.title}". ${AWAY}` });
  };

  return (
    <div className="ed-toolbar" role="toolbar" aria-label="Scenario editor">
      <button type="button" className="button" onClick={() => startFrom(blankScenario(), { status: `A new blank scenario. ${AWAY}` })}>New</button>
      <div className="ed-from">
        <label htmlFor={ids.from}>Start from</label>
        <select id={ids.from} className="ed-input" value="" onChange={(e) => startFromBuiltin(e.target.value)}>
          <option value="">(choose a scenario to copy)</option>
          {current && <option value={current.id}>The one open now: {current.scenario.title}</option>}
          {builtinScenarios.map((b) => <option key={b.id} value={b.id}>{b.scenario.title}</option>)}
        </select>
      </div>
      <span className="ed-toolbar-sep" />
      <button type="button" className="button" onClick={undoEdit} disabled={!canUndo} aria-keyshortcuts="Control+Z Meta+Z">Undo</button>
      <button type="button" className="button" onClick={redoEdit} disabled={!canRedo} aria-keyshortcuts="Control+Shift+Z Control+Y Meta+Shift+Z">Redo</button>
      <span className="ed-toolbar-sep" />
      {savedId !== undefined && <button type="button" className="button" onClick={() => void saveDraft()}>Save</button>}
      {naming === undefined ? (
        <button type="button" className="button" onClick={() => setNaming(typeof draft.title === 'string' ? draft.title : '')}>Save as…</button>
      ) : (
        <form className="ed-inline-form" onSubmit={(e) => { e.preventDefault(); void saveDraftAs(naming); setNaming(undefined); }}>
          <label htmlFor={ids.name}>Name</label>
          <input id={ids.name} className="ed-input" value={naming} maxLength={200} onChange={(e) => setNaming(e.target.value)} autoFocus />
          <button type="submit" className="button" disabled={naming.trim() === ''}>Save</button>
          <button type="button" className="button" onClick={() => setNaming(undefined)}>Cancel</button>
        </form>
      )}
      <span className="ed-toolbar-grow" />
      <button type="button" className="button button-primary ed-run" onClick={onRun} aria-describedby={problemCount > 0 ? 'ed-run-why' : undefined}>Run ▶</button>
      {problemCount > 0 && <span id="ed-run-why" className="visually-hidden">{problemCount} problems must be fixed first</span>}
    </div>
  );
}
