/**
 * Result lines for the Linux steps: what a kernel call returned (as the
 * kernel prints it), the state of the groups it named (with struct
 * iommu_group's own field names), how many hardware writes the driver made,
 * the in-flight DMAs of a domain switch and where each landed, and anything
 * the engine caught (findings).
 */
import type { EngineEvent, GroupState, LinuxFinding, LinuxHwWrite } from '../engine/index.ts';
import { argRole } from './linux-calls.ts';
import { type DmaLine, type SmmuRunOptions, dmaLine } from './run-smmu.ts';
import { type Hex, toHex } from './format.ts';
import type { ScenarioStep } from './steps.ts';

/** A group as `struct iommu_group` names its fields. */
export interface GroupLine {
  readonly id: number;
  readonly devices: readonly string[];
  readonly domain: string | null;
  /** The domain's type (IOMMU_DOMAIN_*): DMA, BLOCKED, UNMANAGED ... */
  readonly type: string | null;
  readonly default_domain: string | null;
  readonly blocking_domain?: string;
  readonly owner: string | null;
  readonly owner_cnt: number;
  readonly pasid_array?: readonly number[];
}

/** What the driver did to the hardware, counted. */
export interface HwCounts {
  /** STE and CD updates (arm_smmu_write_entry), with the qword stores and syncs (CMD_CFGI_* + CMD_SYNC) they took. */
  readonly ste: number;
  readonly cd: number;
  readonly stores: number;
  readonly syncs: number;
  /** Commands the SMMU consumed, those of the syncs included. */
  readonly commands: number;
  /** Plain stores: page-table entries, L1 descriptors, initial STEs. */
  readonly memory: number;
  /** Table memory handed out and given back. */
  readonly allocs: number;
  readonly frees: number;
  /** Kinds of write this runner does not count by name (PCI config writes ...), by kind. */
  readonly other?: Readonly<Record<string, number>>;
}

export interface InflightLine {
  readonly checkpoint: number;
  readonly device: string;
  readonly sid: number;
  readonly iova: Hex;
  readonly landed: string;
  readonly result: string;
  readonly output?: Hex;
  readonly event?: string;
}

export interface FindingLine {
  readonly rule: string;
  readonly message: string;
  readonly checkpoint?: number;
  readonly device?: string;
}

type Line<K extends string, T> = { readonly step: number; readonly kind: K } & T;

export type LinuxStepResult =
  | Line<'linux.boot', {
      smmu?: { preset: string; streamTable: 'linear' | '2-level' };
      devices: { device: string; returned: string; group: number | null; streamIds: number[]; why: string }[];
      groups: GroupLine[];
      drivers: { device: string; driver: string; returned: string }[];
      hw: HwCounts;
      warnings?: string[];
      findings?: FindingLine[];
    }>
  | Line<'linux.call', {
      call: string;
      returned: string;
      value?: Hex;
      groups: GroupLine[];
      hw: HwCounts;
      checkpoints?: number;
      inflight?: InflightLine[];
      warnings?: string[];
      findings?: FindingLine[];
      trace?: { hw: string[]; checkpoints: string[] };
    }>
  | Line<'linux.dma', DmaLine & { device: string; group: number | null; domain: string | null; landed: string; why: string; findings?: FindingLine[] }>;

const errnoText = (ret: 0 | string) => (ret === 0 ? '0' : `-${ret}`);

export function groupLine(g: GroupState): GroupLine {
  return {
    id: g.id, devices: [...g.devices], domain: g.domain, type: g.domainType, default_domain: g.defaultDomain,
    ...(g.blockingDomain ? { blocking_domain: g.blockingDomain } : {}),
    owner: g.owner, owner_cnt: g.ownerCnt,
    ...(g.pasids.length > 0 ? { pasid_array: [...g.pasids] } : {}),
  };
}

export function hwCounts(hw: readonly LinuxHwWrite[]): HwCounts {
  const c = { ste: 0, cd: 0, stores: 0, syncs: 0, commands: 0, memory: 0, allocs: 0, frees: 0 };
  const other: Record<string, number> = {};
  for (const h of hw) {
    if (h.kind === 'ste' || h.kind === 'cd') {
      c[h.kind]++;
      for (const s of h.update.executed) {
        if (s.kind === 'write') c.stores++;
        else {
          c.syncs++;
          c.commands += s.consumed.length;
        }
      }
      c.memory += h.update.setupWrites.length;
    } else if (h.kind === 'commands') c.commands += h.consumed.length;
    else if (h.kind === 'memory') c.memory += h.writes.length;
    else if (h.kind === 'alloc') c.allocs++;
    else if (h.kind === 'free') c.frees++;
    else other[h.kind] = (other[h.kind] ?? 0) + 1;
  }
  return Object.keys(other).length > 0 ? { ...c, other } : c;
}

