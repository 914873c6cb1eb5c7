/**
 * What the two IOMMUs do differently with the same kernel objects at this
 * step, one topic per row, SMMUv3 beside VT-d. The words come from the
 * worker, which reads every number from the two runs' structures.
 */
import type { DifferenceItem } from '../../worker/compare-types.ts';

const WAITING: Readonly<Record<DifferenceItem['topic'], string>> = {
  'user-pgtable': 'where a user page table attaches',
  'guest-owns': 'what the guest owns',
  stage2: 'what stage 2 translates',
  sva: 'where SVA attaches',
  invalidation: 'the invalidations a step needs',
};

export function DifferencesPanel({ items }: { readonly items: readonly DifferenceItem[] }) {
  const absent = (Object.keys(WAITING) as DifferenceItem['topic'][]).filter((t) => !items.some((i) => i.topic === t));
  return (
    <section className="cmp-section" aria-labelledby="cmp-diff-title" data-testid="compare-differences">
      <h3 id="cmp-diff-title" className="panel-title">Differences at this step</h3>
      {items.length > 0 ? (
        <table className="data-table cmp-diff-table">
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">SMMUv3</th>
              <th scope="col">VT-d</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.topic} data-topic={d.topic}>
                <th scope="row">{d.title}</th>
                <td>{d.smmu}</td>
                <td>{d.vtd}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p className="panel-hint">Nothing at this step sets the two apart: no nested domain, no SVA bond, no invalidation.</p>}
      {absent.length > 0 && items.length > 0 && (
        <p className="panel-hint">Not at this step: {absent.map((t) => WAITING[t]).join('; ')} (the state has nothing for {absent.length === 1 ? 'it' : 'them'}).</p>
      )}
    </section>
  );
}
