/**
 * The Linux lessons on the layers above the core (SVA, the DMA API's flush
 * queue, MSI doorbells), run on the real engine, against results worked out
 * by hand from the kernel's rules and the scenario files.
 */
import { describe, expect, it } from 'vitest';
import { Engine, type EngineEvent, parseU64 } from '../../../src/engine/index.ts';
import { builtinScenario, engineOptionsOf, type Scenario, type StepResult, stepResult, stepToCommand } from '../../../src/scenario/index.ts';

function run(id: string) {
  const s = builtinScenario(id);
  if (!s) throw new Error(`no built-in ${id}`);
  const engine = new Engine(engineOptionsOf(s));
  const events: EngineEvent[][] = s.steps.map((step) => engine.apply(stepToCommand(step)));
  const lines: StepResult[] = s.steps.map((step, i) => stepResult(i, step, events[i] ?? []));
  const line = (i: number) => lines[i] as unknown as Record<string, unknown>;
  const ops = (i: number) => events[i]?.flatMap((e) => (e.kind === 'linux.called' ? e.hw.flatMap((h) => (h.kind === 'commands' ? h.consumed.map((c) => c.command?.op) : [])) : [])) ?? [];
  return { s, lines, line, ops };
}

const stepOf = (s: Scenario, test: (step: Scenario['steps'][number]) => boolean, nth = 0) => s.steps.flatMap((x, i) => (test(x) ? [i] : []))[nth] as number;
const callOf = (name: string, nth = 0) => (s: Scenario) => stepOf(s, (x) => x.kind === 'linux.call' && x.call === name, nth);
const hex = (v: bigint) => `0x${v.toString(16)}`;
const argOf = (s: Scenario, i: number, name: string) => {
  const x = s.steps[i];
  if (x?.kind !== 'linux.call') throw new Error(`step ${i} is not a call`);
  return parseU64(x.args[name] as string);
};

describe('linux-sva-bind', () => {
  const r = run('linux-sva-bind');
  const { s, line } = r;
  const bind = callOf('iommu_sva_bind_device')(s);
  const handle = 'sva:acc:mm1';

  it('runs without a refusal', () => expect(r.lines.filter((l) => 'error' in l)).toEqual([]));

  it('bind: PASID 1 (the first of the global space) in pasid_array, CD 1 written; binding again is the same bond, nothing written', () => {
    expect(line(bind)).toMatchObject({ returned: handle, groups: [{ id: 1, domain: 'default-g1', pasid_array: [1] }], hw: { ste: 0, cd: 1 } });
    expect(line(bind + 1)).toMatchObject({ returned: handle, hw: { ste: 0, cd: 0, stores: 0, commands: 0 } });
    expect(line(callOf('iommu_sva_get_pasid')(s))).toMatchObject({ returned: '1' });
  });

  it('the device reaches the process\'s memory at the process\'s own virtual address, through the CPU\'s page table', () => {
    const map = callOf('mm_map')(s);
    const dma = stepOf(s, (x) => x.kind === 'linux.dma');
    const pa = argOf(s, map, 'paddr') + (0x40_1010n - argOf(s, map, 'va'));
    expect(line(dma)).toMatchObject({ landed: 'domain', ssid: 1, output: hex(pa), config: 'stage 1' });
  });

  it('the CPU\'s unmap invalidates the SMMU\'s TLB through the mmu notifier; the next read faults', () => {
    const unmap = callOf('mm_unmap')(s);
    expect(r.ops(unmap)).toEqual(['CMD_TLBI_NH_VA', 'CMD_SYNC']);
    expect(line(unmap + 1)).toMatchObject({ landed: 'blocked', tlb: 'miss', event: { name: 'F_TRANSLATION', SSV: 1, SubstreamID: 1 } });
  });

  it('one unbind of two keeps the bond; the exit silences CD 1 (EPD0 = 1) and invalidates the ASID; the last unbind clears CD 1', () => {
    const unbind = callOf('iommu_sva_unbind_device')(s);
    expect(line(unbind)).toMatchObject({ returned: '0', hw: { cd: 0, commands: 0 } });
    const exit = callOf('mm_exit')(s);
    expect(line(exit)).toMatchObject({ groups: [{ pasid_array: [1] }], hw: { cd: 1 } });
    expect(r.ops(exit)).toContain('CMD_TLBI_NH_ASID');
    expect(line(exit + 1)).toMatchObject({ landed: 'blocked', walkReads: 0, event: { name: 'F_TRANSLATION' } });
    const last = callOf('iommu_sva_unbind_device', 1)(s);
    expect(line(last)).toMatchObject({ returned: '0', groups: [{ id: 1, domain: 'default-g1' }], hw: { cd: 1 } });
    expect(line(last)).not.toHaveProperty('groups.0.pasid_array');
  });
});

