/** A 2-level stream table's L1 descriptors that point at an L2 table: Span, L2Ptr and the StreamIDs they cover. */
import type { StreamTableWindow } from '../../worker/smmu-view-types.ts';
import { hexGrouped } from '../format.ts';

export function L1Table({ table, onShow }: { table: StreamTableWindow; onShow: (sid: number) => void }) {
  return (
    <table className="data-table l1-table" data-testid="l1-table">
      <caption>
        L1 descriptors: {table.l1.length} of {table.l1Count.toLocaleString('en-US')} point at an L2 table; the others have Span = 0 (no STEs, C_BAD_STREAMID)
      </caption>
      <thead>
        <tr>
          <th scope="col">L1 index</th>
          <th scope="col">At</th>
          <th scope="col">Span</th>
          <th scope="col">L2Ptr</th>
          <th scope="col">StreamIDs</th>
        </tr>
      </thead>
      <tbody>
        {table.l1.map((d) => (
          <tr key={d.index}>
            <th scope="row" className="mono">{d.index}</th>
            <td className="mono">{hexGrouped(d.address)}</td>
            <td>{d.span} <span className="muted">({d.stes} STEs)</span></td>
            <td className="mono">{hexGrouped(d.l2)}</td>
            <td>
              <button type="button" className="link-button" onClick={() => onShow(d.firstSid)}>
                {d.firstSid.toLocaleString('en-US')} – {(d.firstSid + d.stes - 1).toLocaleString('en-US')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
