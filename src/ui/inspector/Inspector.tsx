/**
 * The descriptor of one walk level, as a 64-bit value and as its fields with
 * bit positions. The level is picked here or by selecting a table in the
 * diagram; by default it is the last level the walk read.
 */
import type { ReactNode } from 'react';
import type { WalkResult, WalkStep } from '../../engine/hw/pgtable/types.ts';
import { hex64, hexGrouped, levelClass } from '../format.ts';
import { descriptorHeadline } from '../walk/describe.ts';
import { descriptorFields } from './descriptorFields.ts';
import './inspector.css';

interface Props {
  readonly walk: WalkResult | undefined;
  readonly step: WalkStep | undefined;
  readonly onSelectLevel: (level: number) => void;
  /** An STE or CD picked elsewhere takes the inspector's place while it is open. */
  readonly entry?: ReactNode;
}

export function Inspector({ walk, step, onSelectLevel, entry }: Props) {
  return (
    <section className="panel inspector" aria-labelledby="inspector-heading">
      <h2 id="inspector-heading" className="panel-title">Inspector</h2>
      {entry ?? (!walk || !step ? (
        <p className="panel-hint">
          {walk ? 'This walk read no descriptor.' : 'When the current step is a walk, pick a level here or select a table in the diagram to see its descriptor decoded. Select an STE or CD (in the stream table, the CD table or a DMA path) to see all its fields.'}
        </p>
      ) : (
        <Descriptor walk={walk} step={step} onSelectLevel={onSelectLevel} />
      ))}
    </section>
  );
}

function Descriptor({ walk, step, onSelectLevel }: { walk: WalkResult; step: WalkStep; onSelectLevel: (level: number) => void }) {
  const fields = descriptorFields(step, walk.setup);
  return (
    <div className={`inspector-body ${levelClass(step.level)}`}>
      <div className="level-picker" role="group" aria-label="Walk level to inspect">
        {walk.steps.map((s) => (
          <button key={s.level} type="button" className={`level-button ${levelClass(s.level)}`} aria-pressed={s.level === step.level}
            aria-label={`L${s.level}: inspect the level ${s.level} descriptor`} onClick={() => onSelectLevel(s.level)}>
            L{s.level}
          </button>
        ))}
      </div>
      <h3 className="inspector-heading">Level {step.level} descriptor</h3>
      <p className="inspector-where">
        read from <code>{hexGrouped(step.descriptorAddress)}</code> = table <code>{hexGrouped(step.tableAddress)}</code> + 8 × index{' '}
        <code>{`0x${step.index.toString(16)}`}</code>
      </p>
      <p className="inspector-value" data-testid="inspector-value">
        {step.descriptor === undefined ? 'never written: the read is an external abort' : hex64(step.descriptor)}
      </p>
      <p className="inspector-headline">{descriptorHeadline(step)}</p>
      {fields.length > 0 && (
        <table className="field-table">
          <caption className="visually-hidden">Fields of the level {step.level} descriptor</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Bits</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f) => (
              <tr key={f.name} data-field={f.name}>
                <th scope="row">
                  <span className="field-name">{f.name}</span>
                  <span className="field-meaning">{f.meaning}</span>
                </th>
                <td className="mono">{f.bits}</td>
                <td className="mono field-value-cell">{f.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
