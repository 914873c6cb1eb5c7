import { describe, expect, it } from 'vitest';
import { map, newTable, walk } from './helpers.ts';

// Expected geometry written out from the Arm ARM tables, not computed by the engine:
// for each granule, the start level and the index bits [msb, lsb] of each level.
const cases = [
  { name: '4KB, 48-bit', TG0: 0, T0SZ: 16, start: 0, fields: [[47, 39], [38, 30], [29, 21], [20, 12]], page: 0x1000n },
  { name: '4KB, 39-bit', TG0: 0, T0SZ: 25, start: 1, fields: [[38, 30], [29, 21], [20, 12]], page: 0x1000n },
  { name: '4KB, 32-bit', TG0: 0, T0SZ: 32, start: 1, fields: [[31, 30], [29, 21], [20, 12]], page: 0x1000n },
  { name: '16KB, 48-bit', TG0: 2, T0SZ: 16, start: 0, fields: [[47, 47], [46, 36], [35, 25], [24, 14]], page: 0x4000n },
  { name: '16KB, 47-bit', TG0: 2, T0SZ: 17, start: 1, fields: [[46, 36], [35, 25], [24, 14]], page: 0x4000n },
  { name: '64KB, 48-bit', TG0: 1, T0SZ: 16, start: 1, fields: [[47, 42], [41, 29], [28, 16]], page: 0x1_0000n },
  { name: '64KB, 42-bit', TG0: 1, T0SZ: 22, start: 2, fields: [[41, 29], [28, 16]], page: 0x1_0000n },
] as const;

describe.each(cases)('stage-1 walk to a page, $name', (c) => {
  const inputBits = 64 - c.T0SZ;
  // An IOVA with a non-zero index at every level and a non-zero page offset.
  const iova = (0x5a5a_5a5a_5a5a_5a5an & ((1n << BigInt(inputBits)) - 1n)) & ~(c.page - 1n);
  const paddr = 0x8_8000_0000n + 7n * c.page;
  const offset = c.page - 0x18n;

  it('starts at the level the Arm ARM gives and indexes each level by the documented bits', () => {
    const e = newTable({ TG0: c.TG0, T0SZ: c.T0SZ });
    map(e, iova, paddr, c.page);
    const r = walk(e, iova + offset);
    expect(r.setup?.startLevel).toBe(c.start);
    expect(r.steps.map((s) => s.level)).toEqual(c.fields.map((_, i) => c.start + i));
    expect(r.steps.map((s) => s.indexBits)).toEqual(c.fields);
    for (const [i, s] of r.steps.entries()) {
      const [msb, lsb] = c.fields[i] as readonly [number, number];
      expect(s.index).toBe(Number((iova >> BigInt(lsb)) & ((1n << BigInt(msb - lsb + 1)) - 1n)));
      expect(s.descriptorAddress).toBe(s.tableAddress + BigInt(s.index * 8));
    }
    expect(r.steps.slice(0, -1).every((s) => s.decoded?.type === 'table')).toBe(true);
    expect(r.steps.at(-1)?.decoded?.type).toBe('page');
    expect(r.fault).toBeUndefined();
    expect(r.output).toBe(paddr + offset);
    expect(r.mappingSize).toBe(c.page);
  });

  it('each table descriptor points at the table the next level reads', () => {
    const e = newTable({ TG0: c.TG0, T0SZ: c.T0SZ });
    map(e, iova, paddr, c.page);
    const r = walk(e, iova);
    for (let i = 0; i + 1 < r.steps.length; i++) {
      expect(r.steps[i]?.decoded?.address).toBe(r.steps[i + 1]?.tableAddress);
    }
    expect(r.steps[0]?.tableAddress).toBe(e.tableConfig('t')?.TTB0);
  });

  it('faults with a translation fault at the last level when the neighbouring page is unmapped', () => {
    const e = newTable({ TG0: c.TG0, T0SZ: c.T0SZ });
    map(e, iova, paddr, c.page);
    const r = walk(e, iova ^ c.page);
    expect(r.fault).toMatchObject({ type: 'translation', level: 3 });
    expect(r.steps.at(-1)?.decoded?.type).toBe('invalid');
  });
});

describe('block mappings', () => {
  const blocks = [
    { name: '4KB granule, 1GB block at level 1', TG0: 0, level: 1, size: 1n << 30n },
    { name: '4KB granule, 2MB block at level 2', TG0: 0, level: 2, size: 1n << 21n },
    { name: '16KB granule, 32MB block at level 2', TG0: 2, level: 2, size: 1n << 25n },
    { name: '64KB granule, 512MB block at level 2', TG0: 1, level: 2, size: 1n << 29n },
  ];
  it.each(blocks)('$name', (b) => {
    const e = newTable({ TG0: b.TG0, T0SZ: 16 });
    const iova = 0x40_0000_0000n + 3n * b.size;
    const paddr = 0x8_0000_0000n + 5n * b.size;
    const m = map(e, iova, paddr, b.size);
    expect(m.entries).toEqual([{ iova, level: b.level, size: b.size }]);
    const offset = b.size - 0x123n * 8n;
    const r = walk(e, iova + offset);
    expect(r.output).toBe(paddr + offset);
    expect(r.mappingSize).toBe(b.size);
    expect(r.steps.at(-1)).toMatchObject({ level: b.level, decoded: { type: 'block', address: paddr } });
  });
});
