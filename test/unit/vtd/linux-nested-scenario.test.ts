/**
 * The built-in nested lesson for arm-smmu-v3 (linux-nested-iommufd), run as
 * a scenario file, and the same host-side call sequence on intel-iommu,
 * where only the user data differs: on the SMMU the guest owns a CD table
 * and hands over a vSTE through a vIOMMU; on VT-d it hands over the GPA of
 * one first-stage table (struct iommu_hwpt_vtd_s1) on the nesting parent.
 * Both land the guest's DMA on the same host page; on VT-d the guest's
 * later table change stays invisible until its invalidation is passed on.
 */
import { describe, expect, it } from 'vitest';
import { builtinScenario, parseScenario, runScenario, type Scenario, type StepResult } from '../../../src/scenario/index.ts';

/** The guest's x86-64 first-stage table, written by the guest in its own RAM: GPA 0x1002_0000.. is PA 0x8_0002_0000.. */
const GUEST_FS_GPA = 0x1002_0000n;
const pa = (gpa: bigint) => gpa - 0x1000_0000n + 0x8_0000_0000n;
const hex = (v: bigint) => `0x${v.toString(16)}`;
/** P, R/W, U/S: Linux's DMA requests without PASID are user requests. */
const PRESENT_RW_USER = 0x7n;

const GUEST_WRITES_ITS_TABLE = [0, 1, 2].map((level) => ({
  kind: 'memory.write', address: hex(pa(GUEST_FS_GPA + BigInt(level) * 0x1000n)), value: hex(GUEST_FS_GPA + BigInt(level + 1) * 0x1000n | PRESENT_RW_USER),
  note: 'The guest links its next table level, by GPA.',
})).concat([{ kind: 'memory.write', address: hex(pa(GUEST_FS_GPA + 0x3000n) + 8n), value: hex(0x1000_0000n | PRESENT_RW_USER), note: 'PTE 1: IOVA 0x1000 -> GPA 0x1000_0000.' }]);

const SMMU_ONLY = new Set(['pgtable.create', 'pgtable.map', 'smmu.writeCd']);
const SMMU_CALLS = new Set(['iommufd_viommu_alloc', 'iommufd_vdevice_alloc', 'iommufd_viommu_alloc_hwpt_nested']);

/** The SMMU lesson's steps with the guest's SMMU side swapped for the VT-d user data, on an intel-iommu boot. */
function onVtd(smmu: Scenario): Scenario {
  const steps: unknown[] = [];
  for (const step of smmu.steps) {
    if (SMMU_ONLY.has(step.kind) || (step.kind === 'linux.call' && SMMU_CALLS.has(step.call))) continue;
    if (step.kind === 'linux.boot') {
      steps.push({ ...step, iommu: 'intel-iommu' });
      continue;
    }
    if (step.kind === 'linux.call' && step.call === 'iommu_attach_group') {
      steps.push(...GUEST_WRITES_ITS_TABLE, {
        kind: 'linux.call', call: 'iommufd_hwpt_nested_alloc',
        args: { name: 'nested', parent: 's2', dev: 'vf0', pgtblAddr: hex(GUEST_FS_GPA), addrWidth: 48 },
        note: 'IOMMU_HWPT_ALLOC on the nesting parent with IOMMU_HWPT_DATA_VTD_S1: the guest\'s first-stage table is GPA 0x1002_0000.',
      });
    }
    steps.push(step);
  }
  const r = parseScenario({ ...smmu, title: `${smmu.title} (intel-iommu)`, steps });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}

const dmas = (results: StepResult[]) => results.flatMap((r) => (r.kind === 'linux.dma' && !('error' in r) ? [[r.landed, 'output' in r ? r.output : undefined]] : []));
const calls = (results: StepResult[]) => results.flatMap((r) => (r.kind === 'linux.call' && !('error' in r) ? [[r.call, r.returned]] : []));

