/**
 * The PASID/SVA part of the Linux topology for the UI, as plain data:
 * processes (their page table, CPU ASID, PASID, SVA domains, what they map),
 * SVA bonds and their refcounts, every group's pasid_array with the domain
 * the driver installed for each device, and the global PASID space.
 */
import type { Prot } from '../../commands.ts';
import { installedDomain } from './sva-state.ts';
import type { LinuxState } from './types.ts';

export interface MmView {
  readonly name: string;
  readonly pgtable: string;
  readonly pgd: bigint;
  readonly cpuAsid: number;
  readonly alive: boolean;
  readonly mmCount: number;
  /** mm->iommu_mm->pasid: null until the first bind. */
  readonly pasid: number | null;
  readonly svaDomains: readonly string[];
  readonly mappings: readonly { readonly va: bigint; readonly paddr: bigint; readonly size: bigint; readonly prot: Prot }[];
}

export interface SvaDomainView {
  readonly name: string;
  readonly mm: string;
  /** The SMMU ASID in its CDs (ASET = 1), not the CPU's. */
  readonly asid: number | null;
  readonly users: number;
  readonly devices: readonly { readonly device: string; readonly pasid: number }[];
}

export interface PasidEntryView {
  readonly group: number;
  readonly pasid: number;
  readonly domain: string;
  readonly handle: string | null;
  /** Per device of the group: the domain whose CD is at that SubstreamID (null: none, e.g. no PASID support). */
  readonly devices: readonly { readonly device: string; readonly installed: string | null }[];
}

export interface SvaTopologyView {
  readonly mms: readonly MmView[];
  readonly bonds: readonly { readonly name: string; readonly dev: string; readonly mm: string; readonly domain: string; readonly group: number; readonly pasid: number; readonly users: number }[];
  readonly svaDomains: readonly SvaDomainView[];
  readonly pasids: readonly PasidEntryView[];
  /** iommu_global_pasid_ida: PASIDs handed out. */
  readonly globalPasids: readonly number[];
}

export function svaTopologyView(linux: LinuxState): SvaTopologyView {
  const sva = linux.sva;
  return {
    mms: (sva?.mms ?? []).map((m) => ({
      name: m.name, pgtable: m.pgtable, pgd: m.pgd, cpuAsid: m.cpuAsid, alive: m.alive, mmCount: m.mmCount,
      pasid: m.iommuMm?.pasid ?? null, svaDomains: m.iommuMm?.svaDomains ?? [],
      mappings: m.mappings.map((x) => ({ va: x.iova, paddr: x.paddr, size: x.size, prot: x.prot })),
    })),
    bonds: (sva?.bonds ?? []).map((b) => ({ ...b })),
    svaDomains: linux.domains.flatMap((d) => (d.sva ? [{
      name: d.name, mm: d.sva.mm, asid: d.smmu?.asid ?? null, users: d.sva.users,
      devices: (d.smmu?.devices ?? []).map((x) => ({ device: x.master, pasid: x.ssid })),
    }] : [])),
    pasids: linux.groups.flatMap((g) => g.pasidArray.map((p) => ({
      group: g.id, pasid: p.pasid, domain: p.domain, handle: p.handle ?? null,
      devices: g.devices.map((device) => ({ device, installed: installedDomain(linux, device, p.pasid) })),
    }))),
    globalPasids: sva?.globalPasids ?? [],
  };
}
