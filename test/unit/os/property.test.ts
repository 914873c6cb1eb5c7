/**
 * Random call sequences against the real engine, with every device streaming
 * DMA through every switch. Checked after each call:
 * - the engine reports no transition-invariant, mixed-entry or isolation finding;
 * - every device's DMA reaches its group's domain or nothing (isolation);
 * - return values, owners, owner_cnt and the group's domain agree with a
 *   small reference model of the ownership rules (iommu.c, seed 002);
 * and at the end, once every claim is released and every driver unbound,
 * owner_cnt is back to 0 and each group is on its default domain.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Engine, LinuxCall, PciDeviceSpec } from '../../../src/engine/index.ts';
import { boot, call, dma, group, READ, RW } from './helpers.ts';
import { applyOp, type Op, opArb, RefModel } from './property-model.ts';

export const TOPOLOGY: readonly PciDeviceSpec[] = [
  { name: 'rp0', bdf: '00:01.0', type: 'root-port', acs: true },
  { name: 'A', bdf: '01:00.0', parent: 'rp0' },
  { name: 'rp1', bdf: '00:02.0', type: 'root-port', acs: true },
  { name: 'B0', bdf: '02:00.0', parent: 'rp1' },
  { name: 'B1', bdf: '02:00.1', parent: 'rp1', failAttach: ['U1'] },
  { name: 'C', bdf: '00:03.0', defDomainType: 'IDENTITY' },
];
export const DEVICES = ['A', 'B0', 'B1', 'C'] as const;
export const SLOTS = [0x1000n, 0x2000n, 0x20_0000n] as const;

export function setUp(): Engine {
  const { engine } = boot(TOPOLOGY);
  for (const name of ['U0', 'U1']) call(engine, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name } });
  call(engine, { call: 'iommu_map', args: { domain: 'U0', iova: 0x1000n, paddr: 0x8_0000_0000n, size: 0x1000n, prot: RW } });
  call(engine, { call: 'iommu_map', args: { domain: 'U1', iova: 0x1000n, paddr: 0x8_1000_0000n, size: 0x1000n, prot: RW } });
  call(engine, { call: 'iommu_map', args: { domain: group(engine, 'A').defaultDomain as string, iova: 0x2000n, paddr: 0x8_2000_0000n, size: 0x1000n, prot: RW } });
  return engine;
}

const BAD = new Set(['transition-invariant', 'mixed-entry', 'isolation']);

function run(ops: readonly Op[]): void {
  const engine = setUp();
  const model = new RefModel(engine);
  for (const op of ops) {
    const out = applyOp(engine, model, op);
    if (out) {
      expect(out.findings.filter((f) => BAD.has(f.rule)), `${JSON.stringify(op)}`).toEqual([]);
      expect(out.ret, `${JSON.stringify(op)} returned`).toBe(out.expected);
    }
    model.check(engine);
    for (const dev of DEVICES) {
      for (const iova of SLOTS) {
        const d = dma(engine, dev, iova, READ);
        expect(d.landed, `${dev} @0x${iova.toString(16)} after ${JSON.stringify(op)}: ${d.why}`).not.toBe('outside');
      }
    }
  }
  // Tear down as well-behaved users would, and the counts come back to zero.
  for (const c of model.teardown(engine)) expect(call(engine, c).findings.filter((f) => BAD.has(f.rule))).toEqual([]);
  for (const g of engine.linux?.groups ?? []) {
    expect(g).toMatchObject({ owner: null, ownerCnt: 0, domain: g.defaultDomain });
  }
}

describe('random call sequences with DMA during every switch', () => {
  it('keep the transition invariant, isolation and the ownership rules, and owner_cnt returns to zero', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 8, maxLength: 30, size: 'max' }), (ops) => run(ops)), { numRuns: 60, seed: 0x10c0 });
  });

  it('a known sequence: claim, attach a domain the second function cannot take, replace, sysfs, release', () => {
    run([
      { kind: 'claim', dev: 'B0' }, { kind: 'attach', domain: 'U1', dev: 'B0' }, { kind: 'attach', domain: 'U0', dev: 'B1' },
      { kind: 'replace', domain: 'U1', dev: 'B0' }, { kind: 'storeType', dev: 'A', type: 'identity' }, { kind: 'release', dev: 'B1' },
      { kind: 'use', dev: 'A' }, { kind: 'storeType', dev: 'A', type: 'DMA-FQ' }, { kind: 'deviceClaim', dev: 'C' },
    ]);
  });
});

describe('determinism', () => {
  const sequence: LinuxCall[] = [
    { call: 'iommu_group_claim_dma_owner', args: { group: 'B0', owner: 'vfio' } },
    { call: 'iommu_attach_group', args: { domain: 'U0', group: 'B0' } },
    { call: 'iommu_map', args: { domain: 'U0', iova: 0x3000n, paddr: 0x9_0000_0000n, size: 0x2000n, prot: RW } },
    { call: 'iommu_unmap', args: { domain: 'U0', iova: 0x3000n, size: 0x1000n } },
    { call: 'iommu_group_store_type', args: { group: 'A', type: 'identity' } },
    { call: 'iommu_group_release_dma_owner', args: { group: 'B0' } },
  ];
  const inflight = [{ device: 'B1', iova: 0x1000n, access: READ }];
  const events = (e: Engine) => sequence.map((c) => e.apply({ kind: 'linux.call', ...c, inflight }));

  it('the same commands give the same event log', () => {
    expect(events(setUp())).toEqual(events(setUp()));
  });

  it('an engine restored from a snapshot carries on exactly as the original', () => {
    const a = setUp();
    a.apply({ kind: 'linux.call', call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } });
    const b = (a.constructor as typeof Engine).fromSnapshot(a.snapshot());
    expect(events(b)).toEqual(events(a));
    expect(b.linux).toEqual(a.linux);
  });
});
