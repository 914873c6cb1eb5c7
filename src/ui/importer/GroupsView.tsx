/**
 * The machine's IOMMU groups as boxes, each with its devices and what the
 * group means for passing them to a VM.
 */
import { describe, type GroupDevice, type GroupsModel } from '../../importers/groups.ts';
import type { Consequences, GroupConsequence, Verdict } from '../../importers/isolation.ts';
import { idsText } from '../../importers/lspci.ts';
import { formatBdf } from '../../importers/bdf.ts';

const VERDICT_LABEL: Record<Verdict, string> = {
  alone: 'can go alone',
  together: 'must go together',
  'bridges-only': 'nothing to pass',
};

const BRIDGE_LABEL: Record<string, string> = {
  'host-bridge': 'host bridge',
  'pci-bridge': 'PCI bridge',
  'isa-bridge': 'ISA bridge',
  'other-bridge': 'bridge',
};

function DeviceRow({ device }: { readonly device: GroupDevice }) {
  const ids = device.lspci ? idsText(device.lspci) : undefined;
  return (
    <li className="import-device">
      <code className="import-device-bdf">{device.name}</code>
      {device.bridge && <span className="import-tag">{BRIDGE_LABEL[device.bridge]}</span>}
      <span className="import-device-what">{describe(device) ?? <span className="muted">class unknown (no lspci line)</span>}</span>
      {ids && <code className="import-device-ids muted">[{ids}]</code>}
      {device.parents && device.parents.length > 0 && (
        <span className="import-device-parents muted">behind {device.parents.map(formatBdf).join(' → ')}</span>
      )}
    </li>
  );
}

interface Props {
  readonly model: GroupsModel;
  readonly consequences: Consequences;
}

export function GroupsView({ model, consequences }: Props) {
  const byId = new Map<number, GroupConsequence>(consequences.groups.map((g) => [g.groupId, g]));
  return (
    <section className="import-groups" aria-labelledby="import-groups-heading" data-testid="import-groups">
      <h3 id="import-groups-heading" className="import-subtitle">IOMMU groups</h3>
      <div className="import-overall" data-testid="import-consequences">
        {consequences.overall.map((s) => <p key={s}>{s}</p>)}
      </div>
      <ul className="import-group-grid">
        {model.groups.map((g) => {
          const c = byId.get(g.id);
          return (
            <li key={g.id} className={`import-group is-${c?.verdict ?? 'together'}`} aria-labelledby={`import-group-${g.id}`} data-testid="import-group" data-group={g.id}>
              <div className="import-group-head">
                <h4 id={`import-group-${g.id}`}>Group {g.id}</h4>
                {c && <span className="import-verdict">{VERDICT_LABEL[c.verdict]}</span>}
              </div>
              <ul className="import-device-list" aria-label={`Devices in group ${g.id}`}>
                {g.devices.map((d) => <DeviceRow key={d.name} device={d} />)}
              </ul>
              {c && <div className="import-group-notes">{c.sentences.map((s) => <p key={s}>{s}</p>)}</div>}
            </li>
          );
        })}
      </ul>
      {model.ungrouped.length > 0 && (
        <div className="import-ungrouped">
          <h4>In no IOMMU group</h4>
          <ul className="import-device-list">
            {model.ungrouped.map((d) => (
              <li key={formatBdf(d.bdf)} className="import-device">
                <code className="import-device-bdf">{formatBdf(d.bdf)}</code>
                <span className="import-device-what">{d.className}{d.name ? `: ${d.name}` : ''}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
