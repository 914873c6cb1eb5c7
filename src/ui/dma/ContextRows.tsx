/**
 * The DMA path's configuration stops: the STE the StreamID selects and the
 * CD the SubstreamID selects, each fetched from memory or found in the
 * configuration cache, with the fields that decided what happened next.
 */
import type { DmaOutcome } from '../../engine/hw/smmu/dma-types.ts';
import { decodeEntry } from '../../engine/hw/smmu/decoder.ts';
import type { SmmuFeatures } from '../../engine/hw/smmu/features.ts';
import { inspectEntry } from '../../store/appStore.ts';
import { hexGrouped } from '../format.ts';
import { stageLeaf, stagePath } from '../walk/nested.ts';
import { configMeaning, keyChips } from './entryChips.ts';
import { FieldChips, PathRow } from './PathRow.tsx';

interface Props {
  readonly outcome: DmaOutcome;
  readonly features: SmmuFeatures;
  readonly stage: number;
}

const fetchedChip = (cached: boolean) => (cached ? 'from the configuration cache' : 'fetched from memory');

export function SteRow({ outcome, features, stage }: Props) {
  const { tx, trace } = outcome;
  const ste = trace.ste;
  if (!ste) return null;
  const d = ste.words ? decodeEntry('STE', ste.words, features) : undefined;
  const bad = d && !d.verdict.ok;
  return (
    <PathRow stage={stage} number={2} title={<>STE {tx.sid}</>} chip={ste.words ? fetchedChip(ste.cached) : 'not found'} state={bad || !ste.words ? 'fault' : ste.cached ? 'hit' : 'done'} testId="dma-ste">
      {ste.l1 && (
        <p className="dma-line">
          L1 descriptor at <code>{hexGrouped(ste.l1.address)}</code> = <code>{hexGrouped(ste.l1.descriptor, 16)}</code>
        </p>
      )}
      {ste.address !== undefined && (
        <p className="dma-line">
          at <code>{hexGrouped(ste.address)}</code>
          {!ste.l1 && <span className="muted"> = STRTAB_BASE + {tx.sid} × 64</span>}
        </p>
      )}
      {d && (
        <>
          <p className="dma-line dma-config">
            Config = <strong>{ste.config ?? configMeaning(d)}</strong>
            {!d.verdict.ok && <span className="dma-bad"> — ILLEGAL: {d.verdict.reason}</span>}
          </p>
          <FieldChips fields={keyChips(d)} />
          <button type="button" className="button button-small" onClick={() => inspectEntry({ source: 'words', kind: 'STE', title: `STE ${tx.sid} as this DMA ${ste.cached ? 'found it cached' : 'fetched it'}`, words: ste.words ?? [] })}>
            Inspect STE {tx.sid}
          </button>
        </>
      )}
    </PathRow>
  );
}

/** Which CD the transaction selects, in words. */
function whichCd(outcome: DmaOutcome, ssid: number, s1CdMax: bigint | undefined): string {
  if (outcome.tx.ssid !== undefined) return `SubstreamID ${outcome.tx.ssid} selects CD ${ssid}`;
  if (s1CdMax === 0n) return 'no SubstreamID; S1CDMax = 0, so the table holds this one CD';
  return 'no SubstreamID; S1DSS = 0b10 gives it CD 0';
}

export function CdRow({ outcome, features, stage }: Props) {
  const { trace } = outcome;
  const cd = trace.cd;
  const config = trace.ste?.config;
  if (!cd) {
    const why = trace.s1Bypassed ? 'no SubstreamID and STE.S1DSS = 0b01: stage 1 is bypassed'
      : config === 'stage 2' ? 'Config = stage 2 only: no context descriptor'
      : config === 'bypass' || config === 'abort' ? `not used: Config = ${config}`
      : !trace.smmuEnabled ? 'not used: the SMMU is disabled'
      : 'not reached';
    return <PathRow stage={stage} number={3} title="CD" chip={trace.s1Bypassed ? 'stage 1 bypassed' : 'none'} state="skipped" testId="dma-cd"><p className="dma-line muted">{why}</p></PathRow>;
  }
  const d = cd.words ? decodeEntry('CD', cd.words, features) : undefined;
  const s1CdMax = trace.ste?.words ? decodeEntry('STE', trace.ste.words, features).fields.find((f) => f.spec.name === 'S1CDMax')?.value : undefined;
  const nested = cd.s2 !== undefined || (cd.ipa !== undefined && cd.address !== undefined && cd.ipa !== cd.address);
  return (
    <PathRow stage={stage} number={3} title={<>CD {cd.ssid}</>} chip={cd.words ? fetchedChip(cd.cached) : 'not read'} state={!cd.words || (d && !d.verdict.ok) ? 'fault' : cd.cached ? 'hit' : 'done'} testId="dma-cd">
      <p className="dma-line muted">{whichCd(outcome, cd.ssid, s1CdMax)}</p>
      {cd.l1 && (
        <p className="dma-line">L1 CD descriptor at <code>{hexGrouped(cd.l1.address)}</code> = <code>{hexGrouped(cd.l1.descriptor, 16)}</code></p>
      )}
      {nested && cd.ipa !== undefined ? (
        <p className="dma-line">
          at IPA <code>{hexGrouped(cd.ipa)}</code> → stage 2{' '}
          {cd.s2 && <span className="mono">{stagePath(cd.s2)} ({stageLeaf(cd.s2)}, {cd.s2.steps.length} reads)</span>}
          {cd.address !== undefined && <> → PA <code>{hexGrouped(cd.address)}</code></>}
        </p>
      ) : cd.address !== undefined && (
        <p className="dma-line">at <code>{hexGrouped(cd.address)}</code>{!cd.l1 && <span className="muted"> = S1ContextPtr + {cd.ssid} × 64</span>}</p>
      )}
      {d && (
        <>
          <p className="dma-line">{d.verdict.ok ? d.verdict.summary.replace(/^valid: /, '') : <span className="dma-bad">ILLEGAL: {d.verdict.reason}</span>}</p>
          <FieldChips fields={keyChips(d)} />
          <button type="button" className="button button-small" onClick={() => inspectEntry({ source: 'words', kind: 'CD', title: `CD ${cd.ssid} of StreamID ${outcome.tx.sid} as this DMA ${cd.cached ? 'found it cached' : 'fetched it'}`, words: cd.words ?? [] })}>
            Inspect CD {cd.ssid}
          </button>
        </>
      )}
    </PathRow>
  );
}
