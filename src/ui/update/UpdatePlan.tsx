/**
 * A driver-style live STE/CD update (Linux's arm_smmu_write_entry) as the
 * sequence it is: each 64-bit store and each sync (CMD_CFGI_* + CMD_SYNC),
 * stepped through one at a time inside the scenario step, with the entry the
 * SMMU could fetch at that moment and whether V was ever cleared.
 */
import type { EngineEvent } from '../../engine/events.ts';
import { decodeEntry, type EntryKind } from '../../engine/hw/smmu/decoder.ts';
import { FEATURE_PRESETS, type SmmuFeatures } from '../../engine/hw/smmu/features.ts';
import { selectUpdateStep } from '../../store/appStore.ts';
import { WritesTable } from '../effects/WritesTable.tsx';
import { hexGrouped } from '../format.ts';
import { PlanStepList } from './PlanStepList.tsx';
import { QwordGrid } from './QwordGrid.tsx';
import { configWord, entryState, planTitle, strategyText } from './planText.ts';
import './update.css';

export type UpdateEvent = Extract<EngineEvent, { kind: 'smmu.steUpdated' | 'smmu.cdUpdated' }>;

interface Props {
  readonly event: UpdateEvent;
  readonly features: SmmuFeatures | undefined;
  /** After how many of the plan's steps to show the entry; undefined = all of them. */
  readonly position: number | undefined;
  /** Where a click moves the position; the store's update sub-step when left out (one plan per step). */
  readonly onPosition?: (k: number) => void;
  /** Heading level of the title: 3 on its own, 4 inside a Linux call's list of writes. */
  readonly headingLevel?: 3 | 4;
}

export function UpdatePlan({ event, features, position, onPosition, headingLevel = 3 }: Props) {
  const f = features ?? FEATURE_PRESETS.full;
  const kind: EntryKind = event.kind === 'smmu.steUpdated' ? 'STE' : 'CD';
  const { update } = event;
  const { plan } = update;
  const n = plan.steps.length;
  const k = Math.min(Math.max(position ?? n, 0), n);
  const current = k > 0 ? plan.steps[k - 1] : undefined;
  const executed = k > 0 ? update.executed[k - 1] : undefined;
  const entry = current ? current.entry : update.before;
  const seen = entryState(decodeEntry(kind, entry, f));
  const label = kind === 'STE' ? `STE ${event.sid}` : `CD ${event.kind === 'smmu.cdUpdated' ? event.ssid : ''} of StreamID ${event.sid}`;
  const go = (to: number) => (onPosition ?? selectUpdateStep)(Math.min(Math.max(to, 0), n));
  const Title = headingLevel === 3 ? 'h3' : 'h4';
  const seenWords = [update.before, ...plan.steps.map((st) => st.entry)].map((e) => configWord(decodeEntry(kind, e, f)));

  return (
    <section className="update-plan" aria-label={`${label} update`} data-testid="update-plan">
      <Title className="effect-title">{planTitle(kind, label, update.before, update.after, f)}</Title>
      <p className="update-facts">
        <span className={plan.hitless ? 'update-badge is-hitless' : 'update-badge is-breaking'} data-testid="update-hitless">
          {plan.hitless ? 'hitless: V never cleared' : 'not hitless: V cleared first'}
        </span>
        <span>{plan.writes} {plan.writes === 1 ? 'store' : 'stores'} · {plan.syncs} {plan.syncs === 1 ? 'sync' : 'syncs'}</span>
        <span className="muted">at <code>{hexGrouped(update.address)}</code> · {strategyText(plan.strategy, plan.criticalQwords, kind)}</span>
      </p>
      {update.setupWrites.length > 0 && <WritesTable writes={update.setupWrites} caption="Before the update: tables allocated for the entry" />}
      <div className="substepper" role="group" aria-label="Step through the update">
        <button type="button" className="button button-small" onClick={() => go(k - 1)} disabled={k === 0} aria-label="Previous store or sync">← Previous</button>
        <p className="substep-counter" aria-live="polite" data-testid="update-position">
          {k === 0 ? 'Before the first store' : `${current?.kind === 'write' ? 'Store' : 'Sync'}: step ${k} of ${n}`}
        </p>
        <button type="button" className="button button-small" onClick={() => go(k + 1)} disabled={k === n} aria-label="Next store or sync">Next →</button>
      </div>
      <div className="update-body">
        <PlanStepList steps={plan.steps} seen={seenWords} position={k} onPick={go} />
        <div className="update-detail">
          {current?.kind === 'write' && (
            <p className="update-why"><strong>64-bit store to qword {current.qword}</strong> <span className="muted">— {current.why}</span></p>
          )}
          {current?.kind === 'sync' && executed?.kind === 'sync' && (
            <div className="update-why">
              <p><strong>Sync: {current.commands.join(' + ')}</strong> <span className="muted">— {current.why}</span></p>
              <ul className="sync-commands">
                {executed.consumed.map((c) => <li key={c.index}><code>{c.command?.op ?? 'command'}</code> at index {c.index}: {c.summary}</li>)}
              </ul>
            </div>
          )}
          {k === 0 && <p className="update-why muted">The entry as it was, before the driver's first store.</p>}
          <QwordGrid kind={kind} before={update.before} entry={entry} written={current?.kind === 'write' ? current.qword : undefined}
            used={current?.kind === 'write' ? current.used : undefined} />
          <p className={seen.ok ? 'update-seen' : 'update-seen is-bad'} data-testid="update-seen">
            If the SMMU fetched the {kind} now, it would see: <strong>{seen.text}</strong>
          </p>
        </div>
      </div>
      {plan.warnings.map((w) => <p key={w} className="update-warning">{w}</p>)}
    </section>
  );
}
