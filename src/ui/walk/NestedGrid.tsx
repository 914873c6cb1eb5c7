/**
 * The nested walk in two dimensions (nestedGrid.ts): stage-1 levels down,
 * stage-2 levels across, each cell one descriptor read with its number in
 * the order of memory accesses. The reads light up in that order; with
 * reduced motion the grid shows at once. `data-reveal` reads running / done.
 */
import { useEffect, useMemo, useRef } from 'react';
import { interrupt, select } from 'd3';
import type { WalkResult } from '../../engine/hw/pgtable/types.ts';
import { hexGrouped, levelClass } from '../format.ts';
import { GRID, nestedGrid, type CdStage2 } from './nestedGrid.ts';
import { prefersReducedMotion } from './useReveal.ts';

/** Time between two reads lighting up: 24 reads take about 2.4 s. */
export const READ_MS = 100;

function useReadReveal(svgRef: React.RefObject<SVGSVGElement | null>, replayKey: unknown, startDelay: number): void {
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const root = select(svg);
    const cells = root.selectAll<SVGGElement, unknown>('g.grid-cell');
    const settle = () => {
      cells.each(function () { interrupt(this, 'reads'); }).style('opacity', null);
    };
    settle();
    if (prefersReducedMotion() || cells.empty()) {
      root.attr('data-reveal', 'done');
      return settle;
    }
    root.attr('data-reveal', 'running');
    const last = cells.size() - 1;
    cells.each(function (_, i) {
      const order = Number(this.getAttribute('data-order'));
      const t = select(this).style('opacity', 0.12).transition('reads').delay(startDelay + order * READ_MS).duration(READ_MS * 2).style('opacity', 1);
      if (i === last) t.on('end', () => root.attr('data-reveal', 'done'));
    });
    return settle;
  }, [svgRef, replayKey, startDelay]);
}

export interface NestedGridProps {
  readonly walk: WalkResult;
  readonly cd?: CdStage2 | undefined;
  readonly replayKey: unknown;
  readonly startDelay?: number;
}

export function NestedGridView({ walk, cd, replayKey, startDelay = 0 }: NestedGridProps) {
  const grid = useMemo(() => nestedGrid(walk, cd), [walk, cd]);
  const svgRef = useRef<SVGSVGElement>(null);
  useReadReveal(svgRef, replayKey, startDelay);
  const headerY = GRID.pad + GRID.header - 10;
  return (
    <figure className="nested-grid" data-testid="nested-grid">
      <p className="nested-grid-total" data-testid="nested-grid-total">
        <strong>{grid.total}</strong> memory accesses: {grid.stage1} stage-1 descriptor reads + {grid.stage2} stage-2 descriptor reads{cd ? ' (the CD fetch\'s stage-2 walk included)' : ''}
      </p>
      <svg ref={svgRef} className="nested-grid-svg" viewBox={`0 0 ${grid.width} ${grid.height}`} style={{ maxWidth: `${grid.width}px` }} width="100%" role="img"
        aria-label={`Two-dimensional nested walk: ${grid.rows.length} rows, ${grid.total} memory accesses in order`}>
        {grid.columns.map((c, i) => (
          <text key={i} className="grid-head" x={GRID.pad + GRID.labelWidth + i * (GRID.cellWidth + GRID.gap) + GRID.cellWidth / 2} y={headerY} textAnchor="middle">
            {c.kind === 's2' ? `Stage-2 L${c.level}` : 'Stage-1 read'}
          </text>
        ))}
        {grid.rows.map((row) => (
          <g key={row.key} className={`grid-row${row.fault ? ' is-fault' : ''}`} data-row={row.key}>
            <text className="grid-row-label" x={GRID.pad} y={row.y + 20}>{row.label}</text>
            <text className="grid-row-ipa" x={GRID.pad} y={row.y + 38}>IPA {hexGrouped(row.ipa)}</text>
            {row.cells.map((cell) => (
              <g key={cell.order} className={`grid-cell cell-${cell.kind} ${cell.kind === 's1' ? levelClass(cell.level) : ''}`} data-order={cell.order}>
                <rect x={cell.x} y={row.y} width={GRID.cellWidth} height={GRID.cellHeight} rx={6} />
                <text className="cell-order" x={cell.x + 8} y={row.y + 19}>{cell.order}</text>
                <text className="cell-level" x={cell.x + GRID.cellWidth - 8} y={row.y + 19} textAnchor="end">{cell.kind === 's1' ? 'S1' : 'S2'} L{cell.level}</text>
                <text className="cell-address" x={cell.x + 8} y={row.y + 39}>{hexGrouped(cell.address)}</text>
                <title>{`Read ${cell.order}: stage-${cell.kind === 's1' ? 1 : 2} level ${cell.level} descriptor at PA ${hexGrouped(cell.address)}`}</title>
              </g>
            ))}
            {row.fault && (
              <text className="grid-fault" x={GRID.pad + GRID.labelWidth + row.cells.length * (GRID.cellWidth + GRID.gap) + 6} y={row.y + 30}>✕ {row.fault}</text>
            )}
          </g>
        ))}
      </svg>
      <figcaption className="walk-footnote">
        Each row first walks stage 2 for the IPA on its left (cells across), then reads the stage-1 descriptor at the PA found. Numbers give the order of the reads.
      </figcaption>
    </figure>
  );
}
