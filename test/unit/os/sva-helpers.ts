/**
 * Helpers for the PASID and SVA tests: a topology of PASID-capable devices,
 * a process with some pages mapped, the CD a master has at a SubstreamID as
 * it is in memory, and DMA carrying a PASID.
 */
import { svaTopologyView, type Engine, type PciDeviceSpec } from '../../../src/engine/index.ts';
import { CD_FIELDS } from '../../../src/engine/hw/smmu/cd-fields.ts';
import { decodeFields } from '../../../src/engine/hw/smmu/fields.ts';
import { applyOk, call, findingsOf, READ, RW, type WRITE } from './helpers.ts';

/**
 * A and C: endpoints with 20-bit PASIDs, each alone in its group. S: 4-bit
 * PASIDs (max_pasids 16). N: no PASID capability. B0/B1: one group.
 */
export const PASID_TOPOLOGY: readonly PciDeviceSpec[] = [
  { name: 'rp0', bdf: '00:01.0', type: 'root-port', acs: true },
  { name: 'A', bdf: '01:00.0', parent: 'rp0', pasidBits: 20 },
  { name: 'rp1', bdf: '00:02.0', type: 'root-port', acs: true },
  { name: 'C', bdf: '02:00.0', parent: 'rp1', pasidBits: 20 },
  { name: 'rp2', bdf: '00:03.0', type: 'root-port', acs: true },
  { name: 'S', bdf: '03:00.0', parent: 'rp2', pasidBits: 4 },
  { name: 'rp3', bdf: '00:04.0', type: 'root-port', acs: true },
  { name: 'N', bdf: '04:00.0', parent: 'rp3' },
  { name: 'rp4', bdf: '00:05.0', type: 'root-port', acs: true },
  { name: 'B0', bdf: '05:00.0', parent: 'rp4', pasidBits: 20 },
  { name: 'B1', bdf: '05:00.1', parent: 'rp4', pasidBits: 20 },
];

/** Where a process keeps its pages in these tests, and the frames behind them. */
export const VA = 0x40_0000n;
export const FRAMES = 0x9000_0000n;

/** mm_alloc, then `pages` 4 KB pages at VA -> FRAMES. */
export function process(e: Engine, name: string, pages = 2, va = VA, pa = FRAMES): void {
  call(e, { call: 'mm_alloc', args: { name } });
  call(e, { call: 'mm_map', args: { mm: name, va, paddr: pa, size: BigInt(pages) * 0x1000n, prot: RW } });
}

export function sva(e: Engine) {
  const linux = e.linux;
  if (!linux) throw new Error('Linux has not booted');
  return svaTopologyView(linux);
}

export function mmView(e: Engine, name: string) {
  const m = sva(e).mms.find((x) => x.name === name);
  if (!m) throw new Error(`no mm ${name}`);
  return m;
}

/** The CD at `ssid` of a device's CD table, as it is in memory, decoded by field name. */
export function cd(e: Engine, device: string, ssid: number): Record<string, bigint> {
  const table = e.linux?.masters.find((m) => m.device === device)?.cdTable;
  if (!table) throw new Error(`${device} has no CD table`);
  const words = Array.from({ length: 8 }, (_, i) => e.readMemory64(table.address + BigInt(ssid * 64 + i * 8)) ?? 0n);
  return decodeFields(words, CD_FIELDS) as Record<string, bigint>;
}

/** A DMA from a device carrying a PASID (or none). */
export function dmaPasid(e: Engine, device: string, iova: bigint, pasid: number | undefined, access: typeof READ | typeof WRITE = READ) {
  const events = applyOk(e, { kind: 'linux.dma', device, iova, access, ...(pasid !== undefined ? { pasid } : {}) });
  const ev = events[0];
  if (ev?.kind !== 'linux.dma') throw new Error('expected linux.dma');
  return { ...ev, findings: findingsOf(events) };
}

export function domainOf(e: Engine, name: string) {
  return e.linux?.domains.find((d) => d.name === name);
}
