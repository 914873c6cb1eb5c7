/**
 * The stage-2 walks inside a nested walk, one row per stage-1 level and one
 * for the output IPA: which IPA stage 2 translated, through which levels,
 * to which PA, and how many descriptor reads each cost. The sum is the
 * number the nested walk is known for (up to 24 for 4 levels by 4).
 */
import type { WalkResult } from '../../engine/hw/pgtable/types.ts';
import { hexGrouped, levelClass } from '../format.ts';
import { countReads, nestedRows, stageLeaf, stagePath } from './nested.ts';

export function NestedReads({ walk }: { walk: WalkResult }) {
  const rows = nestedRows(walk);
  const reads = countReads(walk);
  return (
    <table className="data-table nested-reads" data-testid="nested-reads">
      <caption>
        Stage 2 inside the walk: {reads.total} descriptor reads ({reads.stage1} stage 1 + {reads.stage2} stage 2)
      </caption>
      <thead>
        <tr>
          <th scope="col">Stage 1</th>
          <th scope="col">IPA translated</th>
          <th scope="col">Stage-2 walk</th>
          <th scope="col">PA</th>
          <th scope="col">Reads</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} className={row.walk?.fault ? 'is-fault' : undefined}>
            <th scope="row">
              {row.level === 'output'
                ? 'output'
                : <span className={`level-chip ${levelClass(row.level)}`}>L{row.level} descriptor</span>}
            </th>
            <td className="mono">{hexGrouped(row.ipa)}</td>
            <td>
              {row.walk ? <><span className="mono">{stagePath(row.walk)}</span> <span className="muted">({stageLeaf(row.walk)})</span></> : <span className="muted">no stage 2 walk</span>}
            </td>
            <td className="mono">{row.walk?.output !== undefined ? hexGrouped(row.walk.output) : '—'}</td>
            <td className="reads-cell">
              {row.s2Reads} stage 2{row.level === 'output' ? '' : ` + ${row.s1Reads} stage 1`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
