/**
 * The two sides of the comparison, from the real engine on both IOMMUs:
 * each device's STE and CDs, and its root, context and PASID entries, named
 * with the same kernel objects; checked against the engine's own views of
 * an independent run, so the projection cannot drift from the hardware.
 */
import { describe, expect, it } from 'vitest';
import { Engine, streamTableView } from '../../../src/engine/index.ts';
import { vtdView } from '../../../src/engine/views/vtd-view.ts';
import { engineOptionsOf, scenarioToCommands, type Scenario } from '../../../src/scenario/index.ts';
import { CompareSession } from '../../../src/worker/compare-session.ts';
import type { CompareDevice, CompareView } from '../../../src/worker/compare-types.ts';
import { builtin, withBoot } from './helpers.ts';

type Available = Extract<CompareView, { available: true }>;

function at(session: CompareSession, step: number): Available {
  const v = session.at(step);
  if (!v.available) throw new Error(v.reason);
  return v;
}

const device = (v: Available, name: string): CompareDevice => {
  const d = v.devices.find((x) => x.name === name);
  if (!d) throw new Error(`no device ${name}`);
  return d;
};

/** An engine of its own, run to `step` on one IOMMU, for the engine's views. */
function engineAt(s: Scenario, step: number, iommu: 'arm-smmu-v3' | 'intel-iommu'): Engine {
  const e = new Engine(engineOptionsOf(s));
  for (const c of scenarioToCommands(s).slice(0, step)) e.apply(c.kind === 'linux.boot' && iommu === 'intel-iommu' ? { ...c, iommu } : c);
  return e;
}

