/**
 * Reserved regions (iommu.c, arm-smmu-v3 get_resv_regions): what a device's
 * IOVA space must keep for something else. arm-smmu-v3 always reports the
 * software MSI window (IOMMU_RESV_SW_MSI at MSI_IOVA_BASE), where VFIO maps
 * MSI doorbells; the firmware adds IORT RMRs and DT reserved-memory
 * (direct, direct-relaxable, reserved, hardware MSI). Direct regions are
 * mapped 1:1 into every DMA default domain before its first attach
 * (iommu_create_device_direct_mappings), and a device that has one is
 * require_direct: it may never be blocked.
 */
import type { Prot } from '../../commands.ts';
import type { CallContext } from './context.ts';
import type { ResvRegion, ResvType } from './dma-types.ts';
import { isDmaDomain } from './domain-type.ts';
import { iommuIovaToPhys, iommuMap } from './map.ts';
import { deviceNamed } from './state.ts';
import type { IommuDomain, IommuGroup, LinuxState, PciDevice } from './types.ts';

/** MSI_IOVA_BASE / MSI_IOVA_LENGTH (arm-smmu-v3.h). */
export const MSI_IOVA_BASE = 0x800_0000n;
export const MSI_IOVA_LENGTH = 0x10_0000n;
/** IOMMU_WRITE | IOMMU_NOEXEC | IOMMU_MMIO: a doorbell is only ever written. */
export const MSI_PROT: Prot = { read: false, write: true, exec: false, priv: false };

/** enum iommu_resv_type order: insertion sorts equal starts by it. */
const TYPE_ORDER: Readonly<Record<ResvType, number>> = { direct: 0, 'direct-relaxable': 1, reserved: 2, msi: 3, 'sw-msi': 4 };
/** iommu_group_resv_type_string: the software MSI window prints as "msi" too. */
const TYPE_STRING: Readonly<Record<ResvType, string>> = { direct: 'direct', 'direct-relaxable': 'direct-relaxable', reserved: 'reserved', msi: 'msi', 'sw-msi': 'msi' };

/** iommu_get_resv_regions -> arm_smmu_get_resv_regions: the SW MSI window, then what iommu_dma_get_resv_regions adds. */
export function deviceResvRegions(dev: PciDevice): ResvRegion[] {
  if (!dev.iommu) return [];
  return [
    { start: MSI_IOVA_BASE, length: MSI_IOVA_LENGTH, prot: MSI_PROT, type: 'sw-msi', from: 'arm-smmu-v3' },
    ...(dev.iommu.firmwareRegions ?? []),
  ];
}

/** iommu_insert_resv_region: sorted by start, overlapping or adjacent regions of the same type merged. */
function insertRegion(list: ResvRegion[], r: ResvRegion): ResvRegion[] {
  const sorted = [...list, r].sort((a, b) => (a.start !== b.start ? (a.start < b.start ? -1 : 1) : TYPE_ORDER[a.type] - TYPE_ORDER[b.type]));
  const out: ResvRegion[] = [];
  for (const x of sorted) {
    const top = x.type === r.type ? [...out].reverse().find((t) => t.type === x.type) : undefined;
    if (top && x.start <= top.start + top.length) {
      const end = x.start + x.length > top.start + top.length ? x.start + x.length : top.start + top.length;
      out[out.indexOf(top)] = { ...top, length: end - top.start };
    } else {
      out.push(x);
    }
  }
  return out;
}

/** iommu_get_group_resv_regions. */
export function groupResvRegions(linux: LinuxState, g: IommuGroup): ResvRegion[] {
  let list: ResvRegion[] = [];
  for (const name of g.devices) for (const r of deviceResvRegions(deviceNamed(linux, name))) list = insertRegion(list, r);
  return list;
}

/** The sysfs "reserved_regions" file: start, end (inclusive) and type per line. */
export function resvRegionsText(regions: readonly ResvRegion[]): string {
  const h = (v: bigint) => `0x${v.toString(16).padStart(16, '0')}`;
  return regions.map((r) => `${h(r.start)} ${h(r.start + r.length - 1n)} ${TYPE_STRING[r.type]}`).join('\n');
}

const alignUp = (v: bigint, a: bigint) => (v + a - 1n) & ~(a - 1n);

/**
 * iommu_create_device_direct_mappings: for a DMA domain, map every page of
 * the device's direct regions IOVA = PA, in runs, skipping pages something
 * already maps (another device's overlapping region), then flush the
 * domain's TLB. Other domain types get nothing.
 */
export function createDeviceDirectMappings(ctx: CallContext, d: IommuDomain, dev: PciDevice): void {
  const regions = deviceResvRegions(dev);
  if (!isDmaDomain(d.type)) return;
  const pg = d.pgsizeBitmap & -d.pgsizeBitmap;
  for (const r of regions) {
    if (r.type !== 'direct' && r.type !== 'direct-relaxable') continue;
    const start = alignUp(r.start, pg);
    const end = alignUp(r.start + r.length, pg);
    let run = 0n;
    for (let addr = start; addr <= end; addr += pg) {
      // iova_to_phys returns 0 for "not mapped", so page 0 is probed at address 1.
      const mapped = addr < end && iommuIovaToPhys(ctx, d.name, addr === 0n ? 1n : addr).value !== 0n;
      if (addr < end && !mapped) {
        run += pg;
        continue;
      }
      if (run > 0n) {
        const ret = iommuMap(ctx, d.name, addr - run, addr - run, run, r.prot);
        if (ret !== 0) {
          ctx.warn(`${dev.name}: iommu_create_device_direct_mappings: mapping 0x${(addr - run).toString(16)} (+0x${run.toString(16)}) failed with -${ret}`);
          return;
        }
        run = 0n;
      }
    }
  }
  if (regions.length > 0) ctx.ops.flushIotlbAll(ctx, d, `iommu_create_device_direct_mappings: flush ${d.name} after mapping ${dev.name}'s reserved regions`);
}

/** For each device of a group, before its new default domain is attached. */
export function createGroupDirectMappings(ctx: CallContext, g: IommuGroup, d: IommuDomain): void {
  for (const name of g.devices) createDeviceDirectMappings(ctx, d, deviceNamed(ctx.linux, name));
}
