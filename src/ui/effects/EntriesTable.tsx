/** The block and page entries a map (or unmap) wrote, and the tables it allocated to reach them. */
import type { MappedEntry, TableRef } from '../../engine/index.ts';
import { formatSize, hexGrouped, levelClass } from '../format.ts';

interface Props {
  readonly entries: readonly MappedEntry[];
  readonly tables: readonly TableRef[];
  readonly caption: string;
}

export function EntriesTable({ entries, tables, caption }: Props) {
  return (
    <table className="data-table entries-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Level</th>
          <th scope="col">Kind</th>
          <th scope="col">IOVA</th>
          <th scope="col">Size</th>
        </tr>
      </thead>
      <tbody>
        {tables.map((t) => (
          <tr key={`table-${t.address}`} className="entry-new-table">
            <td><span className={`level-chip ${levelClass(t.level)}`}>L{t.level}</span></td>
            <td>new table</td>
            <td className="mono" colSpan={2}>at {hexGrouped(t.address)}</td>
          </tr>
        ))}
        {entries.map((e) => (
          <tr key={`entry-${e.iova}-${e.level}`}>
            <td><span className={`level-chip ${levelClass(e.level)}`}>L{e.level}</span></td>
            <td>{e.level === 3 ? 'page' : 'block'}</td>
            <td className="mono">{hexGrouped(e.iova)}</td>
            <td>{formatSize(e.size)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
