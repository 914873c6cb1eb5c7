/**
 * compare-smmu-vtd ends with a guest's own page table nested on the stage-2
 * parent, made the arm-smmu-v3 way (vIOMMU + vSTE, the guest's CD table and
 * Arm table) and the intel-iommu way (IOMMU_HWPT_DATA_VTD_S1, the guest's
 * x86-64 table) under one name, then attached by one call both run. Both
 * columns must show the guest-owned structure and the guest's DMA must land
 * on the same host page.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario } from '../../../src/scenario/index.ts';
import { CompareSession } from '../../../src/worker/compare-session.ts';
import { builtin } from './helpers.ts';

const scenario = builtin('compare-smmu-vtd');
const stepOf = (call: string, from = 0) => scenario.steps.findIndex((s, i) => i >= from && s.kind === 'linux.call' && s.call === call) + 1;

describe('the nested part of compare-smmu-vtd', () => {
  const attach = stepOf('iommu_group_replace_domain', stepOf('iommufd_viommu_alloc_hwpt_nested'));
  const session = new CompareSession(scenario);

  it('runs alone on arm-smmu-v3 without a refused step; only the intel-iommu uAPI call is refused, with -EOPNOTSUPP', () => {
    const results = [...runScenario(scenario)];
    expect(results.filter((r) => 'error' in r)).toEqual([]);
    const refused = results.flatMap((r) => (r.kind === 'linux.call' && !('error' in r) && r.returned.startsWith('-') ? [[r.call, r.returned]] : []));
    expect(refused).toEqual([['iommufd_hwpt_nested_alloc', '-EOPNOTSUPP']]);
  });

  it('before the attach no column is nested; after it both are, with no finding', () => {
    const before = session.at(attach - 1);
    if (!before.available) throw new Error(before.reason);
    expect(before.differences.map((d) => d.topic)).not.toContain('user-pgtable');
    const after = session.at(attach);
    if (!after.available) throw new Error(after.reason);
    expect(after.findings).toEqual([]);
    const vf0 = after.devices.find((d) => d.name === 'vf0');
    expect(vf0?.smmu?.ste?.config).toBe('nested');
    expect(vf0?.smmu?.cdTable).toMatchObject({ address: 0x1001_0000n, guestOwned: true });
    expect(vf0?.smmu?.cds[0]?.owner.guest).toBe(true);
    expect(vf0?.smmu?.cds[0]?.fields.TTB0).toBe(0x1002_0000n);
    const entry0 = vf0?.vtd?.pasids.find((p) => p.pasid === 0);
    expect(entry0?.pgtt).toBe('nested');
    expect(entry0?.fields.FLPTR).toBe(0x1004_0000n);
    expect(entry0?.owner.guest).toBe(true);
  });

  it('the Differences name where the user table attaches, what the guest owns and what stage 2 translates, from the state', () => {
    const after = session.at(attach);
    if (!after.available) throw new Error(after.reason);
    const byTopic = new Map(after.differences.map((d) => [d.topic, d]));
    expect(byTopic.get('user-pgtable')?.smmu).toMatch(/Config = nested and S1ContextPtr = 0x10010000.*whole RID/);
    expect(byTopic.get('user-pgtable')?.vtd).toMatch(/PASID entry 0 has PGTT = nested and FLPTR = 0x10040000.*PASID 0 only/);
    expect(byTopic.get('guest-owns')?.smmu).toMatch(/CD table at IPA 0x10010000.*TTB0 = 0x10020000/);
    expect(byTopic.get('guest-owns')?.vtd).toMatch(/only the first-stage tables \(FLPTR = 0x10040000/);
    expect(byTopic.get('stage2')?.smmu).toMatch(/S2TTB = .*every CD fetch/);
    expect(byTopic.get('stage2')?.vtd).toMatch(/SLPTPTR = .*first-stage table walks/);
  });

  it('the guest\'s DMA through its own table lands on the same host page on both', () => {
    const dma = session.at(attach + 1);
    if (!dma.available) throw new Error(dma.reason);
    expect(dma.findings).toEqual([]);
    const smmuRun = [...runScenario(scenario)].at(attach);
    expect(smmuRun).toMatchObject({ kind: 'linux.dma', landed: 'domain', output: '0x800000008' });
  });

  it('a scenario may name one nested domain by both uAPIs only with the intel-iommu call first', () => {
    const nestedAt = stepOf('iommufd_hwpt_nested_alloc') - 1;
    const vsteAt = stepOf('iommufd_viommu_alloc_hwpt_nested') - 1;
    const steps = [...scenario.steps];
    const [vtdCall] = steps.splice(nestedAt, 1);
    steps.splice(vsteAt, 0, vtdCall as (typeof steps)[number]);
    const swapped = parseScenario({ ...scenario, steps });
    expect(swapped.ok).toBe(false);
    if (!swapped.ok) expect(swapped.errors.map((e) => e.message).join(' ')).toMatch(/"nested" is already the name of a domain/);
  });
});
