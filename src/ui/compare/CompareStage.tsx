/**
 * One scenario, two IOMMUs: SMMUv3 on the left (STE -> CD table -> page
 * tables), VT-d on the right (root entry -> context entry -> PASID directory
 * -> PASID table -> page tables). One table row per device and per PASID, so
 * the same device and PASID sit at the same height on both sides. Below, what
 * the kernel sees on each, and the differences named from the state.
 */
import { useAppStore } from '../../store/appStore.ts';
import type { CompareDevice } from '../../worker/compare-types.ts';
import { hexGrouped } from '../format.ts';
import { DifferencesPanel } from './DifferencesPanel.tsx';
import { KernelPanel } from './KernelPanel.tsx';
import { SmmuHeadCell, SmmuPasidCell } from './SmmuCells.tsx';
import { VtdHeadCell, VtdPasidCell } from './VtdCells.tsx';
import './compare.css';

function DeviceRows({ d }: { readonly d: CompareDevice }) {
  const rid = d.smmu?.sid ?? d.vtd?.rid;
  return (
    <tbody className="cmp-device" data-device={d.name}>
      <tr className="cmp-device-head">
        <th scope="rowgroup" colSpan={3}>
          <span className="cmp-device-name">{d.name}</span> <span className="mono">{d.bdf}</span>
          {d.group !== null && <span className="muted"> · iommu_group {d.group}</span>}
          {rid !== undefined && <span className="muted"> · RID {hexGrouped(BigInt(rid), 4)} = StreamID</span>}
        </th>
      </tr>
      <tr className="cmp-row">
        <th scope="row" className="cmp-key">StreamID<br /><span className="cmp-key-sub">= requester ID</span></th>
        <td><SmmuHeadCell side={d.smmu} /></td>
        <td><VtdHeadCell side={d.vtd} /></td>
      </tr>
      {d.pasids.map((p) => (
        <tr key={p} className="cmp-row" data-pasid={p}>
          <th scope="row" className="cmp-key">PASID {p}<br /><span className="cmp-key-sub">SubstreamID {p}{p === 0 ? ', the RID\'s own' : ''}</span></th>
          <td><SmmuPasidCell side={d.smmu} pasid={p} /></td>
          <td><VtdPasidCell side={d.vtd} pasid={p} /></td>
        </tr>
      ))}
    </tbody>
  );
}

export function CompareStage({ onClose }: { readonly onClose: () => void }) {
  const compare = useAppStore((s) => s.compare);
  const outline = useAppStore((s) => s.outline);
  const cursor = useAppStore((s) => s.cursor);
  const label = cursor > 0 ? outline?.steps[cursor - 1]?.label : undefined;
  return (
    <div className="compare" data-testid="compare">
      <div className="cmp-head">
        <div>
          <h2 className="cmp-title">SMMUv3 and VT-d, side by side</h2>
          <p className="panel-hint">
            {cursor === 0 ? 'Before step 1.' : <>After step {cursor}: <span className="mono">{label}</span>.</>}{' '}
            {compare?.available && <>The scenario is written for {compare.original}; the other side runs its twin: the same steps with linux.boot on the other IOMMU, each step for one IOMMU's own hardware or uAPI on that IOMMU only.</>}
          </p>
        </div>
        <button type="button" className="button" onClick={onClose}>Back to the diagram</button>
      </div>
      {!compare ? <p className="panel-hint" role="status">Running the scenario on both IOMMUs…</p>
        : !compare.available ? <p className="panel-hint" role="status" data-testid="compare-unavailable">No comparison for this scenario: {compare.reason}.</p>
          : (
            <>
              {compare.skipped.filter((s) => s.step === cursor).map((s) => (
                <p key={s.step} className="cmp-skipped" role="note">Step {s.step} ({s.kind}) runs on {s.skippedOn === 'vtd' ? 'SMMUv3' : 'VT-d'} only: {s.why}.</p>
              ))}
              {!compare.smmuBooted && !compare.vtdBooted ? <p className="panel-hint">Linux has not booted yet on either side: no device has an STE or a context entry.</p> : (
                <div className="cmp-scroll">
                  <table className="cmp-grid" aria-label="Each device's translation structures on SMMUv3 and on VT-d, row by row">
                    <colgroup><col className="cmp-col-key" /><col /><col /></colgroup>
                    <thead>
                      <tr>
                        <th scope="col"><span className="visually-hidden">Row</span></th>
                        <th scope="col">SMMUv3 (arm-smmu-v3)<span className="cmp-path">STE → CD table → page tables</span></th>
                        <th scope="col">VT-d (intel-iommu{compare.vtdMode ? `, ${compare.vtdMode} mode` : ''})<span className="cmp-path">root entry → context entry → PASID directory → PASID table → page tables</span></th>
                      </tr>
                    </thead>
                    {compare.devices.map((d) => <DeviceRows key={d.name} d={d} />)}
                  </table>
                </div>
              )}
              <DifferencesPanel items={compare.differences} />
              <KernelPanel smmu={compare.kernel.smmu} vtd={compare.kernel.vtd} same={compare.kernel.same} findings={compare.findings} />
              {compare.skipped.length > 0 && (
                <details className="cmp-section">
                  <summary>Steps only one side runs ({compare.skipped.length})</summary>
                  <ul>{compare.skipped.map((s) => <li key={s.step}>Step {s.step}, {s.kind}: {s.why}.</li>)}</ul>
                </details>
              )}
            </>
          )}
    </div>
  );
}
