/** Limits on untrusted scenarios, enforced by parseScenario for every way in; each refusal names the limit and the place. */
import { describe, expect, it } from 'vitest';
import { builtinScenarios, parseScenario, parseScenarioText } from '../../../src/scenario/index.ts';
import { LIMITS, estimatedEntries } from '../../../src/scenario/limits.ts';

const base = { format: 'iommu-visualizer-scenario', version: 1, title: 'Limits' };
const create = { kind: 'pgtable.create', name: 'd', TG0: 0, T0SZ: 16, IPS: 6 };
const map = (over: Record<string, unknown>) => ({ kind: 'pgtable.map', table: 'd', iova: '0x0', paddr: '0x0', size: '0x1000', prot: 'rw', ...over });

function errors(doc: unknown) {
  const r = parseScenario(doc);
  return r.ok ? [] : r.errors;
}

describe('scenario limits', () => {
  it('every built-in is well inside them', () => {
    for (const b of builtinScenarios) expect(parseScenario(b.scenario).ok).toBe(true);
  });

  it('a document larger than 1 MiB, as text or as a value', () => {
    const huge = { ...base, description: 'x', steps: [create], $schema: 'y'.repeat(LIMITS.documentSize) };
    expect(errors(huge)).toEqual([{ path: '', message: 'is larger than 1,048,576 characters of JSON, the most a scenario may be' }]);
    const text = JSON.stringify(huge);
    const r = parseScenarioText(text);
    expect(!r.ok && r.errors[0]?.message).toBe(`the text is ${text.length.toLocaleString('en-US')} characters; a scenario may be at most 1,048,576`);
  });

  it('nesting deeper than 32, at its path', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    const [issue] = errors({ ...base, steps: [{ kind: 'linux.call', call: 'iommu_map', args: { domain: deep } }] });
    expect(issue?.message).toBe('is nested 32 levels deep; a scenario nests at most 32 objects and arrays inside one another');
    expect(issue?.path).toMatch(/^steps\[0\]\.args\.domain(\[0\])+$/);
  });

  it('a cyclic value cannot hang it', () => {
    const cyclic: Record<string, unknown> = { ...base, steps: [] };
    (cyclic.steps as unknown[]).push(cyclic);
    expect(errors(cyclic)[0]?.message).toMatch(/nested 32 levels deep/);
  });

  it('more than 10,000 steps', () => {
    expect(errors({ ...base, steps: Array.from({ length: 10_001 }, () => ({ kind: 'walk' })) })).toEqual([{ path: 'steps', message: 'has 10,001 steps; a scenario may have at most 10,000' }]);
  });

  it('a mapping that would write too many descriptors, with the reason', () => {
    // iova and paddr differ in bit 12, so only 4KB pages fit: 2^28 / 2^12 = 65,536 pages, plus the ends.
    const [issue] = errors({ ...base, steps: [create, map({ paddr: '0x1000', size: '0x1000_0000' })] });
    expect(issue).toEqual({ path: 'steps[1].size', message: 'maps about 65,542 descriptors; one step may make at most 65,536 (align the IOVA and PA alike for larger blocks, or map less)' });
    // The same size aligned alike goes in 2MB blocks: fine.
    expect(errors({ ...base, steps: [create, map({ size: '0x1000_0000' })] })).toEqual([]);
  });

  it('many mappings add up', () => {
    const steps = [create, ...Array.from({ length: 9 }, (_, i) => map({ iova: `0x${(i * 0x1000_0000).toString(16)}`, paddr: '0x1000', size: '0x7ff_0000' }))];
    const found = errors({ ...base, steps });
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(/^brings the scenario to about 2\d\d,\d\d\d mapped descriptors; a scenario may make at most 262,144$/);
  });

  it('more than 4,096 mappings', () => {
    const steps = [create, ...Array.from({ length: 4_097 }, (_, i) => map({ iova: `0x${(i * 0x1000).toString(16)}`, paddr: `0x${(i * 0x1000).toString(16)}` }))];
    expect(errors({ ...base, steps })).toEqual([{ path: 'steps[4097]', message: 'is mapping number 4,097; a scenario may map at most 4,096 times' }]);
  });

  it('physical addresses beyond 52 bits, with and without their size', () => {
    expect(errors({ ...base, steps: [create, map({ paddr: '0x10_0000_0000_0000' })] })).toEqual([
      { path: 'steps[1].paddr', message: 'with its size, goes past 2^52: physical addresses are at most 52 bits' },
    ]);
    expect(errors({ ...base, steps: [create, map({ paddr: '0xf_ffff_ffff_f000', size: '0x2000' })] })[0]?.path).toBe('steps[1].paddr');
    expect(errors({ ...base, steps: [{ kind: 'memory.write', address: '0x10_0000_0000_0000', value: '0x1' }] })[0]).toEqual({
      path: 'steps[0].address', message: 'goes past 2^52: physical addresses are at most 52 bits',
    });
    // IOVAs are 64-bit: the top of the address space is a valid IOVA.
    expect(errors({ ...base, steps: [create, map({ iova: '0xffff_ffff_ffff_f000', paddr: '0x0' })] }).some((e) => e.path === 'steps[1].iova')).toBe(false);
  });

  it('too many devices, over every linux.boot', () => {
    const devices = Array.from({ length: 257 }, (_, i) => ({ name: `d${i}`, bdf: `${(i >> 5).toString(16)}:${(i & 31).toString(16)}.0` }));
    const found = errors({ ...base, steps: [{ kind: 'linux.boot', devices }] });
    expect(found).toContainEqual({ path: 'steps[0].devices', message: 'brings the scenario to 257 PCI devices; a scenario may boot at most 256' });
  });

  it('title and note lengths are named with their paths', () => {
    const found = errors({ ...base, title: 't'.repeat(201), steps: [{ ...create, note: 'n'.repeat(2_001) }] });
    expect(found.map((e) => e.path)).toEqual(['title', 'steps[0].note']);
  });

  it('estimates descriptors from the shared alignment of IOVA and PA', () => {
    expect(estimatedEntries(0n, 0n, 1n << 30n, 4096n)).toBe(1n + 6n);
    expect(estimatedEntries(0n, 0x20_0000n, 1n << 30n, 4096n)).toBe(512n + 6n);
    expect(estimatedEntries(0n, 0x4000n, 1n << 25n, 16384n)).toBe(2048n + 4n);
  });
});
