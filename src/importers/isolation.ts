/**
 * What the groups mean for someone who wants to give a device to a VM with
 * VFIO. The rule behind every sentence: the IOMMU tells DMA apart only by
 * group, so VFIO hands out whole groups; a group is as small as the ACS
 * isolation on the path from each device up to the root allows.
 */
import { formatBdf, slotKey } from './bdf.ts';
import { type GroupDevice, type GroupsModel, type IommuGroup } from './groups.ts';

export type Verdict =
  /** One device that does DMA: it can go to a VM by itself. */
  | 'alone'
  /** Several devices that must go together. */
  | 'together'
  /** Only bridges: nothing here to pass through. */
  | 'bridges-only';

export interface GroupConsequence {
  readonly groupId: number;
  readonly verdict: Verdict;
  readonly sentences: readonly string[];
}

export interface Consequences {
  /** About the whole paste: what it cannot tell, what is missing. */
  readonly overall: readonly string[];
  readonly groups: readonly GroupConsequence[];
}

/** "0000:00:1f.3 (Audio device)": the class is enough in a sentence; the box beside it names the product. */
const named = (d: GroupDevice) => (d.lspci ? `${d.name} (${d.lspci.className})` : d.name);

const isEndpoint = (d: GroupDevice) => d.bridge !== 'pci-bridge' && d.bridge !== 'host-bridge' && d.bridge !== 'other-bridge';

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function forGroup(group: IommuGroup): GroupConsequence {
  const { id, devices } = group;
  const endpoints = devices.filter(isEndpoint);
  const bridges = devices.filter((d) => d.bridge === 'pci-bridge' || d.bridge === 'other-bridge');
  const hosts = devices.filter((d) => d.bridge === 'host-bridge');
  const sentences: string[] = [];

  if (endpoints.length === 0) {
    const only = devices[0];
    if (devices.length === 1 && only?.bridge === 'host-bridge') {
      sentences.push(`Group ${id} holds only the host bridge ${named(only)}: the CPU's own link to memory, not a device to pass to a VM.`);
    } else {
      sentences.push(`Group ${id} holds only ${devices.length === 1 ? 'the bridge' : 'the bridges'} ${listWords(devices.map(named))}. A bridge does no DMA of its own, so there is nothing here to pass to a VM; the devices behind ${devices.length === 1 ? 'it' : 'them'}, if any, are in other groups.`);
    }
    return { groupId: id, verdict: 'bridges-only', sentences };
  }

  if (devices.length === 1 && endpoints.length === 1) {
    sentences.push(`Group ${id} holds only ${named(devices[0] as GroupDevice)}: it can be passed to a VM by itself (bind it to vfio-pci).`);
    return { groupId: id, verdict: 'alone', sentences };
  }

  sentences.push(
    `Group ${id} holds ${devices.length} devices. The IOMMU cannot tell their DMA apart, so VFIO hands them out as one: to pass ${endpoints.length === 1 ? 'its device' : 'any of them'} to a VM, every device in the group must be bound to vfio-pci or to no driver, and ${endpoints.length === 1 ? 'it goes' : 'they all go'} to the same VM. Together: ${listWords(endpoints.map((d) => d.name))}.`,
  );
  for (const b of bridges) {
    sentences.push(`It includes the PCI bridge ${named(b)}: the bridge does not keep the devices below it apart (no ACS on it, or none the kernel trusts), so they share its group. A bridge does no DMA itself; its pcieport driver declares that, so it may stay on the host while the devices go to VFIO.`);
  }
  for (const h of hosts) {
    sentences.push(`It includes the host bridge ${named(h)}: the host keeps it. VFIO can take the group only if the host bridge has no driver or one that does no DMA; check with lspci -k.`);
  }
  const isa = devices.find((d) => d.bridge === 'isa-bridge');
  if (isa) {
    sentences.push(`It includes the ISA bridge ${named(isa)}, the chipset's LPC/eSPI function behind which the firmware-facing parts sit (TPM, embedded controller, Super I/O). The host needs it, so in practice this group cannot be passed to a VM.`);
  }
  for (const [slot, fns] of slots(devices)) {
    if (fns.length < 2) continue;
    const gpuWithAudio = fns.some((d) => (d.lspci?.classCode ?? 0) >> 8 === 0x03) && fns.some((d) => d.lspci?.classCode === 0x0403);
    sentences.push(
      `${listWords(fns.map((d) => d.name))} are functions of one device (${slot}): it does not advertise ACS between its functions, so they cannot be split${gpuWithAudio ? ' (the usual case for a graphics card and its HDMI audio)' : ''}.`,
    );
  }
  return { groupId: id, verdict: 'together', sentences };
}

