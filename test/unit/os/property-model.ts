/**
 * The operations the property test draws, how each becomes a kernel call,
 * and a small reference model of what iommu.c should answer: the group's
 * owner, owner_cnt, which domain it is on (default, blocking or a user
 * domain) and the default domain's type. Operations a correct caller would
 * never make (releasing what it did not claim, unbinding an unbound driver)
 * are skipped, so every count the model tracks is one a real user holds.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Engine, LinuxCall } from '../../../src/engine/index.ts';
import type { Errno } from '../../../src/engine/os/core/types.ts';
import { call, READ, RW, type Finding } from './helpers.ts';

const DEVS = ['A', 'B0', 'B1', 'C'] as const;
type Dev = (typeof DEVS)[number];
const USER = ['U0', 'U1'] as const;
type User = (typeof USER)[number];
const IOVAS = [0x1000n, 0x2000n, 0x20_0000n];

export type Op =
  | { kind: 'claim' | 'release' | 'deviceClaim' | 'deviceRelease' | 'use' | 'unuse'; dev: Dev }
  | { kind: 'attach' | 'detach' | 'attachDevice' | 'detachDevice' | 'replace'; domain: User; dev: Dev }
  | { kind: 'storeType'; dev: Dev; type: 'identity' | 'DMA' | 'DMA-FQ' | 'auto' }
  | { kind: 'map' | 'unmap'; domain: User | 'default'; dev: Dev; slot: number; page?: number };

const dev = fc.constantFrom(...DEVS);
const user = fc.constantFrom(...USER);
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constantFrom('claim', 'release', 'deviceClaim', 'deviceRelease', 'use', 'unuse'), dev }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constantFrom('attach', 'detach', 'attachDevice', 'detachDevice', 'replace'), domain: user, dev }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('storeType'), dev, type: fc.constantFrom('identity', 'DMA', 'DMA-FQ', 'auto') }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constantFrom('map', 'unmap'), domain: fc.constantFrom<User | 'default'>('U0', 'U1', 'default'), dev, slot: fc.nat(2), page: fc.nat(7) }), weight: 2 },
) as fc.Arbitrary<Op>;

type Sym = 'default' | 'blocking' | User;
interface G { owner: string | null; cnt: number; domain: Sym; defType: 'DMA' | 'DMA_FQ' | 'IDENTITY'; devices: readonly Dev[]; driverType: 'IDENTITY' | null }

const GROUP_OF: Record<Dev, string> = { A: 'A', B0: 'B', B1: 'B', C: 'C' };

export class RefModel {
  readonly groups: Record<string, G> = {
    A: { owner: null, cnt: 0, domain: 'default', defType: 'DMA', devices: ['A'], driverType: null },
    B: { owner: null, cnt: 0, domain: 'default', defType: 'DMA', devices: ['B0', 'B1'], driverType: null },
    C: { owner: null, cnt: 0, domain: 'default', defType: 'IDENTITY', devices: ['C'], driverType: 'IDENTITY' },
  };
  readonly groupClaims = new Set<string>();
  readonly deviceClaims = new Set<Dev>();

  constructor(readonly engine: Engine) {}

  private g(d: Dev): G {
    return this.groups[GROUP_OF[d]] as G;
  }

  /** The expected return value, updating the model; undefined: the harness skips the op. */
  predict(op: Op, driverBound: boolean): Errno | 0 | undefined {
    const g = this.g(op.dev);
    const core = (): Sym => (g.owner !== null ? 'blocking' : 'default');
    const take = (owner: string): Errno | 0 => {
      if (g.domain !== 'default') return 'EBUSY';
      Object.assign(g, { domain: 'blocking', owner, cnt: 1 });
      return 0;
    };
    const move = (u: User): Errno | 0 => {
      if (GROUP_OF[op.dev] === 'B' && u === 'U1') return 'ENOMEM';
      g.domain = u;
      return 0;
    };
    switch (op.kind) {
      case 'claim':
        if (g.cnt !== 0) return 'EPERM';
        return take('vfio') === 0 ? (this.groupClaims.add(GROUP_OF[op.dev]), 0) : 'EBUSY';
      case 'release':
        if (!this.groupClaims.has(GROUP_OF[op.dev])) return undefined;
        this.groupClaims.delete(GROUP_OF[op.dev]);
        Object.assign(g, { owner: null, cnt: 0, domain: 'default' });
        return 0;
      case 'deviceClaim':
        if (this.deviceClaims.has(op.dev)) return undefined;
        if (g.cnt > 0) {
          if (g.owner !== 'ictx') return 'EPERM';
          g.cnt++;
        } else if (take('ictx') !== 0) return 'EBUSY';
        this.deviceClaims.add(op.dev);
        return 0;
      case 'deviceRelease':
        if (!this.deviceClaims.has(op.dev)) return undefined;
        this.deviceClaims.delete(op.dev);
        if (g.cnt > 1) g.cnt--;
        else Object.assign(g, { owner: null, cnt: 0, domain: 'default' });
        return 0;
      case 'use':
        if (driverBound) return undefined;
        if (g.cnt > 0 && (g.domain !== 'default' || g.owner !== null)) return 'EBUSY';
        g.cnt++;
        return 0;
      case 'unuse':
        if (!driverBound) return undefined;
        g.cnt--;
        return 0;
      case 'attach':
      case 'attachDevice':
        if (op.kind === 'attachDevice' && g.devices.length !== 1) return 'EINVAL';
        if (g.domain !== 'default' && g.domain !== 'blocking') return 'EBUSY';
        return move(op.domain);
      case 'detach':
        g.domain = core();
        return 0;
      case 'detachDevice':
        if (g.domain === op.domain && g.devices.length === 1) g.domain = core();
        return 0;
      case 'replace':
        return g.domain === op.domain ? 0 : move(op.domain);
      case 'storeType': {
        if (op.type === 'DMA-FQ' && g.defType === 'DMA') { g.defType = 'DMA_FQ'; return 0; }
        if (g.cnt !== 0) return 'EPERM';
        const req = ({ identity: 'IDENTITY', DMA: 'DMA', 'DMA-FQ': 'DMA_FQ', auto: null } as const)[op.type];
        if (req !== null && g.driverType !== null && req !== g.driverType) return 'EINVAL';
        const type = req ?? g.driverType ?? 'DMA';
        if (type !== g.defType) Object.assign(g, { defType: type, domain: 'default' });
        return 0;
      }
      case 'map':
      case 'unmap':
        return undefined;
    }
  }

  check(engine: Engine): void {
    for (const [key, m] of Object.entries(this.groups)) {
      const dev = engine.linux?.devices.find((d) => d.name === m.devices[0]);
      const g = engine.linux?.groups.find((x) => x.id === dev?.group);
      if (!g) throw new Error(`no group for ${key}`);
      const sym = g.domain === g.defaultDomain ? 'default' : g.domain === g.blockingDomain ? 'blocking' : g.domain;
      const defType = engine.linux?.domains.find((d) => d.name === g.defaultDomain)?.type;
      expect({ owner: g.owner, cnt: g.ownerCnt, domain: sym, defType }, `group of ${m.devices.join(', ')}`).toEqual({ owner: m.owner, cnt: m.cnt, domain: m.domain, defType: m.defType });
    }
  }

  /** What well-behaved users do at the end: give back every claim, unbind every driver, detach user domains. */
  teardown(engine: Engine): LinuxCall[] {
    const out: LinuxCall[] = [];
    for (const d of this.deviceClaims) out.push({ call: 'iommu_device_release_dma_owner', args: { dev: d } });
    for (const g of this.groupClaims) out.push({ call: 'iommu_detach_group', args: { domain: 'U0', group: (this.groups[g] as G).devices[0] as string } }, { call: 'iommu_group_release_dma_owner', args: { group: (this.groups[g] as G).devices[0] as string } });
    for (const d of engine.linux?.devices ?? []) if (d.driver !== null) out.push({ call: 'iommu_device_unuse_default_domain', args: { dev: d.name } });
    for (const g of Object.values(this.groups)) out.push({ call: 'iommu_detach_group', args: { domain: 'U0', group: g.devices[0] as string } });
    return out;
  }
}

