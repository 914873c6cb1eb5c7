/**
 * The twin of a scenario on the other IOMMU: linux.boot flipped, the other
 * steps kept, hardware-specific steps skipped on the side that has no such
 * hardware, so step numbers stay aligned.
 */
import { describe, expect, it } from 'vitest';
import { scenarioToCommands } from '../../../src/scenario/index.ts';
import { buildTwin, flipBoot } from '../../../src/worker/compare-twin.ts';
import { builtin, withBoot } from './helpers.ts';

describe('buildTwin', () => {
  it('runs an SMMU scenario as written on the SMMU side and with linux.boot on intel-iommu on the other', () => {
    const s = builtin('compare-smmu-vtd');
    const plan = buildTwin(s);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.original).toBe('arm-smmu-v3');
    // Its nested part makes the guest's domain both ways: each side skips the other IOMMU's uAPI and smmu.writeCd.
    const only = (call: string) => s.steps.findIndex((st) => st.kind === 'linux.call' && st.call === call) + 1;
    expect(plan.skipped.map((k) => [k.step, k.kind, k.skippedOn])).toEqual([
      [only('iommufd_hwpt_nested_alloc'), 'iommufd_hwpt_nested_alloc', 'smmu'],
      [only('iommufd_viommu_alloc'), 'iommufd_viommu_alloc', 'vtd'],
      [s.steps.findIndex((st) => st.kind === 'smmu.writeCd') + 1, 'smmu.writeCd', 'vtd'],
      [only('iommufd_vdevice_alloc'), 'iommufd_vdevice_alloc', 'vtd'],
      [only('iommufd_viommu_alloc_hwpt_nested'), 'iommufd_viommu_alloc_hwpt_nested', 'vtd'],
    ]);
    const skippedOn = (side: 'smmu' | 'vtd') => new Set(plan.skipped.filter((k) => k.skippedOn === side).map((k) => k.step - 1));
    expect(plan.smmu).toEqual(scenarioToCommands(s).map((c, i) => (skippedOn('smmu').has(i) ? null : c)));
    expect(plan.vtd).toHaveLength(s.steps.length);
    const boot = plan.vtd[0];
    expect(boot?.kind === 'linux.boot' && boot.iommu).toBe('intel-iommu');
    expect(boot?.kind === 'linux.boot' && 'smmu' in boot).toBe(false);
    // Every other step is the very same command on both sides.
    const shared = (cs: typeof plan.smmu) => cs.filter((_c, i) => i > 0 && !skippedOn('smmu').has(i) && !skippedOn('vtd').has(i));
    expect(shared(plan.vtd)).toEqual(shared(plan.smmu));
    expect(shared(plan.vtd)).toHaveLength(s.steps.length - 1 - plan.skipped.length);
  });

  it('skips smmu.* steps and arm-smmu-v3\'s iommufd calls on the VT-d side, at their own step numbers, and says why', () => {
    const s = builtin('linux-nested-iommufd');
    const plan = buildTwin(s);
    if (!plan.ok) throw new Error(plan.reason);
    const smmuSteps = s.steps.flatMap((st, i) => (st.kind.startsWith('smmu.') || (st.kind === 'linux.call' && st.call.startsWith('iommufd_v')) ? [i] : []));
    expect(smmuSteps.length).toBeGreaterThan(3);
    for (const i of smmuSteps) {
      expect(plan.vtd[i]).toBeNull();
      expect(plan.smmu[i]).not.toBeNull();
    }
    const named = (i: number) => { const st = s.steps[i]; return st?.kind === 'linux.call' ? st.call : st?.kind; };
    expect(plan.skipped.map((k) => [k.step, k.kind, k.skippedOn])).toEqual(smmuSteps.map((i) => [i + 1, named(i), 'vtd']));
    expect(plan.skipped.find((k) => k.kind === 'smmu.writeCd')?.why).toMatch(/programs the SMMU itself/);
    expect(plan.skipped.find((k) => k.kind === 'iommufd_viommu_alloc')?.why).toMatch(/^iommufd_viommu_alloc is arm-smmu-v3's iommufd uAPI/);
    // The calls both drivers have run on both sides.
    const attach = s.steps.findIndex((st) => st.kind === 'linux.call' && st.call === 'iommu_attach_group');
    expect(plan.vtd[attach]).toEqual(plan.smmu[attach]);
  });

  it('runs an intel-iommu scenario as written on the VT-d side and flips it back to arm-smmu-v3, dropping its VT-d unit', () => {
    const s = withBoot(builtin('compare-smmu-vtd'), { iommu: 'intel-iommu', vtd: { preset: 'legacy' } });
    const plan = buildTwin(s);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.original).toBe('intel-iommu');
    const skippedOnVtd = new Set(plan.skipped.filter((k) => k.skippedOn === 'vtd').map((k) => k.step - 1));
    expect(skippedOnVtd.size).toBe(4);
    expect(plan.vtd).toEqual(scenarioToCommands(s).map((c, i) => (skippedOnVtd.has(i) ? null : c)));
    const boot = plan.smmu[0];
    expect(boot?.kind).toBe('linux.boot');
    if (boot?.kind !== 'linux.boot') return;
    expect(boot.iommu).toBeUndefined();
    expect(boot.vtd).toBeUndefined();
    expect(boot.devices).toEqual(plan.vtd[0]?.kind === 'linux.boot' ? plan.vtd[0].devices : undefined);
  });

  it('keeps the SMMU setup of a boot flipped to SMMU and the VT-d setup of a boot flipped to VT-d', () => {
    const boot = { kind: 'linux.boot', devices: [{ name: 'a', bdf: '01:00.0' }], defaultDomainType: 'DMA_FQ', smmu: { preset: 'qemu' } } as const;
    expect(flipBoot(boot, 'intel-iommu')).toEqual({ kind: 'linux.boot', devices: boot.devices, defaultDomainType: 'DMA_FQ', iommu: 'intel-iommu' });
    expect(flipBoot({ ...boot, iommu: 'intel-iommu', vtd: { preset: 'scalable' } }, 'arm-smmu-v3')).toEqual(boot);
  });

  it('has no twin for a scenario that does not boot Linux', () => {
    const plan = buildTwin(builtin('walk-4k-page'));
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.reason).toMatch(/no linux\.boot step/);
  });
});
