/** The lines the importer could not read: line number, the text as pasted, and why. */
import type { ImportProblem } from '../../importers/types.ts';

const SHOWN = 50;

interface Props {
  readonly problems: readonly ImportProblem[];
  /** All problems; more than `problems.length` when the importer stopped keeping them. */
  readonly count: number;
}

export function ProblemList({ problems, count }: Props) {
  if (count === 0) return null;
  const shown = problems.slice(0, SHOWN);
  const hidden = count - shown.length;
  return (
    <section className="import-problems" aria-labelledby="import-problems-heading" data-testid="import-problems">
      <h3 id="import-problems-heading" className="import-subtitle">
        {count === 1 ? '1 line could not be read' : `${count} lines could not be read`}
        <span className="muted"> (everything else is shown below)</span>
      </h3>
      <ol className="import-problem-list">
        {shown.map((p) => (
          <li key={p.line} data-line={p.line}>
            <span className="import-problem-line">line {p.line}</span>
            <code className="import-problem-text">{p.text === '' ? ' ' : p.text}</code>
            <span className="import-problem-reason">{p.reason}</span>
          </li>
        ))}
      </ol>
      {hidden > 0 && <p className="muted" data-testid="import-problems-more">… and {hidden} more {hidden === 1 ? 'line' : 'lines'} like these.</p>}
    </section>
  );
}