function toCall(engine: Engine, op: Op): LinuxCall {
  const group = op.dev;
  const defaultOf = () => engine.linux?.groups.find((g) => g.devices.includes(op.dev))?.defaultDomain as string;
  switch (op.kind) {
    case 'claim': return { call: 'iommu_group_claim_dma_owner', args: { group, owner: 'vfio' } };
    case 'release': return { call: 'iommu_group_release_dma_owner', args: { group } };
    case 'deviceClaim': return { call: 'iommu_device_claim_dma_owner', args: { dev: op.dev, owner: 'ictx' } };
    case 'deviceRelease': return { call: 'iommu_device_release_dma_owner', args: { dev: op.dev } };
    case 'use': return { call: 'iommu_device_use_default_domain', args: { dev: op.dev, driver: 'drv' } };
    case 'unuse': return { call: 'iommu_device_unuse_default_domain', args: { dev: op.dev } };
    case 'attach': return { call: 'iommu_attach_group', args: { domain: op.domain, group } };
    case 'detach': return { call: 'iommu_detach_group', args: { domain: op.domain, group } };
    case 'attachDevice': return { call: 'iommu_attach_device', args: { domain: op.domain, dev: op.dev } };
    case 'detachDevice': return { call: 'iommu_detach_device', args: { domain: op.domain, dev: op.dev } };
    case 'replace': return { call: 'iommu_group_replace_domain', args: { group, domain: op.domain } };
    case 'storeType': return { call: 'iommu_group_store_type', args: { group, type: op.type } };
    case 'map': return { call: 'iommu_map', args: { domain: op.domain === 'default' ? defaultOf() : op.domain, iova: IOVAS[op.slot] as bigint, paddr: 0xa_0000_0000n + BigInt(op.page ?? 0) * 0x20_0000n, size: 0x1000n, prot: RW } };
    case 'unmap': return { call: 'iommu_unmap', args: { domain: op.domain === 'default' ? defaultOf() : op.domain, iova: IOVAS[op.slot] as bigint, size: 0x1000n } };
  }
}