describe('the comparison of compare-smmu-vtd', () => {
  const s = builtin('compare-smmu-vtd');
  const session = new CompareSession(s);

  it('after boot: a stage-1 STE with CD 0 on the SMMU, a scalable-mode context entry with PASID entry 0 first-stage on VT-d, the same default domain on both', () => {
    const v = at(session, 1);
    expect(v.smmuBooted && v.vtdBooted).toBe(true);
    expect(v.vtdMode).toBe('scalable');
    expect(v.devices.map((d) => d.name)).toEqual(['rp0', 'nvme', 'rp1', 'acc', 'rp2', 'vf0']);
    for (const d of v.devices) {
      expect(d.smmu?.ste?.config, d.name).toBe('stage 1');
      expect(d.smmu?.sid).toBe(d.vtd?.rid);
      expect(d.smmu?.cds.map((c) => c.ssid)).toEqual([0]);
      expect(d.vtd?.context?.mode).toBe('scalable');
      expect(d.vtd?.pasids.map((p) => [p.pasid, p.pgtt])).toEqual([[0, 'first-stage']]);
      expect(d.pasids).toEqual([0]);
      const smmuOwner = d.smmu?.cds[0]?.owner;
      expect(smmuOwner?.domain).toMatch(/^default-g\d+$/);
      expect(d.vtd?.pasids[0]?.owner).toEqual(smmuOwner);
    }
    expect(v.kernel.same).toBe(true);
    expect(v.findings).toEqual([]);
  });

  it('reads the same STE and PASID entry the engine views read from an independent run', () => {
    const v = at(session, 5);
    const vf0 = device(v, 'vf0');
    const smmu = engineAt(s, 5, 'arm-smmu-v3').smmu;
    const row = smmu ? streamTableView(smmu, vf0.smmu?.sid ?? -1, 1).stes[0] : undefined;
    expect(row?.address).toBe(vf0.smmu?.ste?.address);
    expect(row?.fields.S1ContextPtr).toBe(vf0.smmu?.ste?.fields.S1ContextPtr);
    const unit = engineAt(s, 5, 'intel-iommu').vtd;
    const ctx = unit ? vtdView(unit).roots.find((r) => r.bus === 3)?.contexts.find((c) => c.sid === vf0.vtd?.rid) : undefined;
    const entry = ctx?.pasidDirectory?.entries[0]?.entries.find((p) => p.pasid === 0);
    expect(entry?.address).toBe(vf0.vtd?.pasids[0]?.address);
    expect(entry?.fields.FLPTR).toBe(vf0.vtd?.pasids[0]?.fields.FLPTR);
    // The attached UNMANAGED domain owns CD 0 and PASID entry 0, and each points at that domain's own table.
    expect(vf0.smmu?.cds[0]?.owner).toEqual({ domain: 'user', type: 'UNMANAGED' });
    expect(vf0.vtd?.pasids[0]?.owner).toEqual({ domain: 'user', type: 'UNMANAGED' });
    expect(vf0.smmu?.cds[0]?.pgtable?.name).toBe('user');
    expect(vf0.vtd?.pasids[0]?.pgtable).toMatchObject({ name: 'user', format: 'x86-64 first-stage', mappings: 1 });
  });

  it('after the SVA bind: a CD at SSID 1 with TTB0 = the mm\'s pgd on the SMMU, PASID entry 1 with PGTT = first-stage and DID 1 on VT-d', () => {
    const v = at(session, 9);
    const acc = device(v, 'acc');
    expect(acc.pasids).toEqual([0, 1]);
    const cd = acc.smmu?.cds.find((c) => c.ssid === 1);
    const mm = engineAt(s, 9, 'arm-smmu-v3').linux?.sva?.mms.find((m) => m.name === 'mm1');
    expect(cd?.fields.TTB0).toBe(mm?.pgd);
    expect(cd?.owner).toEqual({ domain: 'sva:mm1', type: 'SVA', mm: 'mm1' });
    expect(cd?.pgtable?.name).toBe("mm1's page table (mm->pgd)");
    const pe = acc.vtd?.pasids.find((p) => p.pasid === 1);
    expect(pe?.pgtt).toBe('first-stage');
    expect(pe?.fields.DID).toBe(1n);
    expect(pe?.owner).toEqual(cd?.owner);
    expect(pe?.pgtable?.root).toBe(pe?.fields.FLPTR);
    expect(pe?.pgtable?.name).toBe("x86-64 mirror of mm1's page table");
    expect(v.kernel.smmu.pasids).toEqual([{ group: acc.group, pasid: 1, domain: 'sva:mm1', mm: 'mm1' }]);
    expect(v.kernel.same).toBe(true);
    const sva = v.differences.find((d) => d.topic === 'sva');
    expect(sva?.smmu).toContain(`CD 1 of StreamID 0x200 (SSID = PASID 1) holds ASID ${cd?.fields.ASID}`);
    expect(sva?.vtd).toContain(`PASID entry 1 (directory entry 0, index 1) has PGTT = first-stage, FLPTR = 0x${pe?.fields.FLPTR.toString(16)}`);
  });

  it('names each step\'s invalidations from what the hardware consumed: TLBI by VA on the SMMU, PASID-based IOTLB on VT-d', () => {
    const inv = at(session, 11).differences.find((d) => d.topic === 'invalidation');
    expect(inv?.smmu).toBe('The SMMU consumed CMD_TLBI_NH_VA, CMD_SYNC.');
    expect(inv?.vtd).toMatch(/^The unit processed PASID-based IOTLB invalidate \(DID 1, PASID 1, 0x401000, AM 0\); Invalidation wait/);
    const unbind = at(session, 17).differences.find((d) => d.topic === 'invalidation');
    expect(unbind?.smmu).toMatch(/CMD_CFGI_CD/);
    expect(unbind?.vtd).toMatch(/^The unit processed PASID-cache invalidate \(PASID-selective, DID 1, PASID 1\); PASID-based IOTLB invalidate \(DID 1, PASID 1\)/);
    // A step that invalidates nothing has no such row.
    expect(at(session, 6).differences.some((d) => d.topic === 'invalidation')).toBe(false);
  });

  it('after the replace to the nesting parent: Config = stage 2 with S2TTB and no CD table; PASID entry 0 second-stage with SLPTPTR', () => {
    const vf0 = device(at(session, 15), 'vf0');
    expect(vf0.smmu?.ste?.config).toBe('stage 2');
    expect(vf0.smmu?.cdTable).toBeUndefined();
    expect(vf0.smmu?.stage2).toMatchObject({ name: 's2', root: vf0.smmu?.ste?.fields.S2TTB });
    const pe = vf0.vtd?.pasids[0];
    expect(pe?.pgtt).toBe('second-stage');
    expect(pe?.pgtable).toMatchObject({ name: 's2', root: pe?.fields.SLPTPTR, format: 'VT-d second-stage' });
    expect(pe?.owner.domain).toBe('s2');
  });

  it('steps back to the same state it had on the way forward', () => {
    const forward = at(new CompareSession(s), 4);
    at(session, 17);
    expect(at(session, 4)).toEqual(forward);
    expect(session.at(99).step).toBe(s.steps.length);
  });
});

