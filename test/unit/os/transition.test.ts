import { describe, expect, it } from 'vitest';
import type { PciDeviceSpec } from '../../../src/engine/index.ts';
import { boot, call, dma, group, MULTI, READ, RW, SINGLE } from './helpers.ts';

/** U and the default domain both map IOVA 0x1000, to different pages, so a DMA says which domain it went through. */
function twoMappings(specs: readonly PciDeviceSpec[], dev: string) {
  const { engine } = boot(specs);
  const d = group(engine, dev).defaultDomain as string;
  call(engine, { call: 'iommu_paging_domain_alloc', args: { dev, name: 'U' } });
  call(engine, { call: 'iommu_map', args: { domain: d, iova: 0x1000n, paddr: 0x8_0000_0000n, size: 0x1000n, prot: RW } });
  call(engine, { call: 'iommu_map', args: { domain: 'U', iova: 0x1000n, paddr: 0x8_1000_0000n, size: 0x1000n, prot: RW } });
  return { engine, d };
}

/** Collapses runs: ['old', 'old', 'blocked', 'new'] -> ['old', 'blocked', 'new']. */
const runs = (xs: readonly string[]) => xs.filter((x, i) => i === 0 || xs[i - 1] !== x);

describe('the transition invariant: mid-switch DMA reaches the old domain, the new domain or nothing', () => {
  it('a device streaming DMA while its group moves from the default domain to U sees old, then blocked (the breaking CD write), then new', () => {
    const { engine } = twoMappings(SINGLE, 'A');
    const r = call(engine, { call: 'iommu_attach_group', args: { domain: 'U', group: 'A' } }, [{ device: 'A', iova: 0x1008n, access: READ }]);
    expect(r.findings).toEqual([]);
    expect(r.inflight).toHaveLength(r.checkpoints.length);
    expect(runs(r.inflight.map((x) => x.landed))).toEqual(['old domain', 'blocked', 'new domain']);
    const outputs = r.inflight.filter((x) => x.outcome.result === 'translated').map((x) => x.outcome.output);
    expect(new Set(outputs)).toEqual(new Set([0x8_0000_0008n, 0x8_1000_0008n]));
    // The blocked window is where CD 0 had V = 0: C_BAD_CD, as arm_smmu_write_entry's breaking sequence allows.
    const blocked = r.inflight.find((x) => x.landed === 'blocked');
    expect(blocked?.outcome.event?.name).toBe('C_BAD_CD');
    expect(r.checkpoints[blocked?.checkpoint ?? -1]?.label).toMatch(/CD 0 (qword 0 stored|synced)/);
  });

  it('a DMA at a chosen checkpoint: before the first store it lands on the old domain, at the last on the new', () => {
    const { engine } = twoMappings(SINGLE, 'A');
    const probe = call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } });
    const last = probe.checkpoints.length - 1;
    call(engine, { call: 'iommu_group_release_dma_owner', args: { group: 'A' } });
    const again = call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } }, [
      { device: 'A', iova: 0x1008n, access: READ, at: 0 },
      { device: 'A', iova: 0x1008n, access: READ, at: last },
    ]);
    expect(again.checkpoints.map((c) => c.label)).toEqual(probe.checkpoints.map((c) => c.label));
    expect(again.inflight.map((x) => [x.checkpoint, x.landed])).toEqual([[0, 'old domain'], [last, 'blocked']]);
  });

  it('in a two-device group the devices move one by one: between them B0 is on U and B1 still on the old domain', () => {
    const { engine, d } = twoMappings(MULTI, 'B0');
    const r = call(engine, { call: 'iommu_attach_group', args: { domain: 'U', group: 'B0' } }, [
      { device: 'B0', iova: 0x1008n, access: READ },
      { device: 'B1', iova: 0x1008n, access: READ },
    ]);
    expect(r.findings).toEqual([]);
    const between = r.checkpoints.find((c) => c.label === 'B0 is on U');
    expect(between?.devices).toEqual([{ device: 'B0', domain: 'U' }, { device: 'B1', domain: d }]);
    const at = (dev: string) => r.inflight.find((x) => x.checkpoint === between?.index && x.device === dev)?.landed;
    expect([at('B0'), at('B1')]).toEqual(['new domain', 'old domain']);
    expect(group(engine, 'B1').domain).toBe('U');
  });

  it('DMA -> identity (sysfs): untranslated DMA is allowed only once the new domain is the identity domain', () => {
    const { engine } = boot(SINGLE);
    const r = call(engine, { call: 'iommu_group_store_type', args: { group: 'A', type: 'identity' } }, [{ device: 'A', iova: 0x5000n, access: READ }]);
    expect(r.findings).toEqual([]);
    expect(runs(r.inflight.map((x) => x.landed))).toEqual(['blocked', 'new domain']);
    expect(r.inflight.at(-1)?.outcome).toMatchObject({ result: 'bypassed', output: 0x5000n });
  });

  it('claim never opens an identity window: from DMA to blocked every DMA lands on the old domain or nowhere', () => {
    const { engine } = twoMappings(MULTI, 'B0');
    const r = call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'B1', owner: 'vfio' } }, [
      { device: 'B0', iova: 0x1008n, access: READ }, { device: 'B1', iova: 0x1008n, access: READ }, { device: 'B1', iova: 0x7777_0000n, access: READ },
    ]);
    expect(r.findings).toEqual([]);
    expect(new Set(r.inflight.map((x) => x.landed))).toEqual(new Set(['old domain', 'blocked']));
    expect(r.inflight.some((x) => x.outcome.result === 'bypassed')).toBe(false);
  });

  it('the checks catch a broken configuration: a bypass STE someone wrote behind the core\'s back is an identity window', () => {
    const { engine } = boot(SINGLE);
    // A rogue write: StreamID 0x100 bypasses, while the group is on its DMA domain.
    engine.apply({ kind: 'smmu.updateSte', sid: 0x100, fields: { V: 1n, Config: 4n } });
    const d = dma(engine, 'A', 0x1234_0000n);
    expect(d).toMatchObject({ landed: 'outside', outcome: { result: 'bypassed' } });
    expect(d.findings[0]).toMatchObject({ rule: 'isolation', device: 'A' });
    const r = call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } });
    expect(r.findings[0]).toMatchObject({ rule: 'transition-invariant', checkpoint: 0, device: 'A', sid: 0x100, seen: { result: 'bypassed' } });
    expect(r.findings[0]?.message).toMatch(/identity window/);
  });

  it('a bridged device\'s two StreamIDs are written one after the other, with a checkpoint between, and stay within the invariant', () => {
    const { engine } = boot([
      { name: 'rp', bdf: '00:01.0', type: 'root-port', acs: true },
      { name: 'br', bdf: '01:00.0', type: 'pcie-to-pci-bridge', parent: 'rp' },
      { name: 'd1', bdf: '02:01.0', type: 'pci', parent: 'br' },
    ]);
    const r = call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'd1', owner: 'vfio' } }, [{ device: 'd1', iova: 0x1000n, access: READ }]);
    expect(r.findings).toEqual([]);
    const stes = r.hw.filter((h) => h.kind === 'ste').map((h) => (h.kind === 'ste' ? `${h.device}:${h.sid.toString(16)}` : ''));
    expect(stes).toEqual(['br:100', 'd1:208', 'd1:200']);
    expect(r.checkpoints.some((c) => c.label === 'd1: STE 0x200 qword 0 stored')).toBe(true);
  });
});
