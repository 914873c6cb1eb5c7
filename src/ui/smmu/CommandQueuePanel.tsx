/** The latest commands in the command queue, decoded, each with what consuming it did and the step that issued it. */
import type { CommandView } from '../../worker/smmu-view-types.ts';
import { commandFieldsText } from './smmuText.ts';

interface Props {
  readonly commands: readonly CommandView[];
  readonly cursor: number;
  readonly onGoTo: (step: number) => void;
}

export function CommandQueuePanel({ commands, cursor, onGoTo }: Props) {
  if (commands.length === 0) return <p className="panel-hint" data-testid="command-queue">No command has been written to the command queue.</p>;
  return (
    <table className="data-table command-table" data-testid="command-queue">
      <caption>The last {commands.length} commands, oldest first (CMDQ_PROD is after the last)</caption>
      <thead>
        <tr>
          <th scope="col">Index</th>
          <th scope="col">Command</th>
          <th scope="col">Fields</th>
          <th scope="col">What it did</th>
          <th scope="col">Step</th>
        </tr>
      </thead>
      <tbody>
        {commands.map((c) => (
          <tr key={c.index} className={`${c.error ? 'is-bad' : ''}${c.step === cursor ? ' is-current' : ''}`}>
            <th scope="row" className="mono">{c.index}</th>
            <td className="mono">{c.op ?? `opcode 0x${((c.words[0] ?? 0n) & 0xffn).toString(16)}`}</td>
            <td className="mono command-fields">{commandFieldsText(c.fields)}</td>
            <td>{c.summary ?? <span className="muted">not consumed yet</span>}{c.invalidated ? ` (${c.invalidated} removed)` : ''}</td>
            <td>
              {c.step !== undefined && (
                <button type="button" className="link-button" onClick={() => onGoTo(c.step ?? 0)} aria-label={`Go to step ${c.step}`}>{c.step}</button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
