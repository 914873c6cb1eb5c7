/** A decoded VT-d entry, every field with its bits, value and meaning; and a short form for table cells. */
import { decodeEntry, type DecodedField, type EntryLayout } from '../../importers/vtd-fields.ts';
import { hexGrouped } from '../format.ts';

export function fieldValueText(f: DecodedField): string {
  if (f.kind === 'address') return hexGrouped(f.value);
  if (f.kind === 'flag') return f.value.toString();
  return f.value > 9n ? `${f.value} (0x${f.value.toString(16)})` : f.value.toString();
}

interface Props {
  readonly layout: EntryLayout;
  readonly words: readonly bigint[];
}

export function FieldTable({ layout, words }: Props) {
  const fields = decodeEntry(layout, words);
  return (
    <table className="import-fields">
      <caption className="visually-hidden">{layout.title}: fields</caption>
      <thead>
        <tr><th scope="col">Field</th><th scope="col">Bits</th><th scope="col">Value</th><th scope="col">Meaning</th></tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <tr key={f.name} data-field={f.name}>
            <th scope="row"><code>{f.name}</code></th>
            <td className="muted"><code>{f.bits}</code></td>
            <td><code>{fieldValueText(f)}</code></td>
            <td>{f.meaning ? <>{f.meaning}. </> : null}<span className="muted">{f.doc}</span></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "TT 0 · DID 2 · AW 2": the named fields of an entry, in a line. */
export function FieldChips({ layout, words, names }: Props & { readonly names: readonly string[] }) {
  const fields = decodeEntry(layout, words).filter((f) => names.includes(f.name));
  return (
    <span className="import-chips">
      {fields.map((f) => (
        <span key={f.name} className="import-chip" data-field={f.name}>
          <b>{f.name}</b> <code>{fieldValueText(f)}</code>
          {f.meaning && f.kind !== 'address' && f.kind !== 'flag' && <span className="muted"> {f.meaning}</span>}
        </span>
      ))}
    </span>
  );
}

/** The full field list behind a disclosure, so a table row stays one line until asked. */
export function FieldDetails({ layout, words, label }: Props & { readonly label: string }) {
  return (
    <details className="import-details">
      <summary aria-label={label}>fields</summary>
      <FieldTable layout={layout} words={words} />
    </details>
  );
}
