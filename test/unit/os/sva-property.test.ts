/**
 * Random sequences of process and SVA operations against the real engine,
 * with each device streaming DMA on the mm's PASID through every bind,
 * unbind and exit. After each step:
 * - no transition-invariant, mixed-entry or isolation finding;
 * - the PASIDs of the mms that still exist are unique, each mm keeps the
 *   PASID it first got, and the global PASID space holds exactly those;
 * - bond refcounts, SVA domain users and mm_count agree with a small
 *   reference model; every SVA domain has its own ASID;
 * - a DMA on the PASID reaches the page when the process maps it, and is
 *   blocked otherwise.
 * At the end, once every bond is unbound and every process has exited,
 * everything is given back: no mm, bond, SVA domain, PASID or ASID remains.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Engine, InflightDma } from '../../../src/engine/index.ts';
import { boot, call, RW } from './helpers.ts';
import { dmaPasid, PASID_TOPOLOGY, sva } from './sva-helpers.ts';

const MMS = ['P', 'Q', 'R'] as const;
/** Few devices and processes, so that the same (device, mm) is often bound more than once. */
const DEVS = ['A', 'C', 'S'] as const;
type MmName = (typeof MMS)[number];
type Dev = (typeof DEVS)[number];
const PAGE = (n: number) => 0x40_0000n + BigInt(n) * 0x1000n;

type Op =
  | { kind: 'alloc' | 'exit'; mm: MmName }
  | { kind: 'map' | 'unmap'; mm: MmName; page: number }
  | { kind: 'bind' | 'unbind'; dev: Dev; mm: MmName }
  | { kind: 'dma'; dev: Dev; mm: MmName; page: number };

const mm = fc.constantFrom(...MMS);
const dev = fc.constantFrom(...DEVS);
const page = fc.nat(2);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constantFrom('alloc' as const, 'exit' as const), mm }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constantFrom('map' as const, 'unmap' as const), mm, page }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constantFrom('bind' as const, 'unbind' as const), dev, mm }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('dma' as const), dev, mm, page }), weight: 3 },
) as fc.Arbitrary<Op>;

/** What a correct caller knows: its processes, their pages and PASIDs, and how many times it bound each (device, mm). */
class Model {
  /** Every mm_struct still in existence (a dead one lingers while an SVA domain holds it). */
  readonly mms = new Map<MmName, { alive: boolean; pasid: number | null; pages: Set<number> }>();
  readonly binds = new Map<string, number>();

  nextPasid(): number {
    const used = new Set([...this.mms.values()].map((m) => m.pasid));
    let p = 1;
    while (used.has(p)) p++;
    return p;
  }

  /** An mm disappears when it has exited and no bond keeps its SVA domain. */
  reap(name: MmName): void {
    const m = this.mms.get(name);
    if (m && !m.alive && ![...this.binds.keys()].some((k) => k.endsWith(`:${name}`))) this.mms.delete(name);
  }
}

const BAD = new Set(['transition-invariant', 'mixed-entry', 'isolation']);

function streaming(model: Model, d: Dev, m: MmName): InflightDma[] {
  const pasid = model.mms.get(m)?.pasid ?? model.nextPasid();
  return [...model.mms.get(m)?.pages ?? []].slice(0, 1).map((p) => ({ device: d, iova: PAGE(p) + 0x40n, access: { kind: 'read', privileged: false }, pasid }));
}