describe('linux-dma-api-fq', () => {
  const r = run('linux-dma-api-fq');
  const { s, line } = r;
  // The first 4KB IOVA of a 32-bit dma_mask, allocated top down.
  const first = (1n << 32n) - 0x1000n;

  it('the DMA API hands out the top 4KB of the 32-bit space first, in each default domain', () => {
    expect(line(callOf('dma_map_single')(s))).toMatchObject({ returned: hex(first), groups: [{ id: 1, type: 'DMA_FQ' }] });
    expect(line(callOf('dma_map_single', 1)(s))).toMatchObject({ returned: hex(first), groups: [{ id: 3, type: 'DMA' }] });
  });

  it('DMA_FQ: the unmap sends no command, a late write still reaches the buffer (stale), the timer\'s flush ends it', () => {
    const unmap = callOf('dma_unmap_single')(s);
    const pa = argOf(s, callOf('dma_map_single')(s), 'paddr') + 0x10n;
    expect(r.ops(unmap)).toEqual([]);
    expect(line(unmap + 1)).toMatchObject({ landed: 'stale', tlb: 'hit', output: hex(pa) });
    expect(r.ops(callOf('fq_flush_timeout')(s))).toEqual(['CMD_TLBI_NH_ASID', 'CMD_SYNC']);
    expect(line(callOf('fq_flush_timeout')(s) + 1)).toMatchObject({ landed: 'blocked', event: { name: 'F_TRANSLATION' } });
  });

  it('strict DMA: the unmap invalidates before it returns, and the next read faults', () => {
    const unmap = callOf('dma_unmap_single', 1)(s);
    expect(r.ops(unmap)).toEqual(['CMD_TLBI_NH_VA', 'CMD_SYNC']);
    expect(line(unmap + 1)).toMatchObject({ landed: 'blocked', tlb: 'miss' });
  });
});

describe('linux-msi-doorbell', () => {
  const r = run('linux-msi-doorbell');
  const { s, line } = r;
  const doorbell = argOf(s, callOf('iommu_dma_prepare_msi')(s), 'msiAddr');
  const offset = doorbell & 0xfffn;

  it('lists arm-smmu-v3\'s software MSI window as sysfs prints it', () => {
    expect(line(callOf('iommu_get_group_resv_regions')(s))).toMatchObject({ returned: '0x0000000008000000 0x00000000080fffff msi' });
  });

  it('on the DMA domain the doorbell page gets an IOVA from the allocator; only that page reaches it', () => {
    const prep = callOf('iommu_dma_prepare_msi')(s);
    const iova = (1n << 32n) - 0x1000n + offset;
    expect(line(prep)).toMatchObject({ returned: hex(iova) });
    expect(line(prep + 1)).toMatchObject({ landed: 'domain', output: hex(doorbell) });
    expect(line(prep + 2)).toMatchObject({ landed: 'blocked' });
  });

  it('on VFIO\'s domain with an MSI cookie the doorbell is at the window\'s base, reachable only there, and user space cannot map over it', () => {
    const prep = callOf('iommu_dma_prepare_msi', 1)(s);
    const base = argOf(s, callOf('iommu_get_msi_cookie')(s), 'base');
    expect(line(prep)).toMatchObject({ returned: hex(base + offset) });
    expect(line(prep + 1)).toMatchObject({ landed: 'domain', domain: 'vfio-dom', output: hex(doorbell) });
    expect(line(prep + 2)).toMatchObject({ landed: 'blocked' });
    expect(line(callOf('iommu_map')(s))).toMatchObject({ returned: '-EEXIST' });
  });
});
