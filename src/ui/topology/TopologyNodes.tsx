/**
 * The boxes of the topology drawing, each an SVG group at its layout
 * position: an iommu_group container, a PCI device, a domain, an io-pgtable,
 * a vIOMMU. Text uses the kernel's names (IOMMU_DOMAIN_DMA, owner_cnt).
 */
import type { DeviceView, DomainView, GroupState } from '../../engine/index.ts';
import { hexGrouped } from '../format.ts';
import type { DeviceNode, DomainNode, GroupNode, Rect, TableNode, ViommuNode } from './topologyLayout.ts';

const sid = (n: number) => `0x${n.toString(16)}`;

function focusClass(base: string, focused: boolean): string {
  return focused ? `${base} is-focus` : base;
}

function Frame({ r, className, dashed }: { r: Rect; className: string; dashed?: boolean }) {
  return <rect className={className} x={r.x} y={r.y} width={r.w} height={r.h} rx={10} strokeDasharray={dashed ? '6 5' : undefined} />;
}

export function ownerText(g: GroupState): string {
  const pasids = g.pasids.length > 0 ? ` · PASID${g.pasids.length === 1 ? '' : 's'} ${g.pasids.join(', ')}` : '';
  return `${g.owner === null ? 'kernel' : `owner: ${g.owner}`} · owner_cnt ${g.ownerCnt}${pasids}`;
}

export function GroupBox({ node, focused }: { node: GroupNode; focused: boolean }) {
  const g = node.group;
  return (
    <g className={focusClass('topo-group', focused)} data-testid={`topo-${node.id.replace(':', '-')}`}>
      <Frame r={node} className="topo-group-frame" dashed={g === null} />
      <text className="topo-title" x={node.x + 14} y={node.y + 20}>{g ? `iommu_group ${g.id}` : 'no group (probe failed)'}</text>
      {g && <text className="topo-sub" x={node.x + 14} y={node.y + 38}>{ownerText(g)}</text>}
    </g>
  );
}

function deviceLine(d: DeviceView): string {
  if (!d.iommu) return `no IOMMU: -${d.probeError ?? 'ENODEV'}`;
  const sids = d.streamIds.map(sid).join(', ');
  const wire = d.streamIds.includes(d.wireSid) && d.streamIds[0] === d.wireSid ? '' : ` · DMA as ${sid(d.wireSid)}`;
  return `StreamID ${sids}${wire}${d.driver ? ` · ${d.driver}` : ''}`;
}

export function DeviceBox({ node, focused }: { node: DeviceNode; focused: boolean }) {
  const d = node.device;
  return (
    <g className={focusClass(`topo-device${d.iommu ? '' : ' is-orphan'}`, focused)} data-testid={`topo-device-${d.name}`}>
      <Frame r={node} className="topo-box" />
      <text className="topo-name" x={node.x + 12} y={node.y + 23}>{d.name}</text>
      <text className="topo-mono topo-end" x={node.x + node.w - 12} y={node.y + 23}>{d.bdf.replace(/^0000:/, '')}</text>
      <text className="topo-sub" x={node.x + 12} y={node.y + 45}>{deviceLine(d)}</text>
    </g>
  );
}

function domainLine(d: DomainView): string {
  if (d.type === 'BLOCKED') return 'static: abort STE';
  if (d.type === 'IDENTITY') return 'static: bypass STE';
  if (d.type === 'SVA') return 'a process\'s CPU page table, by PASID';
  if (d.type === 'NESTED') return d.guestCdTable !== null ? `vSTE: CD table at IPA ${hexGrouped(d.guestCdTable)}` : 'vSTE: no stage 1';
  const tag = d.asid !== null ? `ASID ${d.asid}` : d.vmid !== null ? `VMID ${d.vmid}` : 'not finalised';
  return `stage ${d.stage ?? '?'}${d.nestParent ? ' (nesting parent)' : ''} · ${tag}`;
}

export function DomainBox({ node, focused }: { node: DomainNode; focused: boolean }) {
  const d = node.domain;
  const type = d?.type ?? 'gone';
  const defaults = d?.defaultOf ?? [];
  return (
    <g className={focusClass(`topo-domain dt-${type}`, focused)} data-testid={`topo-domain-${node.name}`} data-type={type}>
      <Frame r={node} className="topo-box topo-domain-frame" dashed={d === null} />
      <rect className="topo-domain-band" x={node.x} y={node.y} width={7} height={node.h} rx={3} />
      <text className="topo-name" x={node.x + 16} y={node.y + 22}>{node.name}</text>
      {defaults.length > 0 && <text className="topo-tag topo-end" x={node.x + node.w - 10} y={node.y + 20}>default of g{defaults.join(', g')}</text>}
      <text className="topo-mono" x={node.x + 16} y={node.y + 43}>{d ? `IOMMU_DOMAIN_${d.type}` : 'freed by this call'}</text>
      {d && <text className="topo-sub" x={node.x + 16} y={node.y + 63}>{domainLine(d)}</text>}
    </g>
  );
}

export function TableBox({ node, focused }: { node: TableNode; focused: boolean }) {
  return (
    <g className={focusClass('topo-table', focused)} data-testid={`topo-pgtable-${node.domain}`}>
      <Frame r={node} className="topo-box topo-table-frame" />
      <text className="topo-sub topo-strong" x={node.x + 12} y={node.y + 19}>{node.cpu ? 'CPU page table (pgd)' : `io-pgtable · stage ${node.stage}`}</text>
      <text className="topo-mono" x={node.x + 12} y={node.y + 36}>{node.stage === 1 ? 'TTB0' : 'S2TTB'} {hexGrouped(node.root)}</text>
      <text className="topo-sub" x={node.x + 12} y={node.y + 52}>{node.cpu ? 'shared with the CPU' : `${node.mappings} mapping${node.mappings === 1 ? '' : 's'}`}</text>
    </g>
  );
}

export function ViommuBox({ node, focused }: { node: ViommuNode; focused: boolean }) {
  const v = node.vdevices.map((x) => `${x.device} → vSID ${x.virtId}`).join(', ');
  return (
    <g className={focusClass('topo-viommu', focused)} data-testid={`topo-viommu-${node.name}`}>
      <Frame r={node} className="topo-box topo-viommu-frame" />
      <text className="topo-sub topo-strong" x={node.x + 12} y={node.y + 19}>vIOMMU {node.name}</text>
      <text className="topo-sub" x={node.x + 12} y={node.y + 36}>VMID {node.vmid} (the parent&apos;s)</text>
      <text className="topo-sub" x={node.x + 12} y={node.y + 52}>{v || 'no vdevice yet'}</text>
    </g>
  );
}
