/** What the SMMU would make of an entry: valid and what it configures, or the C_BAD_* event it raises and why. */
import type { DecodedEntry } from '../../engine/hw/smmu/decoder.ts';

export function Verdict({ decoded }: { decoded: DecodedEntry }) {
  const v = decoded.verdict;
  const unnamed = decoded.unnamed.filter((u) => u !== 0n).length;
  return (
    <div className={v.ok ? 'verdict is-ok' : 'verdict is-bad'} data-testid="decoder-verdict" role="status">
      {v.ok ? (
        <p><strong>Valid {decoded.kind}.</strong> {v.summary.replace(/^valid: /, '')}</p>
      ) : (
        <p>
          <strong className="verdict-event">{v.event}</strong> {v.reason}
          {v.field !== undefined && <> — field <code>{v.field}</code>, outlined below.</>}
        </p>
      )}
      {unnamed > 0 && <p className="verdict-note">{unnamed === 1 ? 'One qword has' : `${unnamed} qwords have`} bits set that no field covers (flagged below).</p>}
    </div>
  );
}
