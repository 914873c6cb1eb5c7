/** Memory writes a step made, each with its old and new value and why it was made. */
import type { MemoryWrite } from '../../engine/events.ts';
import { hexGrouped } from '../format.ts';

const valueText = (value: bigint, size: number): string => hexGrouped(value, size * 2);

export function WritesTable({ writes, caption }: { writes: readonly MemoryWrite[]; caption: string }) {
  if (writes.length === 0) return <p className="panel-hint">No memory was written.</p>;
  return (
    <table className="data-table writes-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Address</th>
          <th scope="col">Old value</th>
          <th scope="col" aria-hidden="true"></th>
          <th scope="col">New value</th>
          <th scope="col">What</th>
        </tr>
      </thead>
      <tbody>
        {writes.map((w, i) => (
          <tr key={`${w.address}-${i}`}>
            <td className="mono">{hexGrouped(w.address)}</td>
            <td className="mono old">{w.old === undefined ? <span className="never">never written</span> : valueText(w.old, w.size)}</td>
            <td className="arrow-cell" aria-hidden="true">→</td>
            <td className="mono new">{valueText(w.value, w.size)}</td>
            <td>{w.what.replace(/->/g, '→')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
