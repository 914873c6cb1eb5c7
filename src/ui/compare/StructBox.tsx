/**
 * One structure in the comparison (an STE, a CD, a context entry, a PASID
 * entry, a page table): its name, the fields that decide where it points,
 * and whose it is. Boxes in a row are joined by arrows from the pointer to
 * what it points at.
 */
import type { ReactNode } from 'react';
import { fieldValue } from './compareText.ts';

export type BoxTone = 'entry' | 'table' | 'context' | 'pasid' | 'pgtable' | 'absent';

interface Props {
  readonly tone: BoxTone;
  readonly title: string;
  /** [spec field name, value] pairs, in the spec's order. */
  readonly fields?: readonly (readonly [string, bigint])[];
  /** A reading of the entry (its Config, its PGTT), shown after the title. */
  readonly reading?: string;
  readonly children?: ReactNode;
  readonly testId?: string;
}

export function StructBox({ tone, title, fields, reading, children, testId }: Props) {
  return (
    <div className={`cmp-box cmp-${tone}`} data-testid={testId} role="group" aria-label={reading ? `${title}: ${reading}` : title}>
      <div className="cmp-box-title">
        <span>{title}</span>
        {reading && <span className="cmp-reading">{reading}</span>}
      </div>
      {fields && fields.length > 0 && (
        <dl className="cmp-fields">
          {fields.map(([name, value]) => (
            <div key={name} className="cmp-field">
              <dt>{name}</dt>
              <dd className="mono">{fieldValue(name, value)}</dd>
            </div>
          ))}
        </dl>
      )}
      {children}
    </div>
  );
}

/** The pointer from one box to the next: a downward arrow named by the field that holds the address. */
export function PointsTo({ label }: { readonly label: string }) {
  return (
    <div className="cmp-arrow">
      <svg width="14" height="22" viewBox="0 0 14 22" aria-hidden="true" focusable="false">
        <path d="M7 1 V18" />
        <path d="M2 13 L7 20 L12 13" fill="none" />
      </svg>
      <span className="cmp-arrow-label">{label}</span>
    </div>
  );
}

export function Owner({ text, kind }: { readonly text: string; readonly kind: 'kernel' | 'user' | 'guest' | 'none' }) {
  return <p className={`cmp-owner cmp-owner-${kind}`}>{text}</p>;
}
