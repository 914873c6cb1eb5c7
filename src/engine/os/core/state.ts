/**
 * Lookups over the Linux state, and copying it. The state is plain data
 * (names, numbers, bigints, arrays), so a deep copy is a snapshot.
 */
import { EngineError } from '../../util/assert.ts';
import type { GroupRef } from './call-types.ts';
import type { GroupState } from './record-types.ts';
import type { ArmSmmuMaster, IommuDomain, IommuGroup, LinuxState, PciDevice } from './types.ts';

export function deepCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x: unknown) => deepCopy(x)) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = deepCopy(x);
    return out as T;
  }
  return v;
}

export function cloneLinuxState(s: LinuxState): LinuxState {
  return deepCopy(s);
}

export function deviceNamed(linux: LinuxState, name: string, field = 'dev'): PciDevice {
  const d = linux.devices.find((x) => x.name === name);
  if (!d) throw new EngineError(`no device named "${name}"`, field);
  return d;
}

export function domainNamed(linux: LinuxState, name: string, field = 'domain'): IommuDomain {
  const d = linux.domains.find((x) => x.name === name);
  if (!d) throw new EngineError(`no domain named "${name}" (allocate it first, or it was freed)`, field);
  return d;
}

export function findDomain(linux: LinuxState, name: string | null): IommuDomain | undefined {
  return name === null ? undefined : linux.domains.find((x) => x.name === name);
}

export function groupById(linux: LinuxState, id: number): IommuGroup {
  const g = linux.groups.find((x) => x.id === id);
  if (!g) throw new Error(`model bug: no group ${id}`);
  return g;
}

/** A group by number, or the group of a named device (undefined when that device has no group). */
export function resolveGroup(linux: LinuxState, ref: GroupRef, field = 'group'): IommuGroup | undefined {
  if (typeof ref === 'number') {
    const g = linux.groups.find((x) => x.id === ref);
    if (!g) throw new EngineError(`there is no iommu group ${ref}`, field);
    return g;
  }
  const d = deviceNamed(linux, ref, field);
  return d.group === null ? undefined : groupById(linux, d.group);
}

export function masterOf(linux: LinuxState, device: string): ArmSmmuMaster | undefined {
  return linux.masters.find((m) => m.device === device);
}

export function groupState(linux: LinuxState, g: IommuGroup): GroupState {
  return {
    id: g.id,
    devices: [...g.devices],
    domain: g.domain,
    domainType: findDomain(linux, g.domain)?.type ?? null,
    defaultDomain: g.defaultDomain,
    blockingDomain: g.blockingDomain,
    owner: g.owner,
    ownerCnt: g.ownerCnt,
    pasids: g.pasidArray.map((p) => p.pasid),
  };
}

export function allGroupStates(linux: LinuxState): GroupState[] {
  return linux.groups.map((g) => groupState(linux, g));
}

/** A fresh name for a kernel-made domain: "default-g0", then "default-g0.2" ... */
export function freshName(linux: LinuxState, s: { tables: Map<string, unknown> }, base: string): string {
  let name = base;
  for (let i = 2; linux.domains.some((d) => d.name === name) || s.tables.has(name); i++) name = `${base}.${i}`;
  return name;
}
