/**
 * What the runner prints for the Linux steps and how the timeline labels
 * them: the call's return as the kernel prints it, the group it left,
 * counted hardware writes, in-flight DMA and findings; an engine refusal as
 * an error line; and arguments of calls the table does not list read by
 * their names. Also the CLI on a Linux built-in, as a user runs it.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.ts';
import { callArgs } from '../../../src/scenario/commands-linux.ts';
import { parseScenario, runScenario, type Scenario, stepLabel, stepLabelAfter, stepToCommand } from '../../../src/scenario/index.ts';

const doc = (...steps: unknown[]): Scenario => {
  const r = parseScenario({ format: 'iommu-visualizer-scenario', version: 1, title: 'Linux', steps });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
};

const BOOT = { kind: 'linux.boot', devices: [{ name: 'rp0', bdf: '00:01.0', type: 'root-port', acs: true }, { name: 'A', bdf: '01:00.0', parent: 'rp0', driver: 'nvme' }] };
const call = (name: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ kind: 'linux.call', call: name, args, ...extra });

describe('result lines', () => {
  const s = doc(
    BOOT,
    call('iommu_paging_domain_alloc', { dev: 'A', name: 'U' }),
    call('iommu_attach_group', { domain: 'U', group: 'A' }),
    call('iommu_map', { domain: 'U', iova: '0x1000', paddr: '0x8_0000_0000', size: '0x2000', prot: 'rw' }),
    call('iommu_unmap', { domain: 'U', iova: '0x1000', size: '0x1000' }),
    call('iommu_device_unuse_default_domain', { dev: 'A' }),
    call('iommu_group_claim_dma_owner', { group: 1, owner: 'vfio' }, { inflight: [{ device: 'A', iova: '0x2000', access: 'read', at: 0 }] }),
    { kind: 'linux.dma', device: 'A', iova: '0x2010', access: 'read' },
    call('iommu_domain_free', { domain: 'default-g7' }),
  );
  const lines = [...runScenario(s, { trace: true })] as unknown as Record<string, unknown>[];

  it('boot: the devices with their StreamIDs and groups, the groups by struct iommu_group\'s field names, the drivers', () => {
    expect(lines[0]).toMatchObject({
      step: 0, kind: 'linux.boot', smmu: { preset: 'full' },
      devices: [{ device: 'rp0', returned: '0', group: 0, streamIds: [0x08] }, { device: 'A', returned: '0', group: 1, streamIds: [0x100] }],
      groups: [{ id: 0, devices: ['rp0'] }, { id: 1, devices: ['A'], domain: 'default-g1', type: 'DMA', default_domain: 'default-g1', owner: null, owner_cnt: 1 }],
      drivers: [{ device: 'A', driver: 'nvme', returned: '0' }],
    });
  });

  it('a call: what it returned, the group it named, its hardware writes counted; --trace lists them', () => {
    expect(lines[2]).toMatchObject({ kind: 'linux.call', call: 'iommu_attach_group', returned: '0', groups: [{ id: 1, domain: 'U', type: 'UNMANAGED' }], hw: { ste: 1, cd: 1 } });
    // From the default domain's CD (ASID 2) to U's (ASID 3): ASID and TTB0 change together, so V is cleared first.
    expect((lines[2]?.trace as { hw: string[] }).hw[0]).toMatch(/^CD 0 of StreamID 0x100 \(A\): \d stores?, \d syncs?, V cleared first — arm_smmu_make_s1_cd: CD 0 of A -> U/);
    expect(lines[3]).toMatchObject({ call: 'iommu_map', returned: '0', groups: [] });
    // iommu_unmap returns the bytes unmapped, as the kernel prints a size_t.
    expect(lines[4]).toMatchObject({ call: 'iommu_unmap', returned: '0x1000', value: '0x1000' });
    // -EBUSY: the group is not on its default domain (a kernel driver attached U); owner_cnt is 0 after the unuse.
    expect(lines[6]).toMatchObject({ call: 'iommu_group_claim_dma_owner', returned: '-EBUSY', groups: [{ id: 1, domain: 'U', owner: null }] });
    expect(lines[6]).not.toHaveProperty('checkpoints');
  });

  it('a DMA: the StreamID it carried, where it landed, the SMMU\'s result', () => {
    expect(lines[7]).toMatchObject({ kind: 'linux.dma', device: 'A', sid: 0x100, group: 1, domain: 'U', landed: 'domain', result: 'translated', output: '0x800001010' });
  });

  it('an engine refusal is the step\'s error line, naming the field', () => {
    expect(lines[8]).toMatchObject({ step: 8, kind: 'linux.call', error: expect.stringMatching(/default-g7/) });
  });

  it('in-flight DMA and findings appear on the call\'s line', () => {
    const s2 = doc(BOOT, call('iommu_device_unuse_default_domain', { dev: 'A' }),
      call('iommu_group_claim_dma_owner', { group: 'A', owner: 'vfio' }, { inflight: [{ device: 'A', iova: '0x0', access: 'read', at: 0 }] }),
      call('iommu_domain_free', { domain: 'default-g1' }));
    const [, , claim, free] = [...runScenario(s2)] as unknown as Record<string, unknown>[];
    expect(claim).toMatchObject({ returned: '0', inflight: [{ checkpoint: 0, device: 'A', sid: 0x100, iova: '0x0' }] });
    expect(free).toMatchObject({ findings: [{ rule: 'free-while-attached', message: expect.stringContaining('default-g1') }] });
  });
});

describe('labels', () => {
  const s = doc(
    BOOT,
    call('iommu_map', { domain: 'default-g1', iova: '0x1000', paddr: '0x8_0000_0000', size: '0x20_0000', prot: 'rw' }),
    call('iommu_group_claim_dma_owner', { group: 'A', owner: 'vfio' }, { inflight: [{ device: 'A', iova: '0x1000', access: 'read' }] }),
    call('iommu_group_replace_domain', { group: 1, domain: null }),
    { kind: 'linux.dma', device: 'A', iova: '0x1000', access: 'write' },
  );

  it('before a step runs: the call as the kernel reads, with grouped hex and sizes', () => {
    expect(s.steps.map(stepLabel)).toEqual([
      'boot Linux: 2 PCI devices, DMA default domains',
      'iommu_map(default-g1, 0x1000, 0x8_0000_0000, 2MB, rw)',
      'iommu_group_claim_dma_owner(A, "vfio") with 1 DMA in flight',
      'iommu_group_replace_domain(group 1, NULL)',
      'DMA from A: write 0x1000',
    ]);
  });

  it('after it ran: the return value, the groups formed, where the DMA went', () => {
    const engine = new Engine();
    const after = s.steps.map((step) => stepLabelAfter(step, engine.apply(stepToCommand(step))));
    expect(after).toEqual([
      'boot Linux: 2 PCI devices, 2 groups, DMA default domains',
      'iommu_map(default-g1, 0x1000, 0x8_0000_0000, 2MB, rw) = 0',
      // nvme is bound: owner_cnt 1.
      'iommu_group_claim_dma_owner(A, "vfio") = -EPERM with 1 DMA in flight',
      'iommu_group_replace_domain(group 1, NULL) = -EINVAL',
      'DMA from A: write 0x1000 → through default-g1',
    ]);
  });
});

describe('calls the table does not list', () => {
  it('read each argument by its name\'s role elsewhere in the table: iova is hex, prot letters, names stay', () => {
    expect(callArgs({ call: 'iommu_future_call', args: { dev: 'A', iova: '0x10', prot: 'r', count: 3 } })).toEqual({
      dev: 'A', iova: 0x10n, prot: { read: true, write: false, exec: false, priv: false }, count: 3,
    });
  });
});

describe('the CLI on a Linux built-in', { timeout: 60_000 }, () => {
  it('prints one line per step and exits 0', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const r = spawnSync('npx', ['tsx', 'src/cli/scenario.ts', 'src/scenario/builtin/linux-replace-domain.json'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.kind)).toEqual(['linux.boot', ...Array(6).fill('linux.call'), 'linux.dma', 'linux.call', 'linux.dma', 'linux.call', 'linux.call']);
    expect(lines.filter((l) => 'error' in l)).toEqual([]);
  });
});
