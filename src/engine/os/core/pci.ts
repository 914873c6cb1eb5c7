/**
 * PCI topology as the IOMMU core reads it: requester IDs, ACS
 * (drivers/pci/pci.c pci_acs_enabled, pci_acs_path_enabled) and DMA aliases
 * (drivers/pci/search.c pci_for_each_dma_alias). Only the facts grouping
 * and StreamIDs depend on are modelled.
 */
import { EngineError } from '../../util/assert.ts';
import { firmwareRegions } from './resv-spec.ts';
import { BRIDGE_TYPES, type PciDevice, type PciDeviceSpec, type PciDeviceType } from './types.ts';

const DEVICE_TYPES: readonly PciDeviceType[] = ['endpoint', 'rc-integrated', 'root-port', 'upstream-port', 'downstream-port', 'pcie-to-pci-bridge', 'pci', 'pci-bridge'];

const BDF = /^(?:([0-9a-fA-F]{1,4}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])$/;

export function parseBdf(text: string, field: string): { segment: number; bus: number; devfn: number } {
  const m = BDF.exec(text.trim());
  if (!m) throw new EngineError(`"${text}" is not a PCI address: write bus:device.function ("01:00.0") or segment:bus:device.function`, field);
  const dev = parseInt(m[3] as string, 16);
  if (dev > 31) throw new EngineError(`device number 0x${dev.toString(16)} in "${text}" is above 0x1f`, field);
  return { segment: parseInt(m[1] ?? '0', 16), bus: parseInt(m[2] as string, 16), devfn: (dev << 3) | parseInt(m[4] as string, 10) };
}

const hex = (v: number, w: number) => v.toString(16).padStart(w, '0');

export function formatBdf(segment: number, bus: number, devfn: number): string {
  return `${hex(segment, 4)}:${hex(bus, 2)}:${hex(devfn >> 3, 2)}.${devfn & 7}`;
}

export const slotOf = (devfn: number) => devfn >> 3;

function parseDevfn(text: string, field: string): number {
  const m = /^([0-9a-fA-F]{1,2})\.([0-7])$/.exec(text.trim());
  if (!m) throw new EngineError(`"${text}" is not a device.function ("00.1")`, field);
  return (parseInt(m[1] as string, 16) << 3) | parseInt(m[2] as string, 10);
}

/** Builds the devices from the boot list, checking the topology: unique names and addresses, parents first, one bus per bridge. */
export function buildDevices(specs: readonly PciDeviceSpec[]): PciDevice[] {
  const out: PciDevice[] = [];
  const byName = new Map<string, PciDevice>();
  specs.forEach((s, i) => {
    const at = `devices[${i}]`;
    if (typeof s.name !== 'string' || s.name === '') throw new EngineError(`${at}: a device needs a name`, `${at}.name`);
    if (byName.has(s.name)) throw new EngineError(`${at}: there is already a device named "${s.name}"`, `${at}.name`);
    if (typeof s.bdf !== 'string') throw new EngineError(`${at}: bdf must be a PCI address such as "01:00.0"`, `${at}.bdf`);
    if (s.type !== undefined && !DEVICE_TYPES.includes(s.type)) throw new EngineError(`${at}: type must be one of ${DEVICE_TYPES.join(', ')}`, `${at}.type`);
    const a = parseBdf(s.bdf, `${at}.bdf`);
    const bdf = formatBdf(a.segment, a.bus, a.devfn);
    if (out.some((d) => d.bdf === bdf)) throw new EngineError(`${at}: two devices at ${bdf}`, `${at}.bdf`);
    const type = s.type ?? 'endpoint';
    let parent: PciDevice | undefined;
    if (s.parent !== undefined) {
      parent = byName.get(s.parent);
      if (!parent) throw new EngineError(`${at}: parent "${s.parent}" is not a device listed before it`, `${at}.parent`);
      if (!BRIDGE_TYPES.includes(parent.type)) throw new EngineError(`${at}: parent "${s.parent}" is a ${parent.type}, not a bridge or port`, `${at}.parent`);
      if (a.bus === parent.bus) throw new EngineError(`${at}: a device behind ${s.parent} must be on its secondary bus, not on bus ${hex(a.bus, 2)} with it`, `${at}.bdf`);
      const siblingBus = parent.secondaryBus;
      if (siblingBus !== null && siblingBus !== a.bus) throw new EngineError(`${at}: ${s.parent}'s secondary bus is ${hex(siblingBus, 2)}, not ${hex(a.bus, 2)}`, `${at}.bdf`);
      if (a.segment !== parent.segment) throw new EngineError(`${at}: a device cannot be in another segment than its parent`, `${at}.bdf`);
      if (siblingBus === null) {
        const i2 = out.indexOf(parent);
        out[i2] = { ...parent, secondaryBus: a.bus };
        byName.set(parent.name, out[i2] as PciDevice);
      }
    }
    const dmaAliasDevfns = (s.dmaAliases ?? []).map((x, j) => parseDevfn(x, `${at}.dmaAliases[${j}]`));
    const d: PciDevice = {
      name: s.name, bdf, segment: a.segment, bus: a.bus, devfn: a.devfn, rid: (a.bus << 8) | a.devfn, type,
      parent: s.parent ?? null, secondaryBus: null, multifunction: s.multifunction ?? false, acs: s.acs ?? false,
      acsQuirk: s.acsQuirk ?? false, dmaAliasDevfns, untrusted: s.untrusted ?? false, pasidBits: s.pasidBits ?? 0,
      ats: s.ats ?? false, pri: s.pri ?? false, defDomainType: s.defDomainType ?? null,
      driverManagedDma: s.driverManagedDma ?? s.driver === 'vfio-pci', canwbs: s.canwbs ?? true,
      failAttach: [...(s.failAttach ?? [])], driver: null, iommu: null, probeError: null, group: null,
    };
    if (d.pasidBits < 0 || d.pasidBits > 20 || !Number.isInteger(d.pasidBits)) throw new EngineError(`${at}: pasidBits must be 0..20`, `${at}.pasidBits`);
    firmwareRegions(s.resvRegions, at);
    out.push(d);
    byName.set(d.name, d);
  });
  // The multi-function bit defaults to "another function shares the slot".
  return out.map((d, i) => (specs[i]?.multifunction !== undefined ? d : {
    ...d, multifunction: out.some((o) => o !== d && o.segment === d.segment && o.bus === d.bus && slotOf(o.devfn) === slotOf(d.devfn)),
  }));
}

