/** A VMM's host side on intel-iommu for the nested tests: a device owned by iommufd, a second-stage nesting parent, a guest first-stage table. */
import { expect } from 'vitest';
import { Engine, type EngineCommand, type EngineEvent, type LinuxCall, type PciDeviceSpec } from '../../../../src/engine/index.ts';
import type { VtdFeatures } from '../../../../src/engine/hw/vtd/features.ts';
import type { VtdDmaOutcome } from '../../../../src/engine/hw/vtd/dma-types.ts';

export const DEVICES: readonly PciDeviceSpec[] = [
  { name: 'rp0', bdf: '00:01.0', type: 'root-port', acs: true },
  { name: 'vf0', bdf: '01:00.0', parent: 'rp0', driver: 'vfio-pci', pasidBits: 8 },
];
export const SID = 0x0100;
export const RW = { read: true, write: true, exec: false, priv: false };
/** Guest RAM: GPA 0x1000_0000.. is host PA 0x8_0000_0000.. */
export const RAM_GPA = 0x1000_0000n;
export const RAM_PA = 0x8_0000_0000n;

export type Called = Extract<EngineEvent, { kind: 'linux.called' }>;
export type LinuxDma = Extract<EngineEvent, { kind: 'linux.dma' }>;

export function call(e: Engine, c: LinuxCall): Called {
  const ev = e.apply({ kind: 'linux.call', ...c } as EngineCommand);
  const out = ev.find((x) => x.kind === 'linux.called');
  if (out?.kind !== 'linux.called') throw new Error(`${c.call}: ${JSON.stringify(ev.map((x) => (x.kind === 'command.rejected' ? x.message : x.kind)))}`);
  return out;
}

export function dma(e: Engine, iova: bigint, opts: { write?: boolean; pasid?: number } = {}): LinuxDma & { vtd: VtdDmaOutcome } {
  const ev = e.apply({ kind: 'linux.dma', device: 'vf0', iova, access: { kind: opts.write ? 'write' : 'read', privileged: false }, ...(opts.pasid !== undefined ? { pasid: opts.pasid } : {}) });
  const d = ev.find((x) => x.kind === 'linux.dma');
  if (d?.kind !== 'linux.dma' || !d.vtd) throw new Error('no VT-d DMA');
  return d as LinuxDma & { vtd: VtdDmaOutcome };
}

export function apply(e: Engine, c: EngineCommand): EngineEvent[] {
  const ev = e.apply(c);
  const rejected = ev.find((x) => x.kind === 'command.rejected');
  if (rejected?.kind === 'command.rejected') throw new Error(`${c.kind}: ${rejected.message}`);
  return ev;
}

/** Boot, iommufd owns vf0, a nesting parent S2 mapping guest RAM (2 MB) and the model's table memory at GPA = PA. */
export function host(features: Partial<VtdFeatures> = {}, tableWindow = true): Engine {
  const e = new Engine();
  apply(e, { kind: 'linux.boot', devices: DEVICES, iommu: 'intel-iommu', ...(Object.keys(features).length > 0 ? { vtd: { preset: 'scalable', features } } : {}) });
  expect(call(e, { call: 'iommu_device_claim_dma_owner', args: { dev: 'vf0', owner: 'iommufd' } }).ret).toBe(0);
  expect(call(e, { call: 'iommu_paging_domain_alloc_flags', args: { dev: 'vf0', name: 'S2', flags: ['IOMMU_HWPT_ALLOC_NEST_PARENT'] } }).ret).toBe(0);
  expect(call(e, { call: 'iommu_map', args: { domain: 'S2', iova: RAM_GPA, paddr: RAM_PA, size: 0x20_0000n, prot: RW } }).ret).toBe(0);
  if (tableWindow) expect(call(e, { call: 'iommu_map', args: { domain: 'S2', iova: 0x4000_0000n, paddr: 0x4000_0000n, size: 0x100_0000n, prot: RW } }).ret).toBe(0);
  return e;
}

/** The guest's x86-64 first-stage table (4-level), IOVA 0x1000 -> GPA 0x1000_0000; its root's address (a GPA equal to its PA). */
export function guestTable(e: Engine, levels = 4): { root: bigint; tables: readonly bigint[] } {
  const created = apply(e, { kind: 'vtd.createPgtable', name: 'guest-fs', format: 'first-stage', levels })[0];
  if (created?.kind !== 'vtd.pgtableCreated') throw new Error('no guest table');
  const mapped = apply(e, { kind: 'vtd.map', table: 'guest-fs', iova: 0x1000n, paddr: RAM_GPA, size: 0x1000n, prot: { read: true, write: true, user: true } })[0];
  return { root: created.root, tables: mapped?.kind === 'vtd.mapped' ? mapped.tables : [] };
}

export const nestedAlloc = (e: Engine, root: bigint, extra: { name?: string; parent?: string; addrWidth?: number; vtdFlags?: string[]; flags?: string[] } = {}): Called =>
  call(e, { call: 'iommufd_hwpt_nested_alloc', args: { name: extra.name ?? 'N', parent: extra.parent ?? 'S2', dev: 'vf0', pgtblAddr: root, addrWidth: extra.addrWidth ?? 48, ...(extra.vtdFlags ? { vtdFlags: extra.vtdFlags } : {}), ...(extra.flags ? { flags: extra.flags } : {}) } });

/** The descriptors a call's queued invalidations carried, by their summaries. */
export const qiSummaries = (c: Called): string[] => c.hw.flatMap((h) => (h.kind === 'vtd-qi' ? h.consumed.map((x) => x.summary) : []));
