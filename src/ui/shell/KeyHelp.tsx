/**
 * The "?" dialog: every key the page answers. Modal: focus moves into it,
 * Tab cycles inside it, Escape (or Close) shuts it and focus returns to
 * where it was.
 */
import { useEffect, useRef } from 'react';
import { setHelpOpen, useAppStore } from '../../store/appStore.ts';
import { selectHelpOpen } from '../../store/selectors.ts';

export interface KeyRow {
  readonly keys: string;
  readonly action: string;
}

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])')].filter((el) => !el.hasAttribute('disabled'));
}

export function KeyHelp({ rows }: { rows: readonly KeyRow[] }) {
  const open = useAppStore(selectHelpOpen);
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.current?.querySelector<HTMLElement>('.key-help-close')?.focus();
    return () => before?.focus();
  }, [open]);
  if (!open) return null;
  const onKeyDown = (event: React.KeyboardEvent) => {
    // The page's own keys stay quiet while the dialog is up.
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      setHelpOpen(false);
      return;
    }
    if (event.key !== 'Tab' || !dialog.current) return;
    const list = focusables(dialog.current);
    const first = list[0];
    const last = list[list.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };
  return (
    <div className="key-help-backdrop" onClick={() => setHelpOpen(false)}>
      <div ref={dialog} className="key-help card" role="dialog" aria-modal="true" aria-labelledby="key-help-title" data-testid="key-help"
        onKeyDown={onKeyDown} onClick={(e) => e.stopPropagation()}>
        <h2 id="key-help-title">Keyboard</h2>
        <table className="key-help-table">
          <thead><tr><th scope="col">Key</th><th scope="col">Does</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.keys}><td><kbd>{r.keys}</kbd></td><td>{r.action}</td></tr>
            ))}
          </tbody>
        </table>
        <button type="button" className="button button-primary key-help-close" onClick={() => setHelpOpen(false)}>Close</button>
      </div>
    </div>
  );
}
