/**
 * Where the DMA ends: the physical address it reaches, or what the device
 * sees when it is terminated, and the event record it raised with every
 * field — and whether that record reached the event queue.
 */
import type { DmaOutcome } from '../../engine/hw/smmu/dma-types.ts';
import { selectSmmuTab } from '../../store/appStore.ts';
import type { TlbRow } from '../../worker/smmu-view-types.ts';
import { hexGrouped } from '../format.ts';
import { countReads } from '../walk/nested.ts';
import { outcomeRecordRows } from './eventRecord.ts';
import { PathRow } from './PathRow.tsx';
import { RecordTable } from './RecordTable.tsx';

function bypassWhy(outcome: DmaOutcome): string {
  const t = outcome.trace;
  if (!t.smmuEnabled) return 'the SMMU is disabled (CR0.SMMUEN = 0) and GBPA.ABORT = 0 lets traffic through';
  if (t.ste?.config === 'bypass') return 'STE.Config = bypass';
  if (t.s1Bypassed) return 'stage 1 is bypassed (S1DSS) and stage 2 is off';
  return 'no stage translates this stream';
}

function silentWhy(outcome: DmaOutcome): string {
  const t = outcome.trace;
  if (!t.smmuEnabled) return 'The SMMU is disabled and GBPA.ABORT = 1: everything is aborted, without an event (there is no event queue to report to).';
  if (t.ste?.config === 'abort') return 'STE.Config = abort terminates every transaction of the stream without an event record.';
  return 'No event record.';
}

/** Opens the event queue tab and moves focus there, which also scrolls it into view. */
function showEventQueue(): void {
  selectSmmuTab('events');
  requestAnimationFrame(() => document.getElementById('smmu-tab-events')?.focus());
}

/** Reads of translation structures this DMA made (cache hits read nothing). */
export function dmaReads(outcome: DmaOutcome): { label: string; count: number }[] {
  const t = outcome.trace;
  const out: { label: string; count: number }[] = [];
  if (t.ste && !t.ste.cached && (t.ste.words || t.ste.l1)) out.push({ label: t.ste.l1 ? 'L1 descriptor + STE' : 'STE', count: (t.ste.l1 ? 1 : 0) + (t.ste.words ? 1 : 0) });
  if (t.cd && !t.cd.cached) {
    const s2 = (t.cd.s2?.steps.length ?? 0) + (t.cd.l1?.s2?.steps.length ?? 0);
    if (s2 > 0) out.push({ label: 'stage 2 for the CD', count: s2 });
    const own = (t.cd.l1 ? 1 : 0) + (t.cd.words ? 1 : 0);
    if (own > 0) out.push({ label: t.cd.l1 ? 'L1 CD descriptor + CD' : 'CD', count: own });
  }
  if (t.walk) out.push({ label: 'walk descriptors', count: countReads(t.walk).total });
  return out;
}

/** Where memory would send the access now, when the IOTLB entry it hit is stale; undefined when it is not. */
export function staleTarget(outcome: DmaOutcome, tlbRows: readonly TlbRow[] | undefined): bigint | 'fault' | undefined {
  const e = outcome.trace.tlb?.hit ? outcome.trace.tlb.entry : undefined;
  const now = e && tlbRows?.find((r) => r.slot === e.slot && r.input === e.input)?.stale?.now;
  if (now === undefined || now === 'fault' || !e) return now;
  return now + (outcome.tx.address & (e.size - 1n));
}

export function DmaResult({ outcome, stage, tlbRows }: { outcome: DmaOutcome; stage: number; tlbRows: readonly TlbRow[] | undefined }) {
  const reads = dmaReads(outcome);
  const total = reads.reduce((n, r) => n + r.count, 0);
  const readLine = (
    <p className="dma-line muted" data-testid="dma-reads">
      {total === 0 ? 'No table was read: everything came from the caches.' : `${total} reads of translation structures: ${reads.map((r) => `${r.count} ${r.label}`).join(' + ')}.`}
    </p>
  );
  if (outcome.result !== 'terminated') {
    const stale = staleTarget(outcome, tlbRows);
    return (
      <PathRow stage={stage} number={6} title="Result" chip={stale === undefined ? outcome.result : 'translated by a stale entry'} state={stale === undefined ? 'done' : 'stale'} testId="dma-result">
        <p className="dma-pa-line">PA <strong className="dma-pa" data-testid="dma-pa">{hexGrouped(outcome.output ?? 0n)}</strong></p>
        <p className="dma-line">
          {outcome.result === 'bypassed' ? `Untranslated: ${bypassWhy(outcome)}. ` : outcome.trace.tlb?.hit ? 'From the IOTLB entry plus the offset. ' : 'From the walk. '}
          The device&apos;s {outcome.tx.access.kind} goes to memory at this address.
        </p>
        {stale !== undefined && (
          <p className="dma-line dma-stale" data-testid="dma-stale-result">
            The wrong memory: the page table now {stale === 'fault' ? 'maps nothing at this address' : <>sends this address to <code>{hexGrouped(stale)}</code></>}, but the IOTLB still held the old translation. Only a TLBI (and CMD_SYNC) makes the SMMU look again.
          </p>
        )}
        {readLine}
      </PathRow>
    );
  }
  const e = outcome.event;
  const r = outcome.recorded;
  return (
    <PathRow stage={stage} number={6} title="Result" chip="terminated" state="fault" testId="dma-result">
      <p className="dma-line dma-response" data-testid="dma-response">
        {outcome.response === 'RAZ/WI'
          ? <>The device sees <strong>RAZ/WI</strong>: its reads return zero and its writes are ignored (CD.A = 0), with no error.</>
          : <>The device sees an <strong>abort</strong>: the transaction completes with an error.</>}
      </p>
      {e ? (
        <>
          <p className="dma-event-line"><strong className="dma-event" data-testid="dma-event">{e.name}</strong> <span className="muted">{e.reason}</span></p>
          <RecordTable rows={outcomeRecordRows(e)} caption={`${e.name} event record`} />
          {r && 'index' in r ? (
            <p className="dma-line" data-testid="dma-recorded">
              Written to the event queue at index {r.index} (<code>{hexGrouped(r.address)}</code>); Linux reads it in arm_smmu_evtq_thread.{' '}
              <button type="button" className="link-button" onClick={showEventQueue}>Show the event queue</button>
            </p>
          ) : (
            <p className="dma-line dma-dropped" data-testid="dma-recorded">Not recorded: {r && 'dropped' in r ? r.dropped : 'no record was made'}.</p>
          )}
        </>
      ) : (
        <p className="dma-line muted" data-testid="dma-recorded">{silentWhy(outcome)}</p>
      )}
      {readLine}
    </PathRow>
  );
}
