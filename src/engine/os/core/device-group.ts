/**
 * Which iommu_group a PCI device joins (drivers/iommu/iommu.c
 * pci_device_group). A group is found through a related device that already
 * has one, or created: so the probe order (bridges before what is behind
 * them) decides which device creates it.
 */
import { acsEnabled, acsPathEnabled, devsAreDmaAliases, dmaAliases, parentOf, slotOf } from './pci.ts';
import type { IommuGroup, LinuxState, PciDevice } from './types.ts';

function groupOf(linux: LinuxState, d: PciDevice): IommuGroup | undefined {
  return d.group === null ? undefined : linux.groups.find((g) => g.id === d.group);
}

/** get_pci_alias_group: devices on the same bus that alias us, or that we alias, recursively. */
function aliasGroup(linux: LinuxState, d: PciDevice, seen: Set<number>): IommuGroup | undefined {
  if (seen.has(d.devfn)) return undefined;
  seen.add(d.devfn);
  const own = groupOf(linux, d);
  if (own) return own;
  for (const t of linux.devices) {
    if (t === d || t.segment !== d.segment || t.bus !== d.bus || !devsAreDmaAliases(d, t)) continue;
    const g = aliasGroup(linux, t, seen) ?? functionAliasGroup(linux, t, seen);
    if (g) return g;
  }
  return undefined;
}

/** get_pci_function_alias_group: the other functions of a multi-function slot when neither side isolates with ACS. */
function functionAliasGroup(linux: LinuxState, d: PciDevice, seen: Set<number>): IommuGroup | undefined {
  if (!d.multifunction || acsEnabled(d)) return undefined;
  for (const t of linux.devices) {
    if (t === d || t.segment !== d.segment || t.bus !== d.bus || slotOf(t.devfn) !== slotOf(d.devfn) || acsEnabled(t)) continue;
    const g = aliasGroup(linux, t, seen);
    if (g) return g;
  }
  return undefined;
}

export interface GroupChoice {
  /** An existing group to join, or undefined: allocate a new one. */
  readonly group: IommuGroup | undefined;
  /** Why, in the kernel's terms, for the UI. */
  readonly why: string;
}

export function pciDeviceGroup(linux: LinuxState, dev: PciDevice): GroupChoice {
  const devices = linux.devices;
  // 1. The topology's DMA aliases: the first visited device that has a group wins; otherwise continue from the last one visited.
  let pdev = dev;
  for (const a of dmaAliases(devices, dev)) {
    pdev = a.device;
    const g = groupOf(linux, a.device);
    if (g) return { group: g, why: a.device === dev ? 'its own group' : `its requests are aliased by ${a.device.name}, which is in group ${g.id}` };
  }
  // 2. Upstream until a bridge whose path to the root has ACS: devices below a bridge without it are not isolated from each other.
  for (let bridge = parentOf(devices, pdev); bridge; bridge = parentOf(devices, bridge)) {
    if (acsPathEnabled(devices, bridge)) break;
    pdev = bridge;
    const g = groupOf(linux, bridge);
    if (g) return { group: g, why: `${bridge.name} above it has no ACS on its path to the root, so it shares ${bridge.name}'s group ${g.id}` };
  }
  const seen = new Set<number>();
  const alias = aliasGroup(linux, pdev, seen);
  if (alias) return { group: alias, why: `it is a DMA alias of a device in group ${alias.id}` };
  const fn = functionAliasGroup(linux, pdev, seen);
  if (fn) return { group: fn, why: `another function of its slot lacks ACS isolation and is in group ${fn.id}` };
  return { group: undefined, why: 'isolated: a new group' };
}
