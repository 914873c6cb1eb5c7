/**
 * The stream table: one row per StreamID with its STE's Config and key
 * fields, and for a 2-level table the L1 descriptors (Span, L2Ptr). Only the
 * rows in view are rendered and only their STEs are asked of the worker, so
 * a 65,536-entry table scrolls as lightly as a 256-entry one.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { SteGapView, SteRowView, StreamTableWindow } from '../../worker/smmu-view-types.ts';
import { hexGrouped } from '../format.ts';
import { L1Table } from './L1Table.tsx';
import { configShort, steFieldsText } from './smmuText.ts';

export const ROW_HEIGHT = 34;
const VIEW_HEIGHT = 340;
/**
 * Rows asked for around those in view (the most one answer may carry), so
 * scrolling asks again only every few screens: each answer replaces the
 * store's SMMU view and re-renders every panel that shows it.
 */
const WINDOW_ROWS = 240;

interface Props {
  readonly table: StreamTableWindow;
  readonly selected: number | undefined;
  /** The StreamID the current step is about (its DMA or its STE write). */
  readonly current: number | undefined;
  readonly onWindow: (first: number, count: number) => void;
  readonly onPick: (sid: number) => void;
}

const isRow = (r: SteRowView | SteGapView): r is SteRowView => 'words' in r;

export function StreamTablePanel({ table, selected, current, onWindow, onPick }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [goTo, setGoTo] = useState('');
  const ids = { list: useId(), goto: useId() };
  const size = table.size;
  const firstVisible = Math.min(Math.floor(scrollTop / ROW_HEIGHT), Math.max(size - 1, 0));
  const visibleCount = Math.min(Math.ceil(VIEW_HEIGHT / ROW_HEIGHT) + 1, size - firstVisible);
  const byId = new Map(table.rows.map((r) => [r.sid, r] as const));

  useEffect(() => {
    const inWindow = firstVisible >= table.first && firstVisible + visibleCount <= table.first + table.count;
    if (!inWindow) onWindow(Math.max(0, firstVisible - Math.floor((WINDOW_ROWS - visibleCount) / 2)), WINDOW_ROWS);
  }, [firstVisible, visibleCount, table.first, table.count, onWindow]);

  const reveal = (sid: number) => {
    const top = sid * ROW_HEIGHT;
    if (top >= scrollTop && top + ROW_HEIGHT <= scrollTop + VIEW_HEIGHT) return;
    const next = Math.max(0, top - ROW_HEIGHT * 2);
    if (scroller.current) scroller.current.scrollTop = next;
    // The scroll event reports the same position; setting it here also moves the window where no layout runs.
    setScrollTop(next);
  };
  const pick = (sid: number) => {
    const s = Math.min(Math.max(sid, 0), size - 1);
    reveal(s);
    onPick(s);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const from = selected ?? firstVisible;
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: visibleCount - 1, PageUp: -(visibleCount - 1), Home: -size, End: size };
    const delta = moves[event.key];
    if (delta === undefined) return;
    event.preventDefault();
    pick(from + delta);
  };

  const rows: number[] = [];
  for (let sid = firstVisible; sid < firstVisible + visibleCount; sid++) rows.push(sid);

  return (
    <div className="stream-table" data-testid="stream-table">
      <p className="panel-lead">
        {table.fmt === 'linear' ? 'Linear' : '2-level'} stream table at <code>{hexGrouped(table.base)}</code> (STRTAB_BASE):{' '}
        {size.toLocaleString('en-US')} StreamIDs (LOG2SIZE = {table.log2size}{table.fmt === '2-level' ? `, SPLIT = ${table.split}` : ''}), 64 bytes per STE.
      </p>
      {table.fmt === '2-level' && <L1Table table={table} onShow={pick} />}
      <div className="stream-tools">
        <label htmlFor={ids.goto}>Go to StreamID</label>
        <input id={ids.goto} className="sid-input mono" inputMode="numeric" value={goTo} onChange={(e) => setGoTo(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter' && /^\s*(0x[0-9a-f]+|\d+)\s*$/i.test(goTo)) pick(Number(goTo.trim())); }} />
        <span className="muted">↑ ↓ in the list move between STEs; the selected one opens in the inspector.</span>
      </div>
      <div className="ste-header" aria-hidden="true">
        <span>StreamID</span><span>Address</span><span>Config</span><span>Key fields</span>
      </div>
      <div ref={scroller} className="ste-scroll" style={{ height: VIEW_HEIGHT, contain: 'strict' }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        role="listbox" id={ids.list} tabIndex={0} aria-label={`Stream table entries, ${size} StreamIDs`} onKeyDown={onKeyDown}
        aria-activedescendant={selected !== undefined && selected >= firstVisible && selected < firstVisible + visibleCount ? `${ids.list}-${selected}` : undefined}>
        <div className="ste-spacer" style={{ height: size * ROW_HEIGHT }}>
          {rows.map((sid) => {
            const r = byId.get(sid);
            const cls = `ste-row${sid === selected ? ' is-selected' : ''}${sid === current ? ' is-current' : ''}${r && !isRow(r) ? ' is-gap' : ''}${r && isRow(r) && !r.valid ? ' is-bad' : ''}`;
            return (
              <div key={sid} id={`${ids.list}-${sid}`} role="option" aria-selected={sid === selected} aria-posinset={sid + 1} aria-setsize={size}
                className={cls} style={{ top: sid * ROW_HEIGHT, height: ROW_HEIGHT }} onClick={() => pick(sid)} data-sid={sid}>
                <span className="mono ste-sid">{sid}</span>
                {!r ? <span className="muted ste-wide">…</span> : isRow(r) ? (
                  <>
                    <span className="mono">{hexGrouped(r.address)}</span>
                    <span className={`ste-config config-${configShort(r.config).replace(/[^a-z0-9]+/gi, '-')}`}>{configShort(r.config)}</span>
                    <span className="mono ste-fields">{steFieldsText(r)}</span>
                  </>
                ) : <span className="muted ste-wide">{r.reason}</span>}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
