/**
 * The same Linux call sequence on arm-smmu-v3 and on intel-iommu: boot,
 * domain allocation, attach, map, DMA, claiming DMA ownership, an SVA bind
 * and its DMA. What the kernel sees (return values, groups, domains, where
 * each DMA lands and which page it reaches) must be the same; what differs
 * is the hardware each driver programs, which is checked separately.
 */
import { describe, expect, it } from 'vitest';
import { Engine, type EngineCommand, type EngineEvent, type LinuxCall, type PciDeviceSpec } from '../../../src/engine/index.ts';
import { vtdView } from '../../../src/engine/views/vtd-view.ts';

const DEVICES: readonly PciDeviceSpec[] = [
  { name: 'rp0', bdf: '00:01.0', type: 'root-port', acs: true },
  { name: 'nvme', bdf: '01:00.0', parent: 'rp0', driver: 'nvme', pasidBits: 20 },
  { name: 'rp1', bdf: '00:02.0', type: 'root-port', acs: true },
  { name: 'gpu', bdf: '02:00.0', parent: 'rp1', pasidBits: 20 },
  { name: 'rp2', bdf: '00:03.0', type: 'root-port', acs: true },
  { name: 'nic0', bdf: '03:00.0', parent: 'rp2', multifunction: true },
  { name: 'nic1', bdf: '03:00.1', parent: 'rp2', multifunction: true },
];

const RW = { read: true, write: true, exec: false, priv: false };
const READ = { kind: 'read', privileged: false } as const;
const WRITE = { kind: 'write', privileged: false } as const;

type Step = { call: LinuxCall; inflight?: undefined } | { dma: { device: string; iova: bigint; write?: boolean; pasid?: number } };

const SEQUENCE: Step[] = [
  { call: { call: 'iommu_paging_domain_alloc', args: { dev: 'gpu', name: 'U' } } as LinuxCall },
  { call: { call: 'iommu_map', args: { domain: 'U', iova: 0x10_0000n, paddr: 0x8_0000_0000n, size: 0x2000n, prot: RW } } as LinuxCall },
  { call: { call: 'iommu_map', args: { domain: 'U', iova: 0x20_0000n, paddr: 0x8_0020_0000n, size: 0x20_0000n, prot: { ...RW, write: false } } } as LinuxCall },
  { call: { call: 'iommu_group_claim_dma_owner', args: { group: 'gpu', owner: 'vfio' } } as LinuxCall },
  { dma: { device: 'gpu', iova: 0x10_0010n } },
  { call: { call: 'iommu_attach_group', args: { domain: 'U', group: 'gpu' } } as LinuxCall },
  { dma: { device: 'gpu', iova: 0x10_1010n, write: true } },
  { dma: { device: 'gpu', iova: 0x21_0000n, write: true } },
  { dma: { device: 'gpu', iova: 0x50_0000n } },
  { call: { call: 'iommu_iova_to_phys', args: { domain: 'U', iova: 0x20_1234n } } as LinuxCall },
  { call: { call: 'iommu_unmap', args: { domain: 'U', iova: 0x10_0000n, size: 0x1000n } } as LinuxCall },
  { dma: { device: 'gpu', iova: 0x10_0010n } },
  { call: { call: 'iommu_group_claim_dma_owner', args: { group: 'nvme', owner: 'vfio' } } as LinuxCall },
  { dma: { device: 'nvme', iova: 0x1000n } },
  { call: { call: 'iommu_detach_group', args: { domain: 'U', group: 'gpu' } } as LinuxCall },
  { call: { call: 'iommu_group_release_dma_owner', args: { group: 'gpu' } } as LinuxCall },
  { call: { call: 'mm_alloc', args: { name: 'P' } } as LinuxCall },
  { call: { call: 'mm_map', args: { mm: 'P', va: 0x40_0000n, paddr: 0x9000_0000n, size: 0x2000n, prot: RW } } as LinuxCall },
  { call: { call: 'iommu_sva_bind_device', args: { dev: 'gpu', mm: 'P' } } as LinuxCall },
  { dma: { device: 'gpu', iova: 0x40_1008n, pasid: 1 } },
  { call: { call: 'mm_unmap', args: { mm: 'P', va: 0x40_1000n, size: 0x1000n } } as LinuxCall },
  { dma: { device: 'gpu', iova: 0x40_1008n, pasid: 1 } },
  { dma: { device: 'gpu', iova: 0x40_0008n, write: true, pasid: 1 } },
  { call: { call: 'iommu_sva_unbind_device', args: { handle: 'sva:gpu:P' } } as LinuxCall },
  { dma: { device: 'gpu', iova: 0x40_0008n, pasid: 1 } },
  { dma: { device: 'nic1', iova: 0x1000n } },
];