/** Releases and unbinds act on something the caller holds: the drawn device if it holds it, else the first that does. */
function retarget(engine: Engine, model: RefModel, op: Op): Op | undefined {
  const bound = (d: Dev) => engine.linux?.devices.find((x) => x.name === d)?.driver != null;
  const holds = (d: Dev) => (op.kind === 'release' ? model.groupClaims.has(GROUP_OF[d]) : op.kind === 'deviceRelease' ? model.deviceClaims.has(d) : op.kind === 'unuse' ? bound(d) : true);
  if (holds(op.dev)) return op;
  const other = DEVS.find(holds);
  return other ? { ...op, dev: other } : undefined;
}

/** Runs one op with every device doing DMA at every checkpoint; undefined when the op is skipped. */
export function applyOp(engine: Engine, model: RefModel, drawn: Op): { ret: Errno | 0; expected: Errno | 0 | undefined; findings: Finding[] } | undefined {
  const op = retarget(engine, model, drawn);
  if (!op) return undefined;
  const bound = engine.linux?.devices.find((d) => d.name === op.dev)?.driver != null;
  const expected = model.predict(op, bound);
  if (expected === undefined && op.kind !== 'map' && op.kind !== 'unmap') return undefined;
  const inflight = DEVS.flatMap((device) => IOVAS.map((iova) => ({ device, iova, access: READ })));
  const r = call(engine, toCall(engine, op), inflight);
  return { ret: r.ret, expected: expected ?? r.ret, findings: r.findings };
}
