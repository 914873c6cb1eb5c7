/**
 * The Linux IOMMU topology as one SVG: iommu_groups holding their devices,
 * the domains they point at (each device's STE, group->domain,
 * default_domain), page tables, vIOMMUs, and in-flight DMA as packets that
 * land on a domain or stop at the SMMU. Layout is topologyLayout's; what the
 * current step touched is highlighted.
 */
import { useId, useMemo, useRef } from 'react';
import { PACKET_R, packetLayout, type PacketShape, type PacketSpec } from './packets.ts';
import { DeviceBox, DomainBox, GroupBox, TableBox, ViommuBox } from './TopologyNodes.tsx';
import { type DeviceOverride, type Edge, type TopologyInput, topologyLayout } from './topologyLayout.ts';
import { useTopologyMotion } from './useTopologyMotion.ts';
import './topology.css';

interface Props {
  readonly view: TopologyInput;
  /** Where devices point at a checkpoint of a domain switch (the engine's CheckpointDevice). */
  readonly overrides?: ReadonlyMap<string, DeviceOverride>;
  /** group->domain at that checkpoint (still the old domain until every device has moved). */
  readonly groupDomains?: ReadonlyMap<number, string | null>;
  readonly packets?: readonly PacketSpec[];
  /** Node ids the current step touched. */
  readonly focus?: ReadonlySet<string>;
  /** Changes whenever the picture should animate again (the step, the checkpoint). */
  readonly replayKey: unknown;
  readonly caption?: string;
}

const NO_OVERRIDES: ReadonlyMap<string, DeviceOverride> = new Map();
const NO_GROUP_DOMAINS: ReadonlyMap<number, string | null> = new Map();
const NO_PACKETS: readonly PacketSpec[] = [];
const NO_FOCUS: ReadonlySet<string> = new Set();

const LANDED_WORDS: Readonly<Record<PacketShape['tone'], string>> = { old: 'the old domain', new: 'the new domain', blocked: 'blocked', outside: 'memory its domain does not map' };

function EdgePath({ e, marker, focus }: { e: Edge; marker: string; focus: ReadonlySet<string> }) {
  const hot = focus.has(e.from) || focus.has(e.to);
  const path = (
    <path className={`edge edge-${e.kind}${hot ? ' is-focus' : ''}`} d={e.path} pathLength={1} markerEnd={e.kind === 'pgtable' ? undefined : `url(#${marker})`}
      data-from={e.from} data-to={e.to} data-testid={`edge-${e.kind}-${e.from}${e.label ? `-${e.label.replace(/\s+/g, '')}` : ''}`} />
  );
  if (!e.label) return path;
  return (
    <g>
      {path}
      <text className="edge-label" x={(e.start.x + e.end.x) / 2} y={(e.start.y + e.end.y) / 2 - 6} textAnchor="middle">{e.label}</text>
    </g>
  );
}

function Packet({ p }: { p: PacketShape }) {
  const mark = p.tone === 'blocked' ? '✕' : p.tone === 'outside' ? '!' : p.access === 'write' ? 'W' : 'R';
  return (
    <g className={`packet tone-${p.tone}`} transform={`translate(${p.to.x},${p.to.y})`} data-testid={`packet-${p.device}`} data-landed={p.landed}>
      <title>{`DMA from ${p.device} (${p.label}): ${LANDED_WORDS[p.tone]}${p.domain && p.tone !== 'blocked' ? `, ${p.domain}` : ''}`}</title>
      <g className="packet-body" data-dx={p.from.x - p.to.x} data-dy={p.from.y - p.to.y}>
        <circle r={PACKET_R} />
        <text className="packet-mark" textAnchor="middle" dy="0.35em">{mark}</text>
      </g>
    </g>
  );
}

export function TopologyView({ view, overrides = NO_OVERRIDES, groupDomains = NO_GROUP_DOMAINS, packets = NO_PACKETS, focus = NO_FOCUS, replayKey, caption }: Props) {
  const ref = useRef<SVGSVGElement>(null);
  const marker = `topo-arrow-${useId().replace(/:/g, '')}`;
  const layout = useMemo(() => topologyLayout(view, overrides, groupDomains), [view, overrides, groupDomains]);
  const shapes = useMemo(() => packetLayout(layout, packets), [layout, packets]);
  useTopologyMotion(ref, replayKey);
  const summary = view.groups.map((g) => `iommu_group ${g.id} (${g.devices.join(', ')}) on ${g.domain ?? 'no domain'}`).join('; ');
  return (
    <figure className="topology" data-testid="topology">
      <svg ref={ref} className="topology-svg" viewBox={`0 0 ${layout.width} ${layout.height}`} width="100%" role="img"
        aria-label={`Linux IOMMU topology: ${summary}`} style={{ maxWidth: `${Math.round(layout.width * 1.3)}px` }}>
        <defs>
          <marker id={marker} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="11" markerHeight="11" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="edge-arrow" />
          </marker>
        </defs>
        <g className="topo-smmu" aria-hidden="true">
          <rect x={layout.smmu.x} y={layout.smmu.y} width={layout.smmu.w} height={layout.smmu.h} rx={8} />
          <text x={layout.smmu.x + layout.smmu.w / 2} y={layout.smmu.y + 16} textAnchor="middle">SMMU</text>
        </g>
        {layout.groups.map((n) => <GroupBox key={n.id} node={n} focused={focus.has(n.id)} />)}
        {layout.edges.map((e) => <EdgePath key={e.id} e={e} marker={marker} focus={focus} />)}
        {layout.devices.map((n) => <DeviceBox key={n.id} node={n} focused={focus.has(n.id)} />)}
        {layout.domains.map((n) => <DomainBox key={n.id} node={n} focused={focus.has(n.id)} />)}
        {layout.tables.map((n) => <TableBox key={n.id} node={n} focused={focus.has(n.id)} />)}
        {layout.viommus.map((n) => <ViommuBox key={n.id} node={n} focused={focus.has(n.id)} />)}
        {shapes.map((p) => <Packet key={p.key} p={p} />)}
      </svg>
      <figcaption className="topology-legend">
        {caption && <span className="legend-caption">{caption}</span>}
        <span><i className="legend-line is-group" /> group-&gt;domain</span>
        <span><i className="legend-line is-default" /> default_domain</span>
        <span><i className="legend-line is-ste" /> a device&apos;s STE</span>
        {shapes.length > 0 && <span><i className="legend-dot tone-old" /> old domain <i className="legend-dot tone-new" /> new domain <i className="legend-dot tone-blocked" /> blocked</span>}
      </figcaption>
    </figure>
  );
}