/** What the kernel can see of each step, with driver names (static domains) made neutral. */
function kernelView(events: readonly EngineEvent[]): unknown {
  const neutral = (n: string | null) => (n === null ? null : n.replace(/^arm_smmu_blocked_domain$|^blocking_domain$/, 'BLOCKED').replace(/^arm_smmu_identity_domain$|^identity_domain$/, 'IDENTITY'));
  return events.map((e) => {
    switch (e.kind) {
      case 'linux.booted':
        return { groups: e.groups.map((g) => ({ ...g, domain: neutral(g.domain), defaultDomain: neutral(g.defaultDomain), blockingDomain: neutral(g.blockingDomain) })), drivers: e.boot.drivers, probed: e.boot.probed.map((p) => [p.device, p.ret, p.group]) };
      case 'linux.called':
        return { ret: e.ret, returned: e.returned, groups: e.groups.map((g) => ({ id: g.id, domain: neutral(g.domain), owner: g.owner, ownerCnt: g.ownerCnt, domainType: g.domainType, pasids: g.pasids })) };
      case 'linux.dma':
        return { device: e.device, landed: e.landed, domain: neutral(e.domain), result: e.outcome.result === 'terminated' ? 'blocked' : 'reached', output: e.outcome.output };
      case 'linux.finding':
        return { finding: e.finding.rule };
      default:
        return e.kind;
    }
  });
}

function run(iommu: 'arm-smmu-v3' | 'intel-iommu'): { engine: Engine; log: EngineEvent[][] } {
  const engine = new Engine();
  const log: EngineEvent[][] = [];
  const apply = (c: EngineCommand) => {
    const ev = engine.apply(c);
    const rejected = ev.find((x) => x.kind === 'command.rejected');
    if (rejected) throw new Error(`${iommu}: ${c.kind} rejected: ${rejected.kind === 'command.rejected' ? rejected.message : ''}`);
    log.push(ev);
  };
  apply({ kind: 'linux.boot', devices: DEVICES, ...(iommu === 'intel-iommu' ? { iommu } : {}) });
  for (const s of SEQUENCE) {
    if ('call' in s) apply({ kind: 'linux.call', ...s.call });
    else apply({ kind: 'linux.dma', device: s.dma.device, iova: s.dma.iova, access: s.dma.write ? WRITE : READ, ...(s.dma.pasid !== undefined ? { pasid: s.dma.pasid } : {}) });
  }
  return { engine, log };
}