function step(e: Engine, model: Model, op: Op): void {
  const m = model.mms.get(op.mm);
  let findings: { rule: string; message: string }[] = [];
  switch (op.kind) {
    case 'alloc': {
      if (m) return;
      expect(call(e, { call: 'mm_alloc', args: { name: op.mm } }).ret).toBe(0);
      const fresh = { alive: true, pasid: null, pages: new Set<number>() };
      model.mms.set(op.mm, fresh);
      // A process starts with its first pages in use, so that unmaps of pages devices use come up often.
      for (const p of [0, 1]) step(e, model, { kind: 'map', mm: op.mm, page: p });
      return;
    }
    case 'map': {
      if (!m?.alive) return;
      const r = call(e, { call: 'mm_map', args: { mm: op.mm, va: PAGE(op.page), paddr: 0x9000_0000n + BigInt(MMS.indexOf(op.mm) * 16 + op.page) * 0x1000n, size: 0x1000n, prot: RW } });
      expect(r.ret).toBe(m.pages.has(op.page) ? 'EEXIST' : 0);
      m.pages.add(op.page);
      return;
    }
    case 'unmap': {
      if (!m?.alive) return;
      // The bound devices use the page first (filling the IOTLB), so a missed invalidation would show after the unmap.
      const users = DEVS.filter((d) => model.binds.has(`${d}:${op.mm}`));
      const probe = () => users.map((d) => dmaPasid(e, d, PAGE(op.page) + 0x8n, m.pasid as number));
      for (const d of probe()) expect(d.landed).toBe(m.pages.has(op.page) ? 'domain' : 'blocked');
      findings = call(e, { call: 'mm_unmap', args: { mm: op.mm, va: PAGE(op.page), size: 0x1000n } }).findings;
      m.pages.delete(op.page);
      for (const d of probe()) {
        expect(d.landed).toBe('blocked');
        findings.push(...d.findings);
      }
      break;
    }
    case 'bind': {
      if (!m?.alive) return;
      const r = call(e, { call: 'iommu_sva_bind_device', args: { dev: op.dev, mm: op.mm } }, streaming(model, op.dev, op.mm));
      expect(r.ret).toBe(0);
      expect(r.returned).toBe(`sva:${op.dev}:${op.mm}`);
      m.pasid ??= model.nextPasid();
      const key = `${op.dev}:${op.mm}`;
      model.binds.set(key, (model.binds.get(key) ?? 0) + 1);
      findings = r.findings;
      break;
    }
    case 'unbind': {
      const key = `${op.dev}:${op.mm}`;
      const n = model.binds.get(key);
      if (n === undefined) return;
      const r = call(e, { call: 'iommu_sva_unbind_device', args: { handle: `sva:${key}` } }, streaming(model, op.dev, op.mm));
      expect(r.ret).toBe(0);
      if (n > 1) {
        model.binds.set(key, n - 1);
        expect(r.hw).toEqual([]);
      } else {
        model.binds.delete(key);
      }
      model.reap(op.mm);
      findings = r.findings;
      break;
    }
    case 'exit': {
      if (!m?.alive) return;
      const bound = DEVS.filter((d) => model.binds.has(`${d}:${op.mm}`));
      const r = call(e, { call: 'mm_exit', args: { mm: op.mm } }, bound.flatMap((d) => streaming(model, d, op.mm)));
      m.alive = false;
      m.pages.clear();
      model.reap(op.mm);
      findings = r.findings;
      break;
    }
    case 'dma': {
      if (!model.binds.has(`${op.dev}:${op.mm}`) || !m?.pasid) return;
      const d = dmaPasid(e, op.dev, PAGE(op.page) + 0x8n, m.pasid);
      findings = d.findings;
      expect(d.landed).toBe(m.alive && m.pages.has(op.page) ? 'domain' : 'blocked');
      break;
    }
  }
  expect(findings.filter((f) => BAD.has(f.rule)).map((f) => f.message)).toEqual([]);
}

