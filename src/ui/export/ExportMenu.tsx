/**
 * "Export ▾" in the header: the diagram as SVG or PNG (the scenario inside,
 * so "Open file" brings it back at the same step and view), or the scenario
 * as a .json file.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Scenario } from '../../scenario/index.ts';
import { addNotice, useAppStore } from '../../store/appStore.ts';
import { selectStatus } from '../../store/selectors.ts';
import type { ExportKind } from './exportDiagram.ts';
import './export.css';

const ITEMS: readonly { kind: ExportKind; label: string }[] = [
  { kind: 'svg', label: 'Diagram as SVG' },
  { kind: 'png', label: 'Diagram as PNG' },
  { kind: 'json', label: 'Scenario as JSON' },
];

export interface ExportMenuProps {
  /** The open scenario, as a document (a built-in or one opened from a file or link). */
  readonly getScenario: () => Scenario | undefined;
}

export function ExportMenu({ getScenario }: ExportMenuProps) {
  const status = useAppStore(selectStatus);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const items = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    if (!open) return;
    items.current[0]?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const run = async (kind: ExportKind) => {
    setOpen(false);
    const scenario = getScenario();
    if (!scenario) return addNotice({ tone: 'error', text: 'Nothing to export: no scenario is open.' });
    setBusy(true);
    try {
      // The exporters (cloning styles, PNG encoding, the payload) are fetched on the first export.
      const { exportCurrent } = await import('./exportDiagram.ts');
      await exportCurrent({ kind, scenario, target: document.getElementById('stage-panel') });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      addNotice({ tone: 'error', text: `The ${kind.toUpperCase()} export failed: ${why.replace(/\.$/, '')}.${kind === 'png' ? ' The SVG export may still work.' : ''}` });
    } finally {
      setBusy(false);
    }
  };

  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const i = items.current.findIndex((el) => el === document.activeElement);
    const to = event.key === 'ArrowDown' ? i + 1 : event.key === 'ArrowUp' ? i - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? ITEMS.length - 1 : undefined;
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
      root.current?.querySelector<HTMLButtonElement>('.export-toggle')?.focus();
    } else if (to !== undefined) {
      event.preventDefault();
      items.current[(to + ITEMS.length) % ITEMS.length]?.focus();
    }
  };

  return (
    <div className="export-menu" ref={root}>
      <button type="button" className="button export-toggle" aria-haspopup="menu" aria-expanded={open} disabled={status !== 'ready' || busy}
        onClick={() => setOpen((o) => !o)}>
        {busy ? 'Exporting…' : 'Export'} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div className="export-items" role="menu" aria-label="Export" onKeyDown={onMenuKey}>
          {ITEMS.map((item, i) => (
            <button key={item.kind} ref={(el) => { items.current[i] = el; }} type="button" role="menuitem" className="export-item" onClick={() => void run(item.kind)}>
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
