/**
 * One DMA transaction through the SMMU, as the spec's translation procedure
 * runs it: the StreamID selects an STE, the SubstreamID a CD, the IOTLB is
 * consulted, the tables are walked, and the transaction ends at a PA or is
 * terminated with an event record. Rows appear in that order, like the
 * walk's levels; the walk row is the walk diagram itself.
 */
import { useRef } from 'react';
import type { DmaOutcome } from '../../engine/hw/smmu/dma-types.ts';
import { FEATURE_PRESETS, type SmmuFeatures } from '../../engine/hw/smmu/features.ts';
import type { TlbRow } from '../../worker/smmu-view-types.ts';
import { hexGrouped } from '../format.ts';
import { STAGE_MS } from '../walk/useReveal.ts';
import { CdRow, SteRow } from './ContextRows.tsx';
import { DmaResult } from './DmaResult.tsx';
import { PathRow } from './PathRow.tsx';
import { TlbStop, WalkStop } from './TlbAndWalk.tsx';
import { useStagedReveal } from './useStagedReveal.ts';
import './dma.css';

interface Props {
  readonly outcome: DmaOutcome;
  /** The SMMU's features (for decoding the STE and CD as this SMMU would); the full preset when unknown. */
  readonly features: SmmuFeatures | undefined;
  /** IOTLB rows after the step, to tell whether a hit used a stale entry. */
  readonly tlbRows: readonly TlbRow[] | undefined;
  readonly replayKey: unknown;
  readonly inspectedLevel: number | undefined;
}

function accessWords(o: DmaOutcome): string {
  const a = o.tx.access;
  return `${a.privileged ? 'privileged' : 'unprivileged'} ${a.kind === 'exec' ? 'instruction fetch' : `${a.kind} (data)`}`;
}

/** Walk-diagram stages: one per level read and the result; an early fault has no svg to reveal. */
function walkStages(o: DmaOutcome): number {
  const w = o.trace.walk;
  return w?.setup ? w.steps.length + 1 : 1;
}

export function dmaSummary(o: DmaOutcome): string {
  const who = `StreamID ${o.tx.sid}${o.tx.ssid !== undefined ? ` SubstreamID ${o.tx.ssid}` : ''}`;
  const what = `${o.tx.access.kind} of ${hexGrouped(o.tx.address)}`;
  if (o.result !== 'terminated') return `${who}: ${what} ${o.result === 'bypassed' ? 'bypassed to' : 'translated to'} PA ${hexGrouped(o.output ?? 0n)}`;
  const r = o.recorded;
  const event = o.event ? `; ${o.event.name} ${r && 'index' in r ? `recorded at event queue index ${r.index}` : 'not recorded'}` : '';
  return `${who}: ${what} terminated (${o.response ?? 'abort'})${event}`;
}

export function DmaPath({ outcome, features, tlbRows, replayKey, inspectedLevel }: Props) {
  const ref = useRef<HTMLElement>(null);
  const f = features ?? FEATURE_PRESETS.full;
  const walkStart = 4 * STAGE_MS;
  const delays = [0, STAGE_MS, 2 * STAGE_MS, 3 * STAGE_MS, walkStart, walkStart + walkStages(outcome) * STAGE_MS];
  useStagedReveal(ref, replayKey, delays);
  const { tx, trace } = outcome;
  return (
    <figure className="dma" ref={ref} aria-label={`DMA from StreamID ${tx.sid} through the SMMU`} data-testid="dma-path">
      <h3 className="dma-title">DMA through the SMMU</h3>
      <ol className="dma-path">
        <PathRow stage={0} number={1} title="Transaction" chip={accessWords(outcome)} state="done" testId="dma-tx">
          <p className="dma-line">
            StreamID <strong>{tx.sid}</strong> · {tx.ssid !== undefined ? <>SubstreamID <strong>{tx.ssid}</strong></> : 'no SubstreamID'} · address{' '}
            <code className="dma-input">{hexGrouped(tx.address, 16)}</code>
          </p>
        </PathRow>
        {trace.ste ? <SteRow outcome={outcome} features={f} stage={1} /> : (
          <PathRow stage={1} number={2} title="STE" chip="not used" state="skipped" testId="dma-ste">
            <p className="dma-line muted">{trace.smmuEnabled ? 'not reached' : 'CR0.SMMUEN = 0: the SMMU is disabled and reads no STE; GBPA decides.'}</p>
          </PathRow>
        )}
        <CdRow outcome={outcome} features={f} stage={2} />
        <TlbStop outcome={outcome} stage={3} tlbRows={tlbRows} />
        <WalkStop outcome={outcome} stage={4} startDelay={walkStart} replayKey={replayKey} inspectedLevel={inspectedLevel} />
        <DmaResult outcome={outcome} stage={5} tlbRows={tlbRows} />
      </ol>
      <figcaption className={outcome.result === 'terminated' ? 'dma-summary is-fault' : 'dma-summary'} role="status" data-testid="dma-summary">
        {dmaSummary(outcome)}
      </figcaption>
    </figure>
  );
}