describe('the Linux core on either IOMMU', () => {
  const smmu = run('arm-smmu-v3');
  const vtd = run('intel-iommu');

  it('gives the same kernel-visible results for the same calls', () => {
    expect(vtd.log.map(kernelView)).toEqual(smmu.log.map(kernelView));
  });

  it('lands each DMA where the kernel expects: blocked while owned, the mapped page, read-only and unmapped refused, the SVA page until it is unmapped', () => {
    const dmas = vtd.log.flat().filter((e) => e.kind === 'linux.dma');
    expect(dmas.map((e) => [e.landed, e.outcome.output])).toEqual([
      ['blocked', undefined],
      ['domain', 0x8_0000_1010n],
      ['blocked', undefined],
      ['blocked', undefined],
      ['blocked', undefined],
      ['blocked', undefined],
      ['domain', 0x9000_1008n],
      ['blocked', undefined],
      ['domain', 0x9000_0008n],
      ['blocked', undefined],
      ['blocked', undefined],
    ]);
  });

  it('programs VT-d the way intel-iommu does: first-stage PASID entries, DIDs, PASID-based invalidations', () => {
    const attach = vtd.log[6]?.[0];
    expect(attach?.kind).toBe('linux.called');
    if (attach?.kind !== 'linux.called') return;
    // A replace over the blocking teardown: the RID_PASID entry goes from not present to first-stage, no flush needed.
    expect(attach.hw.some((h) => h.kind === 'memory' && h.why.startsWith('domain_setup_first_level: PASID 0 of 02:00.0 -> U (first-stage, DID'))).toBe(true);
    const unmap = vtd.log[11]?.[0];
    const qi = unmap?.kind === 'linux.called' ? unmap.hw.find((h) => h.kind === 'vtd-qi') : undefined;
    expect(qi?.kind === 'vtd-qi' && qi.consumed.map((c) => c.summary)).toEqual([
      expect.stringMatching(/^PASID-based IOTLB invalidate \(DID \d+, PASID 0, 0x100000, AM 0\)$/),
      expect.stringMatching(/^Invalidation wait/),
    ]);
    const claimed = vtd.log[4]?.[0];
    expect(claimed?.kind === 'linux.called' && claimed.hw.some((h) => h.kind === 'vtd-qi' && h.why.startsWith('intel_pasid_tear_down_entry'))).toBe(true);
    const v = vtdView(vtd.engine.vtd!);
    const gpu = v.roots.find((r) => r.bus === 2)?.contexts[0];
    expect(gpu?.pasidDirectory?.entries[0]?.entries.map((p) => [p.pasid, p.pgtt])).toEqual([[0, 'first-stage']]);
    // nvme's claim was -EPERM (its kernel driver is bound): it stays on its first-stage DMA domain.
    const claimNvme = vtd.log[13]?.[0];
    expect(claimNvme?.kind === 'linux.called' && claimNvme.returned).toBe('-EPERM');
    const nvme = v.roots.find((r) => r.bus === 1)?.contexts[0];
    expect(nvme?.pasidDirectory?.entries[0]?.entries.map((p) => [p.pasid, p.pgtt, p.fields.DID])).toEqual([[0, 'first-stage', 3n]]); // DID 2 went to rp0's default domain, attached first
  });

  it('the SVA bind is a first-stage PASID entry with DID 1 (FLPT_DEFAULT_DID), and mm_unmap sends a PASID-based invalidation', () => {
    const bind = vtd.log[19]?.[0];
    expect(bind?.kind === 'linux.called' && bind.hw.some((h) => h.kind === 'memory' && /intel_svm_set_dev_pasid: PASID 1 of 02:00.0 .* DID 1\)/.test(h.why))).toBe(true);
    const unmap = vtd.log[21]?.[0];
    const qi = unmap?.kind === 'linux.called' ? unmap.hw.find((h) => h.kind === 'vtd-qi') : undefined;
    expect(qi?.kind === 'vtd-qi' && qi.consumed[0]?.summary).toBe('PASID-based IOTLB invalidate (DID 1, PASID 1, 0x401000, AM 0)');
  });

  it('boots on a legacy-mode unit too: second-stage context entries, the same groups', () => {
    const e = new Engine();
    const ev = e.apply({ kind: 'linux.boot', devices: DEVICES, iommu: 'intel-iommu', vtd: { preset: 'legacy' } });
    expect(ev[0]?.kind).toBe('linux.booted');
    e.apply({ kind: 'linux.call', call: 'iommu_paging_domain_alloc', args: { dev: 'gpu', name: 'U' } } as EngineCommand);
    e.apply({ kind: 'linux.call', call: 'iommu_map', args: { domain: 'U', iova: 0x10_0000n, paddr: 0x8_0000_0000n, size: 0x1000n, prot: RW } } as EngineCommand);
    e.apply({ kind: 'linux.call', call: 'iommu_group_claim_dma_owner', args: { group: 'gpu', owner: 'vfio' } } as EngineCommand);
    e.apply({ kind: 'linux.call', call: 'iommu_attach_group', args: { domain: 'U', group: 'gpu' } } as EngineCommand);
    const d = e.apply({ kind: 'linux.dma', device: 'gpu', iova: 0x10_0010n, access: READ })[0];
    expect(d?.kind === 'linux.dma' && [d.landed, d.outcome.output, d.vtd?.trace.translation, d.vtd?.trace.mode]).toEqual(['domain', 0x8_0000_0010n, 'second-stage', 'legacy']);
  });
});

describe('Linux on intel-iommu, replayed', () => {
  it('the same calls give the same events, and a snapshot taken mid-way goes on identically', () => {
    const a = run('intel-iommu');
    const b = run('intel-iommu');
    expect(b.log).toEqual(a.log);
    const e = new Engine();
    e.apply({ kind: 'linux.boot', devices: DEVICES, iommu: 'intel-iommu' });
    const cmds: EngineCommand[] = SEQUENCE.slice(0, 8).map((s) => ('call' in s
      ? { kind: 'linux.call', ...s.call }
      : { kind: 'linux.dma', device: s.dma.device, iova: s.dma.iova, access: s.dma.write ? WRITE : READ }));
    cmds.slice(0, 4).forEach((c) => e.apply(c));
    const restored = Engine.fromSnapshot(e.snapshot());
    for (const c of cmds.slice(4)) expect(restored.apply(c)).toEqual(e.apply(c));
  });
});