/** One line per hardware write, for --trace: "STE 0x100 of nic0: 2 stores, 2 syncs (arm_smmu_make_abort_ste ...)". */
export function hwText(h: LinuxHwWrite): string {
  switch (h.kind) {
    case 'ste':
    case 'cd': {
      const p = h.update.plan;
      const what = h.kind === 'ste' ? `STE 0x${h.sid.toString(16)}` : `CD ${h.ssid} of StreamID 0x${h.sid.toString(16)}`;
      return `${what} (${h.device}): ${p.writes} store${p.writes === 1 ? '' : 's'}, ${p.syncs} sync${p.syncs === 1 ? '' : 's'}${p.hitless ? '' : ', V cleared first'} — ${h.why}`;
    }
    case 'commands':
      return `${h.consumed.map((c) => c.command?.op ?? '?').join(' + ')} — ${h.why}`;
    case 'memory':
      return `${h.writes.length} store${h.writes.length === 1 ? '' : 's'} — ${h.why}`;
    case 'alloc':
    case 'free':
      return `${h.kind} ${toHex(h.bytes)} bytes at ${toHex(h.address)} — ${h.what}`;
    default:
      return genericHwText(h);
  }
}

/** A kind of write this file does not know yet (the engine grows): its kind and its why. */
function genericHwText(h: { readonly kind: string }): string {
  const why = (h as { why?: unknown }).why;
  return `${h.kind}${typeof why === 'string' ? ` — ${why}` : ''}`;
}

function findingLines(events: readonly EngineEvent[]): FindingLine[] {
  return events.flatMap((e) => (e.kind === 'linux.finding' ? [findingLine(e.finding)] : []));
}

function findingLine(f: LinuxFinding): FindingLine {
  return { rule: f.rule, message: f.message, ...(f.checkpoint === undefined ? {} : { checkpoint: f.checkpoint }), ...(f.device === undefined ? {} : { device: f.device }) };
}

/** The groups a call named (by group or by device), as the call left them; every group if it named none but switched one. */
function namedGroups(step: ScenarioStep, groups: readonly GroupState[], switched: number | undefined): GroupState[] {
  if (step.kind !== 'linux.call') return [];
  const ids = new Set<number>();
  for (const [arg, value] of Object.entries(step.args)) {
    const role = argRole(step.call, arg);
    if (role === 'group' && typeof value === 'number') ids.add(value);
    else if ((role === 'group' || role === 'device') && typeof value === 'string') {
      const g = groups.find((x) => x.devices.includes(value));
      if (g) ids.add(g.id);
    }
  }
  if (switched !== undefined) ids.add(switched);
  return groups.filter((g) => ids.has(g.id));
}

const optional = <K extends string, T>(key: K, list: readonly T[]): Partial<Record<K, T[]>> => (list.length > 0 ? ({ [key]: [...list] } as Record<K, T[]>) : {});

/** The result line of a Linux step from all of its events (a call's findings come as events of their own after it). */
export function linuxEventResult(index: number, step: ScenarioStep, events: readonly EngineEvent[], options: SmmuRunOptions): LinuxStepResult | undefined {
  const findings = findingLines(events);
  for (const e of events) {
    if (e.kind === 'linux.booted') {
      return {
        step: index, kind: 'linux.boot',
        ...(e.smmu ? { smmu: { preset: step.kind === 'linux.boot' ? (step.smmu?.preset ?? 'full') : 'full', streamTable: e.smmu.result.streamTable.fmt } } : {}),
        devices: e.boot.probed.map((p) => ({ device: p.device, returned: errnoText(p.ret), group: p.group, streamIds: [...p.streamIds], why: p.why })),
        groups: e.groups.map(groupLine),
        drivers: e.boot.drivers.map((d) => ({ device: d.device, driver: d.driver, returned: errnoText(d.ret) })),
        hw: hwCounts(e.hw),
        ...optional('warnings', e.warnings),
        ...optional('findings', findings),
      };
    }
    if (e.kind === 'linux.called') {
      return {
        step: index, kind: 'linux.call', call: e.call.call, returned: e.returned,
        ...(e.value === undefined ? {} : { value: toHex(e.value) }),
        groups: namedGroups(step, e.groups, e.checkpoints[0]?.group).map(groupLine),
        hw: hwCounts(e.hw),
        ...(e.checkpoints.length > 0 ? { checkpoints: e.checkpoints.length } : {}),
        ...optional('inflight', e.inflight.map((r): InflightLine => ({
          checkpoint: r.checkpoint, device: r.device, sid: r.sid, iova: toHex(r.iova), landed: r.landed, result: r.outcome.result,
          ...(r.outcome.output === undefined ? {} : { output: toHex(r.outcome.output) }),
          ...(r.outcome.event ? { event: r.outcome.event.name } : {}),
        }))),
        ...optional('warnings', e.warnings),
        ...optional('findings', findings),
        ...(options.trace ? { trace: { hw: e.hw.map(hwText), checkpoints: e.checkpoints.map((c) => `${c.index}: ${c.label}`) } } : {}),
      };
    }
    if (e.kind === 'linux.dma') {
      return {
        step: index, kind: 'linux.dma', device: e.device, group: e.group, domain: e.domain, landed: e.landed, why: e.why,
        ...dmaLine(e.outcome, options),
        ...optional('findings', findings),
      };
    }
  }
  return undefined;
}
