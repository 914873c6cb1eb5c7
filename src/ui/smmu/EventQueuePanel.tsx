/**
 * The event queue: each record the SMMU wrote and software has not consumed
 * (EVTQ_CONS to EVTQ_PROD), decoded, with the step whose DMA raised it — a
 * button that takes the timeline there.
 */
import type { EventRecordView } from '../../worker/smmu-view-types.ts';
import { recordRows } from '../dma/eventRecord.ts';
import { hexGrouped } from '../format.ts';

interface Props {
  readonly records: readonly EventRecordView[];
  readonly cursor: number;
  readonly onGoTo: (step: number) => void;
}

export function EventQueuePanel({ records, cursor, onGoTo }: Props) {
  if (records.length === 0) return <p className="panel-hint" data-testid="event-queue">The event queue is empty: EVTQ_PROD = EVTQ_CONS.</p>;
  return (
    <ol className="record-list" data-testid="event-queue">
      {records.map((r) => {
        const rows = recordRows(r.name, r.fields).filter((row) => row.name !== 'EventID');
        return (
          <li key={r.index} className={`record-item${r.step === cursor ? ' is-current' : ''}`} data-record={r.index}>
            <div className="record-head">
              <span className="muted">index {r.index} at <code>{hexGrouped(r.address)}</code></span>
              <strong className="record-name">{r.name}</strong>
              <span className="muted">EventID 0x{(r.fields.EventID ?? 0n).toString(16).padStart(2, '0')}</span>
              {r.step !== undefined && (
                <button type="button" className="button button-small" onClick={() => onGoTo(r.step ?? 0)} aria-label={`Go to step ${r.step}, which raised this ${r.name}`}>
                  raised by step {r.step}
                </button>
              )}
            </div>
            {r.reason && <p className="record-reason">{r.reason}</p>}
            <dl className="record-fields">
              {rows.map((row) => (
                <div key={row.name} title={row.meaning}>
                  <dt>{row.name}</dt>
                  <dd className="mono">{row.value}</dd>
                </div>
              ))}
            </dl>
          </li>
        );
      })}
    </ol>
  );
}
