/**
 * One level of the walk: the translation table read at this level (its base,
 * a few of its entries, the indexed one highlighted) and, under it, the
 * descriptor that entry held, in hex and decoded.
 */
import type { KeyboardEvent } from 'react';
import type { TableBox } from './walkLayout.ts';
import { WALK_GEOMETRY as G } from './walkLayout.ts';
import { hex64, hexDigits, hexGrouped, hexWidth, levelClass } from '../format.ts';
import { descriptorDetail, descriptorHeadline, descriptorKind, descriptorTarget } from './describe.ts';

interface Props {
  readonly table: TableBox;
  /** For the first table: the register its base came from (TTB0, S2TTB). */
  readonly base: string | undefined;
  /** A nested walk's stage-1 tables are found by IPA. */
  readonly ipa?: boolean;
  readonly selected: boolean;
  readonly onSelect: (level: number) => void;
}

export function TableStage({ table, base, ipa = false, selected, onSelect }: Props) {
  const { step, level } = table;
  const digits = hexWidth(step.indexBits[0] - step.indexBits[1] + 1);
  const type = step.decoded?.type ?? 'unreadable';
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(level);
    }
  };
  const right = table.x + table.width;
  return (
    <g className={`table-stage ${levelClass(level)}${table.faulted ? ' faulted' : ''}${selected ? ' selected' : ''}`} data-level={level} onClick={() => onSelect(level)}>
      <rect className="table-frame" x={table.x} y={table.y} width={table.width} height={table.height} rx={8} />
      <path className="table-header"
        d={`M${table.x},${table.y + G.headerHeight} V${table.y + 8} q0,-8 8,-8 H${right - 8} q8,0 8,8 V${table.y + G.headerHeight} Z`} />
      <text className="table-title" x={table.x + 10} y={table.y + 19}>Level {level} table</text>
      <text className="table-base" x={table.x + 10} y={table.y + 37}>{ipa ? 'IPA ' : ''}{hexGrouped(step.tableAddress)}</text>
      {base !== undefined && <text className="table-ttb" x={table.x} y={table.y - 9}>base from {base}</text>}
      {table.rows.map((row, r) =>
        row.kind === 'gap' ? (
          <text key={`gap-${r}`} className="row-gap" x={table.x + 24} y={row.y + G.rowHeight / 2} dominantBaseline="central">⋮</text>
        ) : (
          <g key={row.index} className={row.highlighted ? 'row row-hit' : 'row'}>
            {row.highlighted && <rect className="row-hit-fill" x={table.x + 3} y={row.y + 1} width={table.width - 6} height={G.rowHeight - 2} rx={4} />}
            <text className="row-index" x={table.x + 10} y={row.y + G.rowHeight / 2} dominantBaseline="central">
              {hexDigits(row.index, digits)}
            </text>
            {row.highlighted && (
              <text className="row-type" x={table.x + 68} y={row.y + G.rowHeight / 2} dominantBaseline="central">{type}</text>
            )}
          </g>
        ),
      )}
      <g className="descriptor-card">
        <rect className="card-frame" x={table.card.x} y={table.card.y} width={table.card.width} height={table.card.height} rx={8} />
        <text className="card-label" x={table.card.x + 9} y={table.card.y + 17}>L{level} descriptor</text>
        <text className="card-hex" x={table.card.x + 9} y={table.card.y + 35}>
          {step.descriptor === undefined ? '(no data)' : hex64(step.descriptor)}
        </text>
        <text className="card-kind" x={table.card.x + 9} y={table.card.y + 55}>{descriptorKind(step)}</text>
        <text className="card-target" x={table.card.x + 9} y={table.card.y + 73}>{descriptorTarget(step)}</text>
        <text className="card-detail" x={table.card.x + 9} y={table.card.y + 91}>{descriptorDetail(step)}</text>
      </g>
      <title>{`${descriptorHeadline(step)}; ${descriptorDetail(step)}`}</title>
      {/* The control is a bare hit area over the table, so its name is not
          measured against the table's many visible labels. */}
      <rect className="table-hit" x={table.x} y={table.y} width={table.width} height={table.card.y + table.card.height - table.y} rx={8}
        role="button" tabIndex={0} aria-pressed={selected} aria-label={`Inspect the level ${level} descriptor`} onKeyDown={onKeyDown} />
    </g>
  );
}