function checkState(e: Engine, model: Model): void {
  const v = sva(e);
  const linux = e.linux;
  if (!linux) throw new Error('no Linux');
  // The mms that exist, with the PASIDs the model expects: unique, and the only ones handed out.
  expect(Object.fromEntries(v.mms.map((x) => [x.name, { alive: x.alive, pasid: x.pasid }]))).toEqual(Object.fromEntries([...model.mms].map(([n, x]) => [n, { alive: x.alive, pasid: x.pasid }])));
  const pasids = v.mms.flatMap((x) => (x.pasid === null ? [] : [x.pasid]));
  expect(new Set(pasids).size).toBe(pasids.length);
  expect([...v.globalPasids]).toEqual([...pasids].sort((a, b) => a - b));
  // Bond refcounts, and every pasid_array entry of a bond carries its mm's PASID.
  expect(Object.fromEntries(v.bonds.map((b) => [`${b.dev}:${b.mm}`, b.users]))).toEqual(Object.fromEntries(model.binds));
  for (const b of v.bonds) expect(v.pasids).toContainEqual(expect.objectContaining({ group: b.group, pasid: v.mms.find((x) => x.name === b.mm)?.pasid, domain: b.domain, handle: b.name }));
  expect(v.pasids.length).toBe(v.bonds.length);
  // One SVA domain per mm with bonds, users = its groups, its own ASID; mm_count = the process + its SVA domains.
  for (const d of v.svaDomains) expect(d.users).toBe(v.bonds.filter((b) => b.domain === d.name).length);
  expect(new Set(v.svaDomains.map((d) => d.mm)).size).toBe(v.svaDomains.length);
  const asids = v.svaDomains.map((d) => d.asid);
  expect(new Set([...asids, ...linux.domains.filter((d) => d.type !== 'SVA').map((d) => d.smmu?.asid ?? null).filter((a) => a !== null)]).size)
    .toBe(linux.asids.length);
  for (const x of v.mms) expect(x.mmCount).toBe((x.alive ? 1 : 0) + v.svaDomains.filter((d) => d.mm === x.name).length);
}

function run(ops: readonly Op[]): void {
  const { engine: e } = boot(PASID_TOPOLOGY);
  const baseAsids = [...(e.linux?.asids ?? [])];
  const model = new Model();
  // Three processes are running from the start; exits and new allocs change that as the sequence goes.
  for (const name of MMS) step(e, model, { kind: 'alloc', mm: name });
  for (const op of ops) {
    step(e, model, op);
    checkState(e, model);
  }
  // Wind down as a correct program would: every bind undone, every process gone.
  for (const [key, n] of [...model.binds]) for (let i = 0; i < n; i++) step(e, model, { kind: 'unbind', dev: key.split(':')[0] as Dev, mm: key.split(':')[1] as MmName });
  for (const name of MMS) step(e, model, { kind: 'exit', mm: name });
  checkState(e, model);
  expect(sva(e)).toEqual({ mms: [], bonds: [], svaDomains: [], pasids: [], globalPasids: [] });
  expect(e.linux?.asids).toEqual(baseAsids);
  expect(e.linux?.domains.some((d) => d.type === 'SVA')).toBe(false);
}

describe('SVA under random bind / unbind / exit / CPU map and unmap sequences', () => {
  it('PASIDs are never handed out twice, refcounts return to zero, and DMA only ever reaches what the process maps', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 5, maxLength: 30, size: 'max' }), (ops) => run(ops)), { numRuns: 60, seed: 0x5fa });
  }, 60_000);

  it('regression: bind, exit with the device streaming, bind another mm, then unbind the first', () => {
    run([
      { kind: 'alloc', mm: 'P' }, { kind: 'map', mm: 'P', page: 0 }, { kind: 'bind', dev: 'A', mm: 'P' }, { kind: 'bind', dev: 'C', mm: 'P' },
      { kind: 'exit', mm: 'P' }, { kind: 'alloc', mm: 'Q' }, { kind: 'map', mm: 'Q', page: 0 }, { kind: 'bind', dev: 'A', mm: 'Q' },
      { kind: 'dma', dev: 'A', mm: 'P', page: 0 }, { kind: 'dma', dev: 'A', mm: 'Q', page: 0 }, { kind: 'unbind', dev: 'A', mm: 'P' },
    ]);
  });

  it('regression: a CPU unmap while two devices use the page', () => {
    run([
      { kind: 'alloc', mm: 'R' }, { kind: 'map', mm: 'R', page: 2 }, { kind: 'bind', dev: 'S', mm: 'R' }, { kind: 'bind', dev: 'A', mm: 'R' },
      { kind: 'unmap', mm: 'R', page: 2 }, { kind: 'map', mm: 'R', page: 2 }, { kind: 'dma', dev: 'S', mm: 'R', page: 2 },
    ]);
  });
});
