/**
 * The stage-1 walk diagram: the input address split into its index fields,
 * the tables the walk read, level by level, and the result. Layout comes
 * from walkLayout.ts; this component only draws it, and useReveal animates
 * the levels in walk order each time the step becomes current.
 */
import { useMemo, useRef } from 'react';
import type { WalkResult } from '../../engine/hw/pgtable/types.ts';
import { accessText, faultTitle, granuleName, hexGrouped } from '../format.ts';
import { AddressBar } from './AddressBar.tsx';
import { Arrows } from './Arrows.tsx';
import { walkSummary } from './describe.ts';
import { PlaceholderBox, ResultBox } from './ResultBox.tsx';
import { TableStage } from './TableStage.tsx';
import { layoutWalk } from './walkLayout.ts';
import { isNested } from './nested.ts';
import { NestedReads } from './NestedReads.tsx';
import { NestedGridView } from './NestedGrid.tsx';
import type { CdStage2 } from './nestedGrid.ts';
import { STAGE_MS, useReveal } from './useReveal.ts';
import './walk.css';

interface Props {
  readonly walk: WalkResult;
  /** Name of the page table walked (the scenario's pgtable name). */
  readonly table: string;
  /** A stage-2 table walks IPAs; a stage-1 walk may be nested in a stage-2 table (its name). */
  readonly stage?: 1 | 2;
  readonly nestedIn?: string | undefined;
  /** A DMA's CD fetched through stage 2: its walk is the first row of the nested grid. */
  readonly cdStage2?: CdStage2 | undefined;
  /** Changes whenever this walk should be revealed again (each time its step becomes current). */
  readonly replayKey: unknown;
  readonly inspectedLevel: number | undefined;
  readonly onInspect: (level: number) => void;
  /** Milliseconds before the reveal starts (the DMA path reveals its STE, CD and IOTLB first). */
  readonly startDelay?: number;
}

export function WalkDiagram({ walk, table, stage = 1, nestedIn, cdStage2, replayKey, inspectedLevel, onInspect, startDelay = 0 }: Props) {
  const layout = useMemo(() => layoutWalk(walk), [walk]);
  const svgRef = useRef<SVGSVGElement>(null);
  useReveal(svgRef, replayKey, startDelay);
  const summary = walkSummary(walk);
  const setup = walk.setup;
  const inputName = stage === 2 ? 'IPA' : 'IOVA';
  const nested = stage === 1 && isNested(walk);
  const title = stage === 2 ? 'Stage-2 translation table walk' : nested ? 'Nested translation table walk' : 'Stage-1 translation table walk';

  return (
    <figure className="walk" aria-label={title}>
      {layout && setup ? (
        <svg ref={svgRef} className="walk-svg" viewBox={`0 0 ${layout.width} ${layout.height}`} role="group"
          aria-label={`Walk of ${hexGrouped(walk.input)} through ${table}`}>
          <text className="walk-input-label" x={16} y={27}>
            Input address ({inputName}){'  '}
            <tspan className="walk-input" data-testid="walk-input">{hexGrouped(walk.input, 16)}</tspan>
          </text>
          <text className="walk-setup" x={layout.width - 16} y={26} textAnchor="end">
            {granuleName(setup.granule)} granule · {setup.inputSize}-bit input · walk starts at level {setup.startLevel} · {accessText(walk.access)}
          </text>
          <AddressBar fields={layout.fields} />
          {layout.tables.map((t, i) => (
            <g key={t.level} className="stage" data-stage={i}>
              <TableStage table={t} base={i === 0 ? (stage === 2 ? 'S2TTB' : 'TTB0') : undefined} ipa={nested} selected={t.level === inspectedLevel} onSelect={onInspect} />
              <Arrows arrows={layout.arrows[i] ?? []} />
            </g>
          ))}
          <g className="stage" data-stage={layout.tables.length}>
            {layout.placeholders.map((p) => <PlaceholderBox key={p.level} placeholder={p} walk={walk} />)}
            <ResultBox walk={walk} box={layout.result} nestedIn={nestedIn} />
            <Arrows arrows={layout.arrows[layout.arrows.length - 1] ?? []} />
          </g>
        </svg>
      ) : (
        <div className="walk-early-fault" role="group" aria-label="Walk that faulted before reading any table">
          <p className="walk-input-line">Input address ({inputName}) <code data-testid="walk-input">{hexGrouped(walk.input, 16)}</code></p>
          <p className="walk-early-title" data-testid="walk-fault">{walk.fault ? faultTitle(walk.fault.type) : 'No result'}</p>
          <p>{walk.fault ? `at level ${walk.fault.level}: ${walk.fault.reason}` : 'The engine returned neither an output address nor a fault.'}</p>
        </div>
      )}
      <figcaption className="walk-caption">
        <p className={walk.fault ? 'walk-summary is-fault' : 'walk-summary'} data-testid="walk-summary" role="status">{summary}</p>
        {nested && (
          <>
            <p className="walk-footnote">
              Nested walk: every stage-1 table address above is an IPA, translated by stage 2{nestedIn !== undefined ? ` (${nestedIn})` : ''} before it is read, and so is the IPA the stage-1 leaf gives.
            </p>
            <NestedGridView walk={walk} cd={cdStage2} replayKey={replayKey} startDelay={startDelay + ((layout?.tables.length ?? 0) + 1) * STAGE_MS} />
            <NestedReads walk={walk} />
          </>
        )}
        <p className="walk-footnote">
          Levels numbered as in the Arm ARM: level 0 is the top for a 4KB granule with 48-bit input. Select a table to inspect its descriptor.
        </p>
      </figcaption>
    </figure>
  );
}
