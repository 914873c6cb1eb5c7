/**
 * Boot: bus_iommu_probe over the PCI devices. Each device is probed by the
 * driver (a master, its StreamIDs) and put in a group (pci_device_group);
 * only once every device is in, each group gets its default domain and its
 * first attach (iommu_setup_default_domain, MUST_SUCCEED from NULL), so the
 * group-wide type sees all members. Then the kernel drivers named in the
 * boot list bind (iommu_device_use_default_domain).
 */
import type { CallContext } from './context.ts';
import { setupDefaultDomain } from './default-domain.ts';
import { pciDeviceGroup } from './device-group.ts';
import { deviceUseDefaultDomain } from './ownership.ts';
import { dmaAliases } from './pci.ts';
import { pciEnumerate } from './pci-caps.ts';
import { firmwareRegions } from './resv-spec.ts';
import type { PciDeviceSpec, Ret } from './types.ts';

export interface ProbeRecord {
  readonly device: string;
  /** 0, or why the IOMMU probe failed (the device then has no IOMMU and no group). */
  readonly ret: Ret;
  readonly group: number | null;
  readonly why: string;
  readonly streamIds: readonly number[];
}

export interface BootRecord {
  readonly probed: readonly ProbeRecord[];
  readonly defaultDomains: readonly { readonly group: number; readonly ret: Ret; readonly domain: string | null }[];
  readonly drivers: readonly { readonly device: string; readonly driver: string; readonly ret: Ret }[];
}

export function bootLinux(ctx: CallContext, specs: readonly PciDeviceSpec[]): BootRecord {
  const { linux } = ctx;
  const probed: ProbeRecord[] = [];
  for (const dev of linux.devices) pciEnumerate(ctx, dev);
  for (const [i, dev] of linux.devices.entries()) {
    // The firmware (IORT) gives the device the StreamID of every DMA alias: SID = RID.
    const streamIds = dmaAliases(linux.devices, dev).map((a) => a.rid);
    const r = ctx.ops.probeDevice(ctx, dev, streamIds);
    if (typeof r === 'string') {
      dev.probeError = r;
      probed.push({ device: dev.name, ret: r, group: null, why: 'the IOMMU driver refused it: no IOMMU, no group', streamIds });
      continue;
    }
    const maxPasids = dev.pasidBits > 0 ? 2 ** Math.min(dev.pasidBits, ctx.ops.pasidBits(ctx)) : 0;
    // A firmware direct region makes the device require_direct (iommu_create_device_direct_mappings sets it).
    const firmware = firmwareRegions(specs[i]?.resvRegions, `devices[${i}]`);
    const requireDirect = (specs[i]?.requireDirect ?? false) || firmware.some((r) => r.type === 'direct');
    dev.iommu = { streamIds, maxPasids, requireDirect, firmwareRegions: firmware, pci32bitWorkaround: true };
    const choice = pciDeviceGroup(linux, dev);
    let g = choice.group;
    if (!g) {
      g = { id: linux.nextGroupId++, devices: [], domain: null, defaultDomain: null, blockingDomain: null, owner: null, ownerCnt: 0, pasidArray: [] };
      linux.groups.push(g);
    }
    g.devices.push(dev.name);
    dev.group = g.id;
    probed.push({ device: dev.name, ret: 0, group: g.id, why: choice.why, streamIds });
  }
  const defaultDomains = linux.groups.map((g) => {
    const ret = setupDefaultDomain(ctx, g, 0);
    return { group: g.id, ret, domain: g.defaultDomain };
  });
  const drivers: { device: string; driver: string; ret: Ret }[] = [];
  for (const [i, dev] of linux.devices.entries()) {
    const driver = specs[i]?.driver;
    if (driver === undefined) continue;
    if (dev.driverManagedDma) {
      // VFIO drivers manage DMA themselves: binding does not count as a kernel user of the default domain.
      dev.driver = driver;
      drivers.push({ device: dev.name, driver, ret: 0 });
      continue;
    }
    drivers.push({ device: dev.name, driver, ret: deviceUseDefaultDomain(ctx, dev.name, driver) });
  }
  return { probed, defaultDomains, drivers };
}
