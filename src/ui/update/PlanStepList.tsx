/** The stores and syncs of an update plan, each a button that moves the sub-stepper there. */
import type { UpdateStep } from '../../engine/hw/smmu/update/plan.ts';
import { hex64 } from '../format.ts';

interface Props {
  readonly steps: readonly UpdateStep[];
  /** What the SMMU would see after each step ("abort", "bypass", "invalid" ...), index 0 = before any. */
  readonly seen: readonly string[];
  readonly position: number;
  readonly onPick: (k: number) => void;
}

function Seen({ word }: { word: string | undefined }) {
  return word === undefined ? null : <span className={word === 'invalid' ? 'plan-seen is-bad' : 'plan-seen'} title="What the SMMU would see if it fetched the entry now">{word}</span>;
}

export function PlanStepList({ steps, seen, position, onPick }: Props) {
  return (
    <ol className="plan-steps" aria-label="The driver's stores and syncs">
      <li>
        <button type="button" className="plan-step" aria-current={position === 0 ? 'step' : undefined} onClick={() => onPick(0)}>
          <span className="chip-number">0</span> before <Seen word={seen[0]} />
        </button>
      </li>
      {steps.map((s, i) => (
        <li key={i}>
          <button type="button" className={`plan-step plan-${s.kind}${i + 1 > position ? ' is-later' : ''}`} aria-current={position === i + 1 ? 'step' : undefined}
            onClick={() => onPick(i + 1)} aria-label={s.kind === 'write' ? `Step ${i + 1}: store qword ${s.qword}` : `Step ${i + 1}: sync, ${s.commands.join(' and ')}`}>
            <span className="chip-number">{i + 1}</span>
            {s.kind === 'write'
              ? <span>store qword {s.qword} <code className="plan-value">{hex64(s.value)}</code></span>
              : <span>sync: {s.commands.join(' + ')}</span>}
            <Seen word={seen[i + 1]} />
          </button>
        </li>
      ))}
    </ol>
  );
}
