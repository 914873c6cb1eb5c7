/**
 * Whose is a CD or a PASID entry, and which page table does its pointer
 * name: answered from the kernel's own records (group->pasid_array, the
 * master's RID domain, the SVA domain's mm), so both sides of the comparison
 * name the same kernel object for the same device and PASID.
 */
import type { IommuDomain, LinuxState } from '../engine/index.ts';
import type { OwnerRef, PgtableRef } from './compare-types.ts';

const NOBODY: OwnerRef = { domain: null, type: null };

function ownerOfDomain(d: IommuDomain | undefined, name: string | null): OwnerRef {
  if (!d) return name === null ? NOBODY : { domain: name, type: null };
  return {
    domain: d.name, type: d.type,
    ...(d.sva ? { mm: d.sva.mm } : {}),
    ...(d.type === 'NESTED' ? { guest: true } : {}),
  };
}

/** The domain the kernel has on (device, pasid): the RID's domain for 0, group->pasid_array for the others. */
export function ownerOf(linux: LinuxState, device: string, pasid: number): OwnerRef {
  if (pasid === 0) {
    const name = linux.masters.find((m) => m.device === device)?.ridDomain ?? null;
    return ownerOfDomain(linux.domains.find((d) => d.name === name), name);
  }
  const dev = linux.devices.find((d) => d.name === device);
  const group = linux.groups.find((g) => g.id === dev?.group);
  const entry = group?.pasidArray.find((p) => p.pasid === pasid);
  if (!entry) return NOBODY;
  return ownerOfDomain(linux.domains.find((d) => d.name === entry.domain), entry.domain);
}

/** PASIDs the kernel has attached for a device's group, besides the RID's 0. */
export function kernelPasids(linux: LinuxState, device: string): number[] {
  const dev = linux.devices.find((d) => d.name === device);
  const group = linux.groups.find((g) => g.id === dev?.group);
  return (group?.pasidArray ?? []).map((p) => p.pasid);
}

/**
 * The page table whose root is `root`: a domain's (matched by its root), an
 * mm's CPU page table, or the x86 mirror intel-iommu's SVA walks; `format`
 * says how the hardware reads it when nothing in the kernel names it.
 */
export function pgtableAt(linux: LinuxState, root: bigint, format: string, ipa = false): PgtableRef | undefined {
  if (root === 0n) return undefined;
  const base = { root, format, ...(ipa ? { ipa } : {}) };
  const mm = linux.sva?.mms.find((m) => m.pgd === root);
  if (mm) return { ...base, name: `${mm.name}'s page table (mm->pgd)`, mappings: mm.mappings.length };
  const d = linux.domains.find((x) => x.smmu?.pgtableRoot === root);
  if (d?.sva) return { ...base, name: `x86-64 mirror of ${d.sva.mm}'s page table`, mappings: d.mappings.length };
  if (d) return { ...base, name: d.name, mappings: d.mappings.length };
  // A guest-physical pointer no host domain owns: the guest's own table, which the host never reads.
  return ipa ? { ...base, name: "the guest's own table" } : base;
}