describe('the comparison where the IOMMUs part', () => {
  it('linux-nested-iommufd: the nested STE is named, the VT-d side (skipping the vIOMMU calls) has no nested domain to attach, and the kernels diverge as findings', () => {
    const s = builtin('linux-nested-iommufd');
    const v = at(new CompareSession(s), s.steps.length);
    const vf0 = device(v, 'vf0');
    expect(vf0.smmu?.ste?.config).toBe('nested');
    expect(vf0.smmu?.cdTable?.guestOwned).toBe(true);
    expect(vf0.smmu?.cds[0]?.owner.guest).toBe(true);
    expect(vf0.vtd?.pasids.some((p) => p.pgtt === 'nested')).toBe(false);
    const attach = s.steps.findIndex((st) => st.kind === 'linux.call' && st.call === 'iommu_attach_group') + 1;
    expect(v.findings.find((f) => f.step === attach)).toMatchObject({ smmu: 'iommu_attach_group returned 0', vtd: 'refused: no domain named "nested" (allocate it first, or it was freed)' });
    expect(v.skipped.some((k) => k.kind === 'iommufd_viommu_alloc' && k.skippedOn === 'vtd')).toBe(true);
    expect(v.kernel.same).toBe(false);
    expect(v.findings.some((f) => f.step === undefined && f.what === `iommu_group ${vf0.group}`)).toBe(true);
    const user = v.differences.find((d) => d.topic === 'user-pgtable');
    expect(user?.smmu).toContain(`S1ContextPtr = 0x${vf0.smmu?.ste?.fields.S1ContextPtr.toString(16)}, an IPA`);
    expect(user?.vtd).toMatch(/^No PASID entry has PGTT = nested/);
    expect(v.differences.find((d) => d.topic === 'stage2')?.smmu).toContain(`S2TTB = 0x${vf0.smmu?.ste?.fields.S2TTB.toString(16)}`);
  });

  it('a legacy-mode VT-d run: context entries carry SLPTPTR and DID, there are no PASID entries', () => {
    const s = withBoot(builtin('compare-smmu-vtd'), { iommu: 'intel-iommu', vtd: { preset: 'legacy' } });
    const v = at(new CompareSession(s), 5);
    expect(v.original).toBe('intel-iommu');
    expect(v.vtdMode).toBe('legacy');
    const vf0 = device(v, 'vf0');
    expect(vf0.vtd?.context?.mode).toBe('legacy');
    expect(vf0.vtd?.context?.fields.TT).toBe(0n);
    expect(vf0.vtd?.context?.owner?.domain).toBe('user');
    expect(vf0.vtd?.context?.pgtable).toMatchObject({ name: 'user', format: 'VT-d second-stage', root: vf0.vtd?.context?.fields.SLPTPTR });
    expect(vf0.vtd?.pasids).toEqual([]);
    expect(vf0.smmu?.cds[0]?.owner.domain).toBe('user');
  });

  it('is unavailable, with the reason, for a scenario without Linux', () => {
    const v = new CompareSession(builtin('smmu-stage1-dma')).at(2);
    expect(v).toEqual({ available: false, step: 2, reason: expect.stringMatching(/does not boot Linux/) });
  });
});
