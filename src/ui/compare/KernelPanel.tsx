/**
 * What the kernel sees on each IOMMU: the same IOMMU core runs on both, so
 * groups, attached domains and bound PASIDs should match. Where they part,
 * each place is a finding, with what each side holds.
 */
import type { CompareFinding, KernelSide } from '../../worker/compare-types.ts';

interface Props {
  readonly smmu: KernelSide;
  readonly vtd: KernelSide;
  readonly same: boolean;
  readonly findings: readonly CompareFinding[];
}

function GroupsTable({ side, caption }: { readonly side: KernelSide; readonly caption: string }) {
  return (
    <table className="data-table cmp-kernel-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">iommu_group</th>
          <th scope="col">Devices</th>
          <th scope="col">domain</th>
          <th scope="col">owner</th>
          <th scope="col">pasid_array</th>
        </tr>
      </thead>
      <tbody>
        {side.groups.map((g) => {
          const pasids = side.pasids.filter((p) => p.group === g.id);
          return (
            <tr key={g.id}>
              <th scope="row">{g.id}</th>
              <td>{g.devices.join(', ')}</td>
              <td>{g.domain ?? '—'}{g.type ? ` (${g.type})` : ''}</td>
              <td>{g.owner ?? '—'}{g.ownerCnt > 0 ? `, owner_cnt ${g.ownerCnt}` : ''}</td>
              <td>{pasids.length ? pasids.map((p) => `PASID ${p.pasid} → ${p.domain}${p.mm ? ` (${p.mm})` : ''}`).join('; ') : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function KernelPanel({ smmu, vtd, same, findings }: Props) {
  return (
    <section className="cmp-section" aria-labelledby="cmp-kernel-title" data-testid="compare-kernel">
      <h3 id="cmp-kernel-title" className="panel-title">What the kernel sees</h3>
      {same ? (
        <>
          <p className="cmp-same" data-testid="compare-kernel-same">The same on both IOMMUs: {smmu.groups.length} group{smmu.groups.length === 1 ? '' : 's'}, {smmu.attached.filter((a) => a.domain !== null).length} RID{smmu.attached.length === 1 ? '' : 's'} attached, {smmu.pasids.length} PASID{smmu.pasids.length === 1 ? '' : 's'} bound.</p>
          {smmu.groups.length > 0 && <GroupsTable side={smmu} caption="On both" />}
        </>
      ) : (
        <div className="cmp-kernel-pair">
          <GroupsTable side={smmu} caption="On arm-smmu-v3" />
          <GroupsTable side={vtd} caption="On intel-iommu" />
        </div>
      )}
      {findings.length > 0 && (
        <div className="cmp-findings" data-testid="compare-findings">
          <h4 className="cmp-findings-title">Where the two runs part ({findings.length})</h4>
          <ul>
            {findings.map((f, i) => (
              <li key={i}>
                <strong>{f.what}</strong>: SMMUv3 — {f.smmu}; VT-d — {f.vtd}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