/** Functions grouped by device (segment:bus:device), in order. */
function slots(devices: readonly GroupDevice[]): Map<string, GroupDevice[]> {
  const bySlot = new Map<string, GroupDevice[]>();
  for (const d of devices) {
    if (!d.bdf) continue;
    const key = slotKey(d.bdf);
    bySlot.set(key, [...(bySlot.get(key) ?? []), d]);
  }
  return bySlot;
}

export function consequences(model: GroupsModel): Consequences {
  const overall: string[] = [];
  const groups = model.groups.map(forGroup);
  if (model.groups.length > 0) {
    const alone = groups.filter((g) => g.verdict === 'alone').length;
    const together = groups.filter((g) => g.verdict === 'together').length;
    overall.push(`${model.groups.length} groups, ${model.deviceCount} devices: ${alone} ${alone === 1 ? 'device' : 'devices'} alone in ${alone === 1 ? 'its group' : 'their groups'}, ${together} ${together === 1 ? 'group' : 'groups'} whose devices must go together.`);
  } else if (model.hasLspci) {
    overall.push('The paste has lspci lines but no IOMMU groups: add the output of find /sys/kernel/iommu_groups/ -type l. With no groups at all, the IOMMU is off (no intel_iommu=on / amd_iommu, or no DMAR/IVRS table).');
  }
  // A function's groups: several groups for one device mean the device isolates its functions.
  const slotGroups = new Map<string, Set<number>>();
  for (const g of model.groups) for (const d of g.devices) if (d.bdf) {
    const key = slotKey(d.bdf);
    const set = slotGroups.get(key) ?? new Set<number>();
    set.add(g.id);
    slotGroups.set(key, set);
  }
  for (const [slot, ids] of slotGroups) {
    if (ids.size > 1) overall.push(`The functions of ${slot} are in different groups (${listWords([...ids].sort((a, b) => a - b).map(String))}): the device keeps its functions apart (ACS, or a kernel quirk that vouches for it).`);
  }
  if (model.groups.length > 0) {
    overall.push('What the listing cannot tell: which driver each device is bound to (see lspci -nnk, or /sys/bus/pci/devices/<address>/driver), so it cannot say whether the host is using a device you want to pass through.');
    if (!model.hasLspci) overall.push('Without lspci -nn the classes are unknown: bridges cannot be told from endpoints, so the notes on bridges and multi-function devices are incomplete.');
    overall.push('Groups are the kernel\'s view of isolation. A kernel booted with pcie_acs_override (an out-of-tree patch) draws smaller groups than the hardware really isolates.');
  }
  const nonPci = model.groups.flatMap((g) => g.devices).filter((d) => !d.bdf);
  if (nonPci.length > 0) overall.push(`Some members are not PCI devices (${listWords(nonPci.slice(0, 4).map((d) => d.name))}${nonPci.length > 4 ? ' …' : ''}): platform devices, grouped by the same rule.`);
  if (model.ungrouped.length > 0 && model.groups.length > 0) {
    overall.push(`lspci lists ${model.ungrouped.length} ${model.ungrouped.length === 1 ? 'device' : 'devices'} in no group (${listWords(model.ungrouped.slice(0, 4).map((d) => formatBdf(d.bdf)))}${model.ungrouped.length > 4 ? ' …' : ''}): no IOMMU covers ${model.ungrouped.length === 1 ? 'it' : 'them'}, or the find output is incomplete.`);
  }
  return { overall, groups };
}