describe('one nested lesson, two IOMMUs', () => {
  const smmu = builtinScenario('linux-nested-iommufd');
  if (!smmu) throw new Error('no built-in linux-nested-iommufd');
  const onSmmu = [...runScenario(smmu)];
  const vtd = onVtd(smmu);
  const onIntel = [...runScenario(vtd, { trace: true })];

  it('runs on both without a refused step, and with no findings', () => {
    expect(onSmmu.filter((r) => 'error' in r)).toEqual([]);
    expect(onIntel.filter((r) => 'error' in r)).toEqual([]);
    expect(onIntel.flatMap((r) => ('findings' in r && r.findings ? r.findings : []))).toEqual([]);
  });

  it('the host-side calls they share return the same; the user data goes through a vIOMMU on one and the nesting parent on the other', () => {
    const shared = (c: unknown[]) => !SMMU_CALLS.has(c[0] as string) && c[0] !== 'iommufd_hwpt_nested_alloc';
    expect(calls(onIntel).filter(shared)).toEqual(calls(onSmmu).filter(shared));
    expect(calls(onSmmu).filter((c) => SMMU_CALLS.has(c[0] as string))).toEqual([
      ['iommufd_viommu_alloc', '0'], ['iommufd_vdevice_alloc', '0'], ['iommufd_viommu_alloc_hwpt_nested', '-EIO'], ['iommufd_viommu_alloc_hwpt_nested', '0'],
    ]);
    expect(calls(onIntel).filter((c) => c[0] === 'iommufd_hwpt_nested_alloc')).toEqual([['iommufd_hwpt_nested_alloc', '0']]);
  });

  it('the guest\'s DMA lands on the same host page on both, and its unmapped IOVA is refused on both', () => {
    expect(dmas(onIntel)).toEqual(dmas(onSmmu));
    expect(dmas(onIntel)[0]).toEqual(['domain', '0x800000008']);
    expect(dmas(onIntel)[1]?.[0]).toBe('blocked');
  });

  it('on VT-d the attach writes one nested PASID entry (RID_PASID) and no invalidation: the PASID table stays the host\'s', () => {
    const attach = onIntel.find((r) => r.kind === 'linux.call' && !('error' in r) && r.call === 'iommu_attach_group');
    const trace: readonly string[] = attach?.kind === 'linux.call' && !('error' in attach) ? attach.trace?.hw ?? [] : [];
    expect(trace.filter((t) => t.includes('intel_pasid_setup_nested'))).toHaveLength(1);
    expect(trace.some((t) => /IOTLB|PASID-cache/.test(t))).toBe(false);
  });

  it('a guest table change after the DMA is stale until the guest\'s invalidation is passed on (IOMMU_HWPT_INVALIDATE)', () => {
    const more = parseScenario({
      ...vtd,
      steps: [
        ...vtd.steps,
        { kind: 'memory.write', address: hex(pa(GUEST_FS_GPA + 0x3000n) + 8n), value: hex(0x1000_1000n | PRESENT_RW_USER), note: 'The guest points IOVA 0x1000 at its next page.' },
        { kind: 'linux.dma', device: 'vf0', iova: '0x1008', access: 'read' },
        { kind: 'linux.call', call: 'iommufd_hwpt_invalidate', args: { domain: 'nested', addr: '0x1000', npages: '0x1', leaf: true } },
        { kind: 'linux.dma', device: 'vf0', iova: '0x1008', access: 'read' },
      ],
    });
    if (!more.ok) throw new Error(JSON.stringify(more.errors));
    const results = [...runScenario(more.scenario)];
    expect(results.filter((r) => 'error' in r)).toEqual([]);
    expect(dmas(results).slice(2)).toEqual([['domain', '0x800000008'], ['domain', '0x800001008']]);
    expect(calls(results).at(-1)).toEqual(['iommufd_hwpt_invalidate', '0']);
  });
});
