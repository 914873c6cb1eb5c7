/**
 * Where everything of the Linux topology goes, as plain coordinates: each
 * iommu_group a container holding its devices (left), the domains (middle),
 * their page tables and vIOMMUs (right), and the edges between them: each
 * device's STE to the domain the driver installed for it, group->domain and
 * default_domain, a domain's io-pgtable, a nested domain's stage-2 parent.
 * A checkpoint of a domain switch overrides where each device points.
 * Pure: unit-tested in Node; React renders it, d3 only animates it.
 */
import type { DeviceView, DomainView, GroupState, LinuxTopologyView } from '../../engine/index.ts';
import { horizontalCurve, type Point } from '../walk/paths.ts';

export const TOPO = {
  margin: 16,
  groupW: 270,
  groupHeader: 46,
  groupPad: 10,
  deviceW: 246,
  deviceH: 58,
  deviceGap: 8,
  groupGap: 18,
  /** Room between the groups and the domains for the STE edges to fan out. */
  edgeGap: 150,
  domainW: 280,
  domainH: 74,
  domainGap: 16,
  tableGap: 56,
  tableW: 200,
  tableH: 58,
} as const;

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface GroupNode extends Rect { readonly id: string; readonly group: GroupState | null }
export interface DeviceNode extends Rect { readonly id: string; readonly device: DeviceView }
/** `domain` is null for a domain the view no longer has (freed by the call a checkpoint belongs to). */
export interface DomainNode extends Rect { readonly id: string; readonly name: string; readonly domain: DomainView | null }
/** A paging domain's io-pgtable, or (cpu) the process page table an SVA domain shares with the CPU. */
export interface TableNode extends Rect { readonly id: string; readonly domain: string; readonly stage: 1 | 2; readonly root: bigint; readonly mappings: number; readonly cpu: boolean }
export interface ViommuNode extends Rect { readonly id: string; readonly name: string; readonly vmid: number; readonly vdevices: readonly { readonly device: string; readonly virtId: number }[] }

export type EdgeKind = 'ste' | 'ste-moving' | 'group-domain' | 'default-domain' | 'pasid' | 'pgtable' | 'viommu' | 'parent';

export interface Edge {
  readonly id: string;
  readonly kind: EdgeKind;
  readonly from: string;
  readonly to: string;
  readonly path: string;
  readonly start: Point;
  readonly end: Point;
  /** A few words drawn along the edge ("PASID 1"). */
  readonly label?: string;
}

/** The view the topology draws: the engine's, and the PASIDs of each group (the worker adds them). */
export type TopologyInput = LinuxTopologyView & { readonly pasidAttachments?: readonly { readonly group: number; readonly pasid: number; readonly domain: string }[] };

/** Where each device of a switching group points at one checkpoint (the engine's CheckpointDevice). */
export interface DeviceOverride {
  readonly domain: string | null;
  readonly moving?: { readonly from: string | null; readonly to: string };
}

export interface TopologyLayout {
  readonly width: number;
  readonly height: number;
  /** The SMMU between the devices and the domains: every STE edge crosses it, a blocked DMA stops on it. */
  readonly smmu: Rect;
  readonly groups: readonly GroupNode[];
  readonly devices: readonly DeviceNode[];
  readonly domains: readonly DomainNode[];
  readonly tables: readonly TableNode[];
  readonly viommus: readonly ViommuNode[];
  readonly edges: readonly Edge[];
}

export const groupId = (id: number | null) => (id === null ? 'group:none' : `group:${id}`);
export const deviceId = (name: string) => `device:${name}`;
export const domainId = (name: string) => `domain:${name}`;

/** The domain each device's STE points at: the checkpoint's, else the view's. */
function pointedAt(view: TopologyInput, overrides: ReadonlyMap<string, DeviceOverride>): Map<string, DeviceOverride> {
  const out = new Map<string, DeviceOverride>();
  for (const d of view.devices) out.set(d.name, overrides.get(d.name) ?? { domain: d.domain });
  return out;
}

/** Which domains to draw: every allocated one, a static one only while something refers to it. */
function shownDomains(view: TopologyInput, points: ReadonlyMap<string, DeviceOverride>, groupDomains: ReadonlyMap<number, string | null>): string[] {
  const used = new Set<string>();
  for (const d of groupDomains.values()) if (d) used.add(d);
  for (const g of view.groups) for (const n of [g.domain, g.defaultDomain, g.blockingDomain]) if (n) used.add(n);
  for (const p of points.values()) {
    if (p.domain) used.add(p.domain);
    if (p.moving) used.add(p.moving.to);
  }
  for (const d of view.domains) if (d.parent) used.add(d.parent);
  for (const p of view.pasidAttachments ?? []) used.add(p.domain);
  const names = view.domains.filter((d) => !d.isStatic || used.has(d.name)).map((d) => d.name);
  // A domain a checkpoint names that the view no longer has (freed at the end of the call) is drawn as a ghost.
  for (const n of used) if (!names.includes(n)) names.push(n);
  return names;
}

