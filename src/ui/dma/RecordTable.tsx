/** An event record's fields, one row each: the spec's name, the value, what it means. */
import type { RecordRow } from './eventRecord.ts';

export function RecordTable({ rows, caption }: { rows: readonly RecordRow[]; caption: string }) {
  return (
    <table className="data-table record-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Value</th>
          <th scope="col">Meaning</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name} data-field={r.name}>
            <th scope="row">{r.name}</th>
            <td className="mono">{r.value}</td>
            <td>{r.meaning}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