export function isPcie(d: PciDevice): boolean {
  return d.type !== 'pci' && d.type !== 'pci-bridge';
}

/** pci_acs_enabled(pdev, REQ_ACS_FLAGS): can this device's requests reach a peer without going upstream? */
export function acsEnabled(d: PciDevice): boolean {
  if (d.acsQuirk) return true;
  if (!isPcie(d)) return false;
  switch (d.type) {
    case 'pcie-to-pci-bridge':
      return false;
    case 'root-port':
    case 'downstream-port':
      return d.acs;
    default:
      // Endpoints and upstream ports need ACS only when they are multi-function (PCIe 6.12.1.2).
      return d.multifunction ? d.acs : true;
  }
}

export function parentOf(devices: readonly PciDevice[], d: PciDevice): PciDevice | undefined {
  return d.parent === null ? undefined : devices.find((x) => x.name === d.parent);
}

/** pci_acs_path_enabled(start, NULL, REQ_ACS_FLAGS): ACS on start and every bridge above it. */
export function acsPathEnabled(devices: readonly PciDevice[], start: PciDevice): boolean {
  for (let d: PciDevice | undefined = start; d; d = parentOf(devices, d)) {
    if (!acsEnabled(d)) return false;
  }
  return true;
}

/** One alias pci_for_each_dma_alias reports: the device it is reported on and the requester ID. */
export interface DmaAlias { readonly device: PciDevice; readonly rid: number }

/**
 * pci_for_each_dma_alias: the device's own RID, its quirked aliases, then up
 * the buses: a PCIe-to-PCI bridge aliases everything behind it as
 * (secondary bus, 00.0); a conventional bridge uses its own RID; PCIe ports
 * do not alias.
 */
export function dmaAliases(devices: readonly PciDevice[], d: PciDevice): DmaAlias[] {
  const out: DmaAlias[] = [{ device: d, rid: d.rid }];
  for (const devfn of d.dmaAliasDevfns) out.push({ device: d, rid: (d.bus << 8) | devfn });
  for (let b = parentOf(devices, d); b; b = parentOf(devices, b)) {
    if (b.type === 'pcie-to-pci-bridge') out.push({ device: b, rid: ((b.secondaryBus ?? 0) << 8) | 0 });
    else if (b.type === 'pci-bridge') out.push({ device: b, rid: b.rid });
  }
  return out;
}

/** The requester ID the device's DMA carries when it reaches the root complex: the last alias on the way up. */
export function wireRid(devices: readonly PciDevice[], d: PciDevice): number {
  const topology = dmaAliases(devices, d).filter((a) => a.device !== d);
  return topology.length > 0 ? (topology[topology.length - 1] as DmaAlias).rid : d.rid;
}

/** pci_devs_are_dma_aliases: one has the other's devfn in its quirk alias mask (same bus). */
export function devsAreDmaAliases(a: PciDevice, b: PciDevice): boolean {
  if (a.segment !== b.segment || a.bus !== b.bus) return false;
  return a.dmaAliasDevfns.includes(b.devfn) || b.dmaAliasDevfns.includes(a.devfn);
}
