/**
 * The DMA path's translation stops: the IOTLB lookup (a hit shows the entry
 * used, and whether memory still agrees with it) and the walk, drawn by the
 * same walk diagram as a walk step.
 */
import type { DmaOutcome } from '../../engine/hw/smmu/dma-types.ts';
import { selectLevel } from '../../store/appStore.ts';
import type { TlbRow } from '../../worker/smmu-view-types.ts';
import { formatSize, hexGrouped } from '../format.ts';
import { permsText } from '../smmu/perms.ts';
import { WalkDiagram } from '../walk/WalkDiagram.tsx';
import { PathRow } from './PathRow.tsx';

const STAGES: Record<number, string> = { 1: 'stage 1', 2: 'stage 2', 3: 'nested' };

export function TlbStop({ outcome, stage, tlbRows }: { outcome: DmaOutcome; stage: number; tlbRows: readonly TlbRow[] | undefined }) {
  const tlb = outcome.trace.tlb;
  if (!tlb) {
    return <PathRow stage={stage} number={4} title="IOTLB" chip="not consulted" state="skipped" testId="dma-tlb"><p className="dma-line muted">{outcome.result === 'terminated' ? 'not reached' : 'untranslated traffic has nothing to look up'}</p></PathRow>;
  }
  const e = tlb.entry;
  if (!tlb.hit || !e) {
    return (
      <PathRow stage={stage} number={4} title="IOTLB" chip="miss" state="done" testId="dma-tlb">
        <p className="dma-line">No entry translates <code>{hexGrouped(outcome.tx.address)}</code> for this {outcome.trace.cd ? `ASID ${outcome.trace.cd.asid ?? '?'}` : 'VMID'}: the SMMU walks the tables.</p>
      </PathRow>
    );
  }
  const now = tlbRows?.find((r) => r.slot === e.slot && r.input === e.input);
  return (
    <PathRow stage={stage} number={4} title="IOTLB" chip={now?.stale ? 'hit on a stale entry' : 'hit'} state={now?.stale ? 'stale' : 'hit'} testId="dma-tlb">
      <p className="dma-line">
        Entry VMID {e.vmid}{e.asid >= 0 ? `, ASID ${e.asid}` : ''} ({STAGES[e.stage] ?? e.stage}): <code>{hexGrouped(e.input)}</code> → <code>{hexGrouped(e.output)}</code>, {formatSize(e.size)} (level {e.level}), {permsText(e.perms)}
      </p>
      <p className="dma-line muted">No table is read: the translation comes from the cache.</p>
      {now?.stale && (
        <p className="dma-line dma-stale" data-testid="dma-tlb-stale">
          Stale: the tables in memory now {now.stale.now === 'fault' ? 'map nothing here' : <>map this page to <code>{hexGrouped(now.stale.now)}</code></>}. Without a TLBI the SMMU keeps using the old translation.
        </p>
      )}
    </PathRow>
  );
}

export function WalkStop({ outcome, stage, startDelay, replayKey, inspectedLevel }: { outcome: DmaOutcome; stage: number; startDelay: number; replayKey: unknown; inspectedLevel: number | undefined }) {
  const walk = outcome.trace.walk;
  const s2Only = outcome.trace.ste?.config === 'stage 2' || (outcome.trace.ste?.config === 'nested' && outcome.trace.s1Bypassed === true);
  if (!walk) {
    const why = outcome.trace.tlb?.hit ? 'not needed: the IOTLB hit' : outcome.result === 'terminated' ? 'not reached' : 'not needed: the address passes untranslated';
    return <PathRow stage={stage} number={5} title="Walk" chip="none" state="skipped" testId="dma-walk"><p className="dma-line muted">{why}</p></PathRow>;
  }
  const nested = outcome.trace.ste?.config === 'nested' && !s2Only;
  return (
    <PathRow stage={stage} number={5} title={s2Only ? 'Stage-2 walk' : nested ? 'Nested walk' : 'Stage-1 walk'} chip={walk.fault ? 'fault' : 'translated'} state={walk.fault ? 'fault' : 'done'} testId="dma-walk">
      <WalkDiagram walk={walk} table={s2Only ? 'S2TTB' : 'TTB0'} stage={s2Only ? 2 : 1} nestedIn={nested ? `S2TTB of STE ${outcome.tx.sid}` : undefined}
        cdStage2={nested && outcome.trace.cd?.s2 && outcome.trace.cd.ipa !== undefined ? { ipa: outcome.trace.cd.ipa, walk: outcome.trace.cd.s2 } : undefined}
        replayKey={replayKey} startDelay={startDelay} inspectedLevel={inspectedLevel} onInspect={selectLevel} />
    </PathRow>
  );
}
