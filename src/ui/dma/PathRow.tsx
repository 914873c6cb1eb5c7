/** One row of the DMA path: a numbered stop on the rail, a title with a status chip, and what happened there. */
import type { ReactNode } from 'react';

export type RowState = 'done' | 'hit' | 'skipped' | 'fault' | 'stale';

interface Props {
  readonly stage: number;
  readonly number: number;
  readonly title: ReactNode;
  readonly chip?: string;
  readonly state: RowState;
  readonly testId?: string;
  readonly children?: ReactNode;
}

export function PathRow({ stage, number, title, chip, state, testId, children }: Props) {
  return (
    <li className={`dma-row is-${state}`} data-reveal-stage={stage} data-testid={testId}>
      <div className="dma-rail" aria-hidden="true">
        <span className="dma-dot">{number}</span>
      </div>
      <div className="dma-body">
        <h4 className="dma-row-title">
          {title}
          {chip !== undefined && <span className={`dma-chip chip-${state}`}>{chip}</span>}
        </h4>
        {children}
      </div>
    </li>
  );
}

/** "Name value" pairs in a wrapping line, the names as the spec spells them. */
export function FieldChips({ fields }: { fields: readonly { name: string; value: string; title?: string }[] }) {
  if (fields.length === 0) return null;
  return (
    <dl className="field-chips">
      {fields.map((f) => (
        <div key={f.name} className="field-chip" title={f.title}>
          <dt>{f.name}</dt>
          <dd className="mono">{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}
