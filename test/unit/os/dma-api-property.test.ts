/**
 * Random DMA API sequences against the real engine: maps, unmaps, flush
 * timers, ATS translations, claims and releases, and DMA from both devices
 * after every step. Checked throughout:
 * - every DMA lands in its group's domain (at the physical address the live
 *   mapping gives), is blocked, or is "stale" only while the flush queue
 *   still holds that IOVA: never anywhere else, and no isolation finding;
 * - dma_map_single hands out granule-aligned ranges below the DMA mask that
 *   overlap no live mapping, no reserved window and never IOVA page 0.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Engine, PciDeviceSpec } from '../../../src/engine/index.ts';
import type { DmaDirection } from '../../../src/engine/os/core/dma-types.ts';
import { boot, call, dma, READ, WRITE } from './helpers.ts';
import { DMA_MAPPING_ERROR, defaultDomain, fqTimer, mapSingle, unmapSingle } from './dma-helpers.ts';

const RESERVED = { start: 0xf_8000n, length: 0x4000n };
const TOPOLOGY: readonly PciDeviceSpec[] = [
  { name: 'rp0', bdf: '00:01.0', type: 'root-port', acs: true },
  { name: 'N', bdf: '01:00.0', parent: 'rp0', pasidBits: 8, ats: true },
  { name: 'rp1', bdf: '00:02.0', type: 'root-port', acs: true },
  { name: 'A', bdf: '02:00.0', parent: 'rp1', resvRegions: [{ ...RESERVED, type: 'reserved' }] },
];
const DEVS = ['N', 'A'] as const;
type Dev = (typeof DEVS)[number];
const MASK_BITS = 20;
const SIZES = [0x100n, 0x1000n, 0x2800n, 0x4000n];
const DIRS: readonly DmaDirection[] = ['DMA_BIDIRECTIONAL', 'DMA_TO_DEVICE', 'DMA_FROM_DEVICE'];

type Op =
  | { kind: 'map'; dev: Dev; size: number; offset: number; dir: number }
  | { kind: 'unmap' | 'ats' | 'dma'; dev: Dev; pick: number; write: boolean }
  | { kind: 'timer' | 'claim' | 'release'; dev: Dev };

const dev = fc.constantFrom(...DEVS);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('map' as const), dev, size: fc.nat(SIZES.length - 1), offset: fc.nat(0xfff), dir: fc.nat(2) }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constantFrom('unmap' as const, 'ats' as const, 'dma' as const), dev, pick: fc.nat(20), write: fc.boolean() }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constantFrom('timer' as const, 'claim' as const, 'release' as const), dev }), weight: 2 },
);

interface Live { readonly dev: Dev; readonly dmaAddr: bigint; readonly size: bigint; readonly paddr: bigint; readonly start: bigint; readonly end: bigint; readonly dir: DmaDirection }

const overlaps = (a0: bigint, a1: bigint, b0: bigint, b1: bigint) => a0 < b1 && b0 < a1;

function pending(e: Engine, d: Dev): { iova: bigint; size: bigint }[] {
  const dom = e.linux?.domains.find((x) => x.name === defaultDomain(e, d));
  return dom?.dma?.kind === 'dma-iova' ? (dom.dma.fq?.entries ?? []).flatMap((x) => x.unmapped) : [];
}

function run(strictMode: boolean, ops: readonly Op[]): void {
  const { engine: e } = boot(TOPOLOGY, strictMode ? {} : { defaultDomainType: 'DMA_FQ' });
  for (const d of DEVS) call(e, { call: 'dma_set_mask', args: { dev: d, bits: MASK_BITS } });
  const live: Live[] = [];
  const gone: bigint[] = [];
  const claimed = new Set<Dev>();
  let nextPa = 0x8000_0000n;

  const check = (d: Dev, iova: bigint, write: boolean) => {
    const r = dma(e, d, iova, write ? WRITE : READ);
    expect(r.findings).toEqual([]);
    expect(r.landed).not.toBe('outside');
    if (r.landed === 'stale') expect(pending(e, d).some((m) => iova >= m.iova && iova < m.iova + m.size)).toBe(true);
    if (r.landed === 'domain' && !claimed.has(d)) {
      const h = live.find((x) => x.dev === d && iova >= x.start && iova < x.end);
      expect(h).toBeDefined();
      expect(r.outcome.output).toBe((h as Live).paddr - ((h as Live).dmaAddr - (h as Live).start) + (iova - (h as Live).start));
    }
  };

  for (const op of ops) {
    const mine = live.filter((x) => x.dev === op.dev);
    switch (op.kind) {
      case 'map': {
        const size = SIZES[op.size] as bigint;
        const paddr = nextPa + BigInt(op.offset);
        nextPa += 0x10_0000n;
        const r = mapSingle(e, op.dev, paddr, size, DIRS[op.dir] as DmaDirection);
        if (r.value === DMA_MAPPING_ERROR) {
          expect(r.ret).toBe('ENOMEM');
          break;
        }
        const v = r.value as bigint;
        const start = v & ~0xfffn;
        const end = (v + size + 0xfffn) & ~0xfffn;
        expect(v & 0xfffn).toBe(paddr & 0xfffn);
        expect(start).toBeGreaterThan(0n);
        expect(end).toBeLessThanOrEqual(1n << BigInt(MASK_BITS));
        expect(mine.some((x) => overlaps(start, end, x.start, x.end))).toBe(false);
        if (op.dev === 'A') expect(overlaps(start, end, RESERVED.start, RESERVED.start + RESERVED.length)).toBe(false);
        live.push({ dev: op.dev, dmaAddr: v, size, paddr, start, end, dir: DIRS[op.dir] as DmaDirection });
        break;
      }
      case 'unmap': {
        const h = mine[op.pick % Math.max(mine.length, 1)];
        if (!h) break;
        unmapSingle(e, op.dev, h.dmaAddr, h.size, h.dir);
        live.splice(live.indexOf(h), 1);
        gone.push(h.start);
        break;
      }
      case 'ats': {
        const h = mine[op.pick % Math.max(mine.length, 1)];
        call(e, { call: 'ats_translate', args: { dev: op.dev, iova: h?.start ?? gone[op.pick % Math.max(gone.length, 1)] ?? 0x5000n, write: op.write } });
        break;
      }
      case 'dma': {
        const h = mine[op.pick % Math.max(mine.length, 1)];
        check(op.dev, h?.dmaAddr ?? gone[op.pick % Math.max(gone.length, 1)] ?? 0x3000n, op.write);
        break;
      }
      case 'timer':
        fqTimer(e, defaultDomain(e, op.dev));
        break;
      case 'claim':
        if (call(e, { call: 'iommu_group_claim_dma_owner', args: { group: op.dev, owner: 'vfio' } }).ret === 0) claimed.add(op.dev);
        break;
      case 'release':
        if (claimed.delete(op.dev)) call(e, { call: 'iommu_group_release_dma_owner', args: { group: op.dev } });
        break;
    }
    // Every device, at every live mapping and every freed address, after every step.
    for (const d of DEVS) {
      for (const h of live.filter((x) => x.dev === d)) check(d, h.dmaAddr, false);
      for (const g of gone.slice(-3)) check(d, g, false);
    }
  }
}

describe('DMA API isolation (property)', () => {
  it('strict domains: nothing but live mappings is ever reachable', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 1, maxLength: 30 }), (ops) => run(true, ops)), { numRuns: 100 });
  });

  it('DMA_FQ domains: nothing but live mappings and the ranges the flush queue reports', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 1, maxLength: 30 }), (ops) => run(false, ops)), { numRuns: 100 });
  });
});
