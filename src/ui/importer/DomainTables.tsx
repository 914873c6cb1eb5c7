/**
 * domain_translation_struct: per device, the pages its table maps (IOVA ->
 * page address, size, access), and for a picked row the walk that reached
 * it, entry by entry, decoded as first- or second-stage entries.
 */
import { useState } from 'react';
import { LEVEL_NAMES, sizeText, type PageRow } from '../../importers/vtd-domain.ts';
import { PTE_FIRST_STAGE, PTE_SECOND_STAGE, type EntryLayout } from '../../importers/vtd-fields.ts';
import type { DomainView, Stage } from '../../importers/vtd-model.ts';
import { hex64, hexGrouped } from '../format.ts';
import { FieldChips } from './FieldTable.tsx';

const SHOWN_ROWS = 200;

const STAGE_LABEL: Record<Stage, string> = { first: 'first-stage table', second: 'second-stage table', unknown: 'stage unknown' };

function layoutFor(stage: Stage): EntryLayout | undefined {
  return stage === 'first' ? PTE_FIRST_STAGE : stage === 'second' ? PTE_SECOND_STAGE : undefined;
}

function Walk({ row, stage }: { readonly row: PageRow; readonly stage: Stage }) {
  const layout = layoutFor(stage);
  const names = layout === PTE_FIRST_STAGE ? ['P', 'R/W', 'U/S', 'A', 'D', 'PS', 'XD', 'ADDR'] : ['R', 'W', 'PS', 'SNP', 'ADDR'];
  return (
    <div className="import-walk" data-testid="import-walk">
      <h5>Walk for IOVA {hexGrouped(row.iova)} (line {row.line})</h5>
      <ol>
        {row.path.filter((p) => p.value !== 0n || (p.level > row.leafLevel && row.path.some((q) => q.level > p.level && q.value !== 0n))).map((p) => {
          const index = Number((row.iova >> BigInt(12 + 9 * (p.level - 1))) & 0x1ffn);
          return (
            <li key={p.level}>
              <b>{LEVEL_NAMES[p.level]}</b> <span className="muted">[{index}]</span> <code>{hex64(p.value)}</code>{' '}
              {p.level === row.leafLevel ? <span className="import-tag">leaf</span> : null}{' '}
              {layout ? <FieldChips layout={layout} words={[p.value]} names={names} /> : <span className="muted">paste dmar_translation_struct too to decode the bits</span>}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function DomainTable({ view }: { readonly view: DomainView }) {
  const [picked, setPicked] = useState<number | undefined>(undefined);
  const { dump } = view;
  const rows = dump.rows.slice(0, SHOWN_ROWS);
  const pickedRow = dump.rows.find((r) => r.line === picked);
  const title = `${dump.device}${dump.pasid !== undefined ? ` PASID ${dump.pasid}` : ''}`;
  return (
    <div className="import-domain" data-testid="import-domain" data-device={dump.device}>
      <h4>{title} <span className="muted">· table at {hexGrouped(dump.pgd)} · {STAGE_LABEL[view.stage]}</span></h4>
      <p className="panel-hint">{view.stageReason}.</p>
      {view.notes.map((n) => <p key={n} className="import-note">{n}</p>)}
      <table className="import-table import-pages">
        <caption className="visually-hidden">Pages mapped for {title}</caption>
        <thead>
          <tr><th scope="col">IOVA</th><th scope="col">Size</th><th scope="col">Page address</th><th scope="col">Access</th><th scope="col">Leaf</th><th scope="col"><span className="visually-hidden">Walk</span></th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.line} className={r.line === picked ? 'is-picked' : undefined}>
              <td><code>{hexGrouped(r.iova)}</code></td>
              <td>{sizeText(r.size)}</td>
              <td><code>{hexGrouped(r.address)}</code></td>
              <td>{r.read ? (r.write ? 'read/write' : 'read-only') : r.write ? 'write-only' : 'none'}</td>
              <td>
                <b>{LEVEL_NAMES[r.leafLevel]}</b> <code className="import-raw">{hex64(r.path.find((p) => p.level === r.leafLevel)?.value ?? 0n)}</code>
                {r.notes.map((n) => <span key={n} className="import-note"> {n}</span>)}
              </td>
              <td>
                <button type="button" className="button import-walk-button" aria-pressed={r.line === picked} onClick={() => setPicked(r.line === picked ? undefined : r.line)}
                  aria-label={`Show the walk for IOVA ${hexGrouped(r.iova)} of ${title}`}>walk</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {dump.rows.length > SHOWN_ROWS && <p className="muted">{dump.rows.length - SHOWN_ROWS} more pages not shown.</p>}
      {dump.rows.length === 0 && <p className="muted">No pages mapped.</p>}
      {pickedRow && <Walk row={pickedRow} stage={view.stage} />}
    </div>
  );
}

export function DomainTables({ domains }: { readonly domains: readonly DomainView[] }) {
  return (
    <section className="import-domains" aria-labelledby="import-domains-heading" data-testid="import-domains">
      <h3 id="import-domains-heading" className="import-subtitle">Page tables (domain_translation_struct)</h3>
      <p className="panel-hint">One row per leaf the kernel's walk reached: the IOVA, the page it maps and how large. Levels are VT-d's: PML5E at the top, PTE for 4KB pages.</p>
      {domains.map((d) => <DomainTable key={`${d.dump.line}`} view={d} />)}
    </section>
  );
}