function leftMid(r: Rect): Point {
  return { x: r.x, y: r.y + r.h / 2 };
}

function rightMid(r: Rect, dy = 0): Point {
  return { x: r.x + r.w, y: r.y + r.h / 2 + dy };
}

function edge(kind: EdgeKind, from: string, to: string, start: Point, end: Point, path = horizontalCurve(start, end)): Edge {
  return { id: `${kind}:${from}->${to}`, kind, from, to, path, start, end };
}

/** Stacks boxes wanting to sit at `want` (top y) without overlap, keeping their order by wanted position. */
export function stack(want: readonly { key: string; y: number; h: number }[], top: number, gap: number): Map<string, number> {
  const sorted = [...want].sort((a, b) => a.y - b.y || a.key.localeCompare(b.key));
  const out = new Map<string, number>();
  let next = top;
  for (const w of sorted) {
    const y = Math.max(w.y, next);
    out.set(w.key, y);
    next = y + w.h + gap;
  }
  return out;
}

/**
 * `groupDomains` overrides group->domain (by group id): mid-switch it is still the old domain, since
 * __iommu_group_set_domain_internal sets it only once every device has moved.
 */
export function topologyLayout(view: TopologyInput, overrides: ReadonlyMap<string, DeviceOverride> = new Map(), groupDomains: ReadonlyMap<number, string | null> = new Map()): TopologyLayout {
  const T = TOPO;
  const points = pointedAt(view, overrides);
  const domainOf = (g: GroupState) => (groupDomains.has(g.id) ? (groupDomains.get(g.id) ?? null) : g.domain);
  const groups: GroupNode[] = [];
  const devices: DeviceNode[] = [];
  const lists: [GroupState | null, DeviceView[]][] = view.groups.map((g) => [g, g.devices.flatMap((n) => view.devices.filter((d) => d.name === n))]);
  const ungrouped = view.devices.filter((d) => d.group === null);
  if (ungrouped.length > 0) lists.push([null, ungrouped]);
  let y = T.margin;
  for (const [g, members] of lists) {
    const h = T.groupHeader + members.length * (T.deviceH + T.deviceGap) - T.deviceGap + T.groupPad;
    groups.push({ id: groupId(g?.id ?? null), group: g, x: T.margin, y, w: T.groupW, h });
    members.forEach((d, i) => {
      devices.push({ id: deviceId(d.name), device: d, x: T.margin + (T.groupW - T.deviceW) / 2, y: y + T.groupHeader + i * (T.deviceH + T.deviceGap), w: T.deviceW, h: T.deviceH });
    });
    y += h + T.groupGap;
  }
  const leftHeight = y - T.groupGap;

  // Each domain wants to sit level with what points at it (the mean of those devices and groups).
  const domainX = T.margin + T.groupW + T.edgeGap;
  const names = shownDomains(view, points, groupDomains);
  const want = names.map((name, order) => {
    const ys: number[] = [];
    for (const dn of devices) {
      const p = points.get(dn.device.name);
      if (p?.domain === name || p?.moving?.to === name) ys.push(dn.y + dn.h / 2);
    }
    for (const gn of groups) if (gn.group && domainOf(gn.group) === name) ys.push(gn.y + T.groupHeader / 2);
    for (const p of view.pasidAttachments ?? []) {
      const gn = p.domain === name ? groups.find((x) => x.group?.id === p.group) : undefined;
      if (gn) ys.push(gn.y + gn.h);
    }
    const mean = ys.length > 0 ? ys.reduce((a, b) => a + b, 0) / ys.length : undefined;
    return { key: name, y: mean === undefined ? undefined : mean - T.domainH / 2, order, h: T.domainH };
  });
  // A nesting parent nothing points at directly sits right under its nested domain; anything else unused goes last.
  const placed = want.map((w) => {
    if (w.y !== undefined) return { key: w.key, y: w.y, h: w.h };
    const child = view.domains.find((d) => d.parent === w.key && names.includes(d.name));
    const above = child ? want.find((x) => x.key === child.name)?.y : undefined;
    return { key: w.key, y: above !== undefined ? above + 1 : leftHeight + w.order, h: w.h };
  });
  const ys = stack(placed, T.margin, T.domainGap);
  const domains: DomainNode[] = names.map((name) => ({
    id: domainId(name), name, domain: view.domains.find((d) => d.name === name) ?? null, x: domainX, y: ys.get(name) ?? T.margin, w: T.domainW, h: T.domainH,
  }));
  const byName = new Map(domains.map((d) => [d.name, d]));

  const tableX = domainX + T.domainW + T.tableGap;
  const tables: TableNode[] = [];
  const viommus: ViommuNode[] = [];
  const edges: Edge[] = [];
  for (const dn of domains) {
    const pg = dn.domain?.pgtable;
    if (pg) {
      const t: TableNode = { id: `pgtable:${dn.name}`, domain: dn.name, stage: pg.stage, root: pg.root, mappings: dn.domain?.mappings.length ?? 0, cpu: dn.domain?.type === 'SVA', x: tableX, y: dn.y + (T.domainH - T.tableH) / 2, w: T.tableW, h: T.tableH };
      tables.push(t);
      edges.push(edge('pgtable', dn.id, t.id, rightMid(dn), leftMid(t)));
    }
  }
  // A vIOMMU sits beside its first nested domain, or beside its parent.
  for (const v of view.viommus) {
    const nested = domains.find((d) => d.domain?.viommu === v.name);
    const parent = byName.get(v.parent);
    const anchor = nested ?? parent;
    const taken = tables.concat(viommus as unknown as TableNode[]).filter((t) => anchor && Math.abs(t.y - anchor.y) < T.tableH);
    const vy = (anchor?.y ?? T.margin) + (T.domainH - T.tableH) / 2 + taken.length * (T.tableH + 8);
    const node: ViommuNode = { id: `viommu:${v.name}`, name: v.name, vmid: v.vmid, vdevices: v.vdevices, x: tableX, y: vy, w: T.tableW, h: T.tableH };
    viommus.push(node);
    if (nested) edges.push(edge('viommu', nested.id, node.id, rightMid(nested), leftMid(node)));
    if (parent) {
      // Back to the parent domain: out of the vIOMMU's bottom, into the parent's top right corner.
      const from = { x: node.x + 36, y: node.y + node.h };
      const to = { x: parent.x + parent.w - 28, y: parent.y };
      const bend = Math.max(24, Math.abs(to.y - from.y) / 2);
      edges.push(edge('parent', node.id, parent.id, from, to, `M${from.x},${from.y} C${from.x},${from.y + bend} ${to.x},${to.y - bend} ${to.x},${to.y}`));
    }
  }

  for (const gn of groups) {
    const g = gn.group;
    if (!g) continue;
    const from = { x: gn.x + gn.w, y: gn.y + 20 };
    const current = domainOf(g);
    const target = current ? byName.get(current) : undefined;
    if (target) edges.push(edge('group-domain', gn.id, target.id, from, leftMid(target)));
    const def = g.defaultDomain && g.defaultDomain !== current ? byName.get(g.defaultDomain) : undefined;
    if (def) edges.push(edge('default-domain', gn.id, def.id, { x: from.x, y: from.y + 12 }, { x: def.x, y: def.y + def.h - 14 }));
    // group->pasid_array: each PASID attached to its own domain (an SVA domain, an iommufd one).
    (view.pasidAttachments ?? []).filter((p) => p.group === g.id).forEach((p, i) => {
      const to = byName.get(p.domain);
      if (!to) return;
      const start = { x: gn.x + gn.w, y: gn.y + gn.h - 12 - i * 10 };
      edges.push({ ...edge('pasid', gn.id, `${to.id}#${p.pasid}`, start, { x: to.x, y: to.y + to.h - 12 }), to: to.id, label: `PASID ${p.pasid}` });
    });
  }
  for (const dn of devices) {
    const p = points.get(dn.device.name);
    const target = p?.domain ? byName.get(p.domain) : undefined;
    if (target) edges.push(edge('ste', dn.id, target.id, rightMid(dn), { x: target.x, y: target.y + target.h / 2 + 8 }));
    const to = p?.moving ? byName.get(p.moving.to) : undefined;
    if (to && to !== target) edges.push(edge('ste-moving', dn.id, to.id, rightMid(dn, 6), { x: to.x, y: to.y + to.h / 2 + 16 }));
  }

  const right = Math.max(tableX + T.tableW, domainX + T.domainW);
  const bottom = Math.max(leftHeight, ...domains.map((d) => d.y + d.h), ...tables.map((t) => t.y + t.h), ...viommus.map((v) => v.y + v.h));
  const smmu = { x: T.margin + T.groupW + T.edgeGap * 0.3, y: T.margin - 6, w: T.edgeGap * 0.4, h: bottom - T.margin + 12 };
  return { width: right + T.margin, height: bottom + T.margin, smmu, groups, devices, domains, tables, viommus, edges };
}
