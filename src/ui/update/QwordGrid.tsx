/**
 * The eight qwords of an STE or CD at one moment of an update: the value
 * before the update, the value now, the qword just stored highlighted, and
 * the bits the SMMU uses in the entry as it now stands.
 */
import type { EntryKind } from '../../engine/hw/smmu/decoder.ts';
import { hex64 } from '../format.ts';

interface Props {
  readonly kind: EntryKind;
  readonly before: readonly bigint[];
  readonly entry: readonly bigint[];
  readonly written: number | undefined;
  readonly used: readonly bigint[] | undefined;
}

export function QwordGrid({ kind, before, entry, written, used }: Props) {
  return (
    <table className="data-table qword-grid">
      <caption>The {kind}'s eight qwords at this point</caption>
      <thead>
        <tr>
          <th scope="col">Qword</th>
          <th scope="col">Before the update</th>
          <th scope="col">Now</th>
          {used && <th scope="col">Bits the SMMU uses now</th>}
        </tr>
      </thead>
      <tbody>
        {entry.map((w, i) => {
          const changed = w !== (before[i] ?? 0n);
          return (
            <tr key={i} className={i === written ? 'is-written' : changed ? 'is-changed' : undefined} data-qword={i}>
              <th scope="row">{i}{i === written && <span className="written-tag"> stored</span>}</th>
              <td className="mono old">{hex64(before[i] ?? 0n)}</td>
              <td className="mono new">{hex64(w)}</td>
              {used && <td className="mono muted">{hex64(used[i] ?? 0n)}</td>}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
