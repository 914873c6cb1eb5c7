/**
 * Lookups over the PASID/SVA part of the Linux state: mms, bonds, the
 * PASID entries of a group, and which domain a device's DMA with or without
 * a PASID belongs to. The state is made on first use so that a boot without
 * any SVA has none.
 */
import { EngineError } from '../../util/assert.ts';
import type { Mm, SvaBond, SvaState } from './sva-types.ts';
import type { IommuDomain, IommuGroup, LinuxState, Mapping, PasidEntry, PciDevice } from './types.ts';

export function svaState(linux: LinuxState): SvaState {
  if (!linux.sva) linux.sva = { mms: [], bonds: [], globalPasids: [] };
  return linux.sva;
}

export function findMm(linux: LinuxState, name: string): Mm | undefined {
  return linux.sva?.mms.find((m) => m.name === name);
}

export function mmNamed(linux: LinuxState, name: string, field = 'mm'): Mm {
  const m = findMm(linux, name);
  if (!m) throw new EngineError(`no mm named "${name}" (mm_alloc it first; an mm is gone once it exited and nothing holds it)`, field);
  return m;
}

export function bondNamed(linux: LinuxState, name: string, field = 'handle'): SvaBond {
  const b = linux.sva?.bonds.find((x) => x.name === name);
  if (!b) throw new EngineError(`no SVA bond named "${name}" (iommu_sva_bind_device returns it; the last unbind frees it)`, field);
  return b;
}

/** domain->mm of an SVA domain. */
export function mmOfDomain(linux: LinuxState, d: IommuDomain | undefined): Mm | undefined {
  return d?.sva ? findMm(linux, d.sva.mm) : undefined;
}

export function pasidEntry(g: IommuGroup | undefined, pasid: number): PasidEntry | undefined {
  return g?.pasidArray.find((p) => p.pasid === pasid);
}

/** The domain a device's DMA is judged against: its group's domain without a PASID, the pasid_array entry with one. */
export function dmaDomainName(linux: LinuxState, dev: PciDevice, pasid?: number): string | null {
  const g = linux.groups.find((x) => x.id === dev.group);
  if (pasid === undefined) return g?.domain ?? null;
  return pasidEntry(g, pasid)?.domain ?? null;
}

/** The domain the driver has installed for (device, SubstreamID): the one whose arm_smmu_master_domain list holds it. */
export function installedDomain(linux: LinuxState, device: string, ssid: number): string | null {
  return linux.domains.find((d) => d.smmu?.devices.some((x) => x.master === device && x.ssid === ssid))?.name ?? null;
}

/**
 * What a domain lets DMA reach, as recorded by the kernel: iommu_map's
 * record for a paging domain, the CPU's mappings of the bound mm for an SVA
 * domain (nothing once the process has exited).
 */
export function reachMappings(linux: LinuxState, d: IommuDomain | undefined): readonly Mapping[] {
  if (!d) return [];
  if (d.type !== 'SVA') return d.mappings;
  const mm = mmOfDomain(linux, d);
  return mm?.alive ? mm.mappings : [];
}
