/**
 * A kernel call expanded into what the arm-smmu-v3 driver did to the
 * hardware, in order: each STE or CD update (its stores and syncs, stepped
 * through with the update-plan view), the commands it put in the queue and
 * what the SMMU did with each, page-table stores, table memory handed out or
 * given back. The write a checkpoint of the scrubber sits in opens by itself,
 * at that store or sync.
 */
import { useState } from 'react';
import type { LinuxHwWrite, SmmuFeatures } from '../../engine/index.ts';
import { hwText } from '../../scenario/index.ts';
import { WritesTable } from '../effects/WritesTable.tsx';
import { hexGrouped } from '../format.ts';
import { UpdatePlan, type UpdateEvent } from '../update/UpdatePlan.tsx';
import type { CheckpointPlace } from './checkpointMap.ts';

interface Props {
  readonly hw: readonly LinuxHwWrite[];
  readonly features: SmmuFeatures | undefined;
  /** The store or sync the scrubber's checkpoint follows. */
  readonly linked: CheckpointPlace | undefined;
  readonly linkedCheckpoint: number | undefined;
  /** The linked write's own Previous / Next move the scrubber to the checkpoint of that store or sync. */
  readonly onPlanStep: (hw: number, k: number) => void;
}

const KIND_WORD: Readonly<Record<string, string>> = { ste: 'STE', cd: 'CD', commands: 'Commands', memory: 'Memory', alloc: 'Alloc', free: 'Free', 'pci-config': 'PCI config' };

function asUpdateEvent(h: Extract<LinuxHwWrite, { kind: 'ste' | 'cd' }>): UpdateEvent {
  return h.kind === 'ste' ? { kind: 'smmu.steUpdated', sid: h.sid, update: h.update } : { kind: 'smmu.cdUpdated', sid: h.sid, ssid: h.ssid, update: h.update };
}

function Detail({ h, features, position, onPosition }: { h: LinuxHwWrite; features: SmmuFeatures | undefined; position: number | undefined; onPosition: (k: number) => void }) {
  switch (h.kind) {
    case 'ste':
    case 'cd':
      return <UpdatePlan event={asUpdateEvent(h)} features={features} position={position} onPosition={onPosition} headingLevel={4} />;
    case 'commands':
      return (
        <ul className="hw-commands">
          {h.consumed.map((c) => <li key={c.index}><code>{c.command?.op ?? 'command'}</code> at queue index {c.index}: {c.summary}{c.error ? <strong className="hw-error"> {c.error}</strong> : null}</li>)}
        </ul>
      );
    case 'memory':
      return <WritesTable writes={h.writes} caption="Stores" />;
    case 'alloc':
    case 'free':
      return <p className="hw-line">{h.kind === 'alloc' ? 'Zeroed and handed out' : 'Given back'}: {hexGrouped(h.bytes)} bytes at <code>{hexGrouped(h.address)}</code> ({h.what})</p>;
    default:
      return null;
  }
}

export function HwWriteList({ hw, features, linked, linkedCheckpoint, onPlanStep }: Props) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const [positions, setPositions] = useState<ReadonlyMap<number, number>>(new Map());
  if (hw.length === 0) return <p className="panel-hint" data-testid="hw-none">The driver wrote nothing to the hardware for this call.</p>;
  const toggle = (i: number) => setOpen((s) => {
    const next = new Set(s);
    if (next.has(i)) next.delete(i);
    else next.add(i);
    return next;
  });
  return (
    <ol className="hw-list" aria-label="Hardware writes, in order" data-testid="hw-list">
      {hw.map((h, i) => {
        const isLinked = linked?.hw === i;
        const expanded = isLinked || open.has(i);
        const position = isLinked ? linked.step : positions.get(i);
        const detailId = `hw-detail-${i}`;
        return (
          <li key={i} className={`hw-item kind-${h.kind}${isLinked ? ' is-linked' : ''}`} data-testid={`hw-${i}`}>
            <button type="button" className="hw-head" aria-expanded={expanded} aria-controls={detailId} onClick={() => toggle(i)} disabled={isLinked}>
              <span className="chip-number">{i + 1}</span>
              <span className={`hw-kind hw-kind-${h.kind}`}>{KIND_WORD[h.kind] ?? h.kind}</span>
              <span className="hw-text">{hwText(h)}</span>
              {isLinked && linkedCheckpoint !== undefined && <span className="hw-linked">checkpoint {linkedCheckpoint}</span>}
            </button>
            {expanded && (
              <div id={detailId} className="hw-detail">
                <Detail h={h} features={features} position={position} onPosition={isLinked ? (k) => onPlanStep(i, k) : (k) => setPositions((m) => new Map(m).set(i, k))} />
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
