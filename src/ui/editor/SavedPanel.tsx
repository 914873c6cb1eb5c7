/**
 * The scenarios saved in this browser: open one (the current work stays one
 * undo away), rename it, or delete it (asked twice).
 */
import { useState } from 'react';
import type { SavedScenario } from '../../persist/work.ts';
import { useEditorStore } from './editorStore.ts';
import { deleteSaved, openSaved, renameSaved } from './session.ts';

const when = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function SavedItem({ saved, current }: { readonly saved: SavedScenario; readonly current: boolean }) {
  const [renaming, setRenaming] = useState<string | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);
  if (renaming !== undefined) {
    return (
      <li className="ed-saved-item">
        <form className="ed-inline-form" onSubmit={(e) => { e.preventDefault(); void renameSaved(saved.id, renaming); setRenaming(undefined); }}>
          <label className="visually-hidden" htmlFor={`rename-${saved.id}`}>New name for {saved.name}</label>
          <input id={`rename-${saved.id}`} className="ed-input" value={renaming} maxLength={200} onChange={(e) => setRenaming(e.target.value)} autoFocus />
          <button type="submit" className="button ed-small" disabled={renaming.trim() === ''}>Rename</button>
          <button type="button" className="button ed-small" onClick={() => setRenaming(undefined)}>Cancel</button>
        </form>
      </li>
    );
  }
  return (
    <li className="ed-saved-item" aria-current={current ? 'true' : undefined}>
      <span className="ed-saved-name">{saved.name}</span>
      <span className="muted ed-saved-time">{when(saved.updated)}</span>
      <span className="ed-saved-actions">
        <button type="button" className="button ed-small" aria-label={`Open ${saved.name}`} onClick={() => openSaved(saved.id)}>Open</button>
        <button type="button" className="button ed-small" aria-label={`Rename ${saved.name}`} onClick={() => setRenaming(saved.name)}>Rename</button>
        {confirming ? (
          <>
            <button type="button" className="button ed-small ed-danger" onClick={() => void deleteSaved(saved.id)}>Delete “{saved.name}”</button>
            <button type="button" className="button ed-small" onClick={() => setConfirming(false)}>Keep</button>
          </>
        ) : (
          <button type="button" className="button ed-small" aria-label={`Delete ${saved.name}`} onClick={() => setConfirming(true)}>Delete</button>
        )}
      </span>
    </li>
  );
}

export function SavedPanel() {
  const saved = useEditorStore((s) => s.saved);
  const savedId = useEditorStore((s) => s.savedId);
  const storage = useEditorStore((s) => s.storage);
  const problem = useEditorStore((s) => s.storageProblem);
  return (
    <section className="ed-saved" aria-labelledby="ed-saved-heading">
      <h3 id="ed-saved-heading" className="ed-form-title">Saved scenarios</h3>
      <p className={storage === 'memory' ? 'ed-status' : 'ed-help'} data-testid="editor-storage">
        {storage === 'indexeddb' && 'Kept in this browser (IndexedDB). Your current work is saved as you type.'}
        {storage === 'memory' && (problem ?? 'The browser’s storage cannot be used: everything here lasts only as long as this tab.')}
        {storage === 'opening' && 'Opening the browser’s storage…'}
      </p>
      {saved.length === 0 ? (
        <p className="muted">None yet: “Save as…” keeps the scenario here under a name.</p>
      ) : (
        <ul className="ed-saved-list">
          {saved.map((s) => <SavedItem key={s.id} saved={s} current={s.id === savedId} />)}
        </ul>
      )}
    </section>
  );
}
