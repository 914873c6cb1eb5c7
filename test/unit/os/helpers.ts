/**
 * Driving the Linux core through the real Engine: boot a topology, make
 * kernel calls, send DMA from devices by name. Each helper applies one
 * command and hands back its events; a rejected command fails the test.
 */
import { Engine, type EngineCommand, type EngineEvent, type LinuxCall, type PciDeviceSpec, type Prot } from '../../../src/engine/index.ts';
import type { InflightDma } from '../../../src/engine/os/core/call-types.ts';
import type { DefaultDomainType, IommuGroup } from '../../../src/engine/os/core/types.ts';
import type { FeaturePreset, SmmuFeatures } from '../../../src/engine/hw/smmu/features.ts';

export const RW: Prot = { read: true, write: true, exec: false, priv: false };
export const RO: Prot = { read: true, write: false, exec: false, priv: false };
export const READ = { kind: 'read', privileged: false } as const;
export const WRITE = { kind: 'write', privileged: false } as const;

const show = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x));

export type Called = Extract<EngineEvent, { kind: 'linux.called' }>;
export type Booted = Extract<EngineEvent, { kind: 'linux.booted' }>;
export type Finding = Extract<EngineEvent, { kind: 'linux.finding' }>['finding'];

export function applyOk(e: Engine, c: EngineCommand): EngineEvent[] {
  const events = e.apply(c);
  const rejected = events.find((x) => x.kind === 'command.rejected');
  if (rejected) throw new Error(`${c.kind} was rejected: ${show(rejected)}`);
  return events;
}

export interface BootOptions {
  readonly defaultDomainType?: DefaultDomainType;
  readonly preset?: FeaturePreset;
  readonly features?: Partial<SmmuFeatures>;
  readonly streamTable?: 'linear' | '2-level';
}

export function boot(devices: readonly PciDeviceSpec[], o: BootOptions = {}): { engine: Engine; booted: Booted; findings: Finding[] } {
  const engine = new Engine();
  const events = applyOk(engine, {
    kind: 'linux.boot', devices, ...(o.defaultDomainType ? { defaultDomainType: o.defaultDomainType } : {}),
    smmu: { preset: o.preset ?? 'full', ...(o.features ? { features: o.features } : {}), ...(o.streamTable ? { streamTable: o.streamTable } : {}) },
  });
  return { engine, booted: events[0] as Booted, findings: findingsOf(events) };
}

export function findingsOf(events: readonly EngineEvent[]): Finding[] {
  return events.flatMap((x) => (x.kind === 'linux.finding' ? [x.finding] : []));
}

/** One kernel call; returns its event and the findings that came with it. */
export function call(e: Engine, c: LinuxCall, inflight?: readonly InflightDma[]): Called & { findings: Finding[] } {
  const events = applyOk(e, { kind: 'linux.call', ...c, ...(inflight ? { inflight } : {}) } as EngineCommand);
  const ev = events[0];
  if (ev?.kind !== 'linux.called') throw new Error(`expected linux.called, got ${show(events)}`);
  return { ...ev, findings: findingsOf(events) };
}

export function dma(e: Engine, device: string, iova: bigint, access: typeof READ | typeof WRITE = READ) {
  const events = applyOk(e, { kind: 'linux.dma', device, iova, access });
  const ev = events[0];
  if (ev?.kind !== 'linux.dma') throw new Error(`expected linux.dma, got ${show(events)}`);
  return { ...ev, findings: findingsOf(events) };
}

export function group(e: Engine, device: string): IommuGroup {
  const linux = e.linux;
  const d = linux?.devices.find((x) => x.name === device);
  const g = linux?.groups.find((x) => x.id === d?.group);
  if (!g) throw new Error(`${device} has no group`);
  return g;
}

/** The STE words of a StreamID as they are in memory now. */
export function steWords(e: Engine, sid: number): bigint[] {
  const smmu = e.smmu;
  if (!smmu) throw new Error('no SMMU');
  const t = smmu.streamTable;
  const l1 = t.base + BigInt(Math.floor(sid / 2 ** t.split) * 8);
  const desc = e.readMemory64(l1) ?? 0n;
  const l2 = desc & 0x000f_ffff_ffff_ffc0n;
  const base = l2 + BigInt((sid % 2 ** t.split) * 64);
  return Array.from({ length: 8 }, (_, i) => e.readMemory64(base + BigInt(i * 8)) ?? 0n);
}

/** STE.Config of a StreamID (0 abort, 4 bypass, 5 stage 1, 6 stage 2, 7 nested), V = 0 as -1. */
export function steConfig(e: Engine, sid: number): number {
  const q0 = steWords(e, sid)[0] as bigint;
  return (q0 & 1n) === 0n ? -1 : Number((q0 >> 1n) & 7n);
}

/** The commands the SMMU consumed during a call, by name. */
export function commandsOf(ev: Called | Booted): string[] {
  return ev.hw.flatMap((h) => {
    if (h.kind === 'commands') return h.consumed.map((c) => c.command?.op ?? '?');
    if (h.kind === 'ste' || h.kind === 'cd') return h.update.executed.flatMap((s) => (s.kind === 'sync' ? s.consumed.map((c) => c.command?.op ?? '?') : []));
    return [];
  });
}

/** A single endpoint under an ACS root port: its own group. */
export const SINGLE: readonly PciDeviceSpec[] = [
  { name: 'rp0', bdf: '00:01.0', type: 'root-port', acs: true },
  { name: 'A', bdf: '01:00.0', parent: 'rp0' },
];

/** A two-function endpoint without ACS: one group {B0, B1}. */
export const MULTI: readonly PciDeviceSpec[] = [
  { name: 'rp1', bdf: '00:02.0', type: 'root-port', acs: true },
  { name: 'B0', bdf: '02:00.0', parent: 'rp1' },
  { name: 'B1', bdf: '02:00.1', parent: 'rp1' },
];
