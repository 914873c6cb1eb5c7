import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/ui/walk/tableRows.ts';
import { columns, indexBitsOf, layoutWalk, WALK_GEOMETRY } from '../../../src/ui/walk/walkLayout.ts';
import { arrowHead, horizontalCurve, verticalCurve } from '../../../src/ui/walk/paths.ts';
import { firstSuccessfulWalk, walksOf } from './realWalk.ts';

const BUILTINS = ['walk-4k-page', 'walk-16k-page', 'walk-64k-page', 'block-2m', 'permission-fault'];

/** The last "x,y" pair of a path string. */
function endOf(d: string): { x: number; y: number } {
  const pairs = [...d.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)];
  const last = pairs[pairs.length - 1];
  if (!last) throw new Error(`no coordinates in ${d}`);
  return { x: Number(last[1]), y: Number(last[2]) };
}

describe('tableRows', () => {
  it('lists the first, the last and the indexed entry, highlighted once, in order, in at most five rows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 13 }).chain((bits) => fc.tuple(fc.constant(2 ** bits), fc.nat(2 ** bits - 1))), ([count, selected]) => {
        const rows = tableRows(selected, count);
        const entries = rows.flatMap((r) => (r.kind === 'entry' ? [r.index] : []));
        expect(rows.length).toBeLessThanOrEqual(5);
        expect(entries[0]).toBe(0);
        expect(entries[entries.length - 1]).toBe(count - 1);
        expect(rows.filter((r) => r.highlighted)).toEqual([{ kind: 'entry', index: selected, highlighted: true }]);
        expect([...entries].sort((a, b) => a - b)).toEqual(entries);
        // A gap stands for at least one entry that is not listed.
        rows.forEach((row, i) => {
          if (row.kind !== 'gap') return;
          const before = rows[i - 1];
          const after = rows[i + 1];
          if (before?.kind !== 'entry' || after?.kind !== 'entry') throw new Error('a gap between two entries');
          expect(after.index - before.index).toBeGreaterThan(1);
        });
      }),
    );
  });

  it('refuses an index outside the table', () => {
    expect(() => tableRows(512, 512)).toThrow(/outside a table of 512 entries/);
    expect(() => tableRows(0, 0)).toThrow(/at least one entry/);
  });
});

describe('columns', () => {
  it('fill the width between the margins, the result column the widest', () => {
    for (const n of [2, 3, 4, 5, 6]) {
      const cols = columns(n);
      const last = cols[cols.length - 1]!;
      expect(cols[0]!.x).toBe(WALK_GEOMETRY.margin);
      expect(last.x + last.width).toBeCloseTo(WALK_GEOMETRY.width - WALK_GEOMETRY.margin, 6);
      expect(last.width).toBeGreaterThan(cols[0]!.width);
    }
  });
});

describe('indexBitsOf', () => {
  it('splits 48-bit inputs as the Arm ARM does for each granule', () => {
    const setup = (granule: 4096 | 16384 | 65536, startLevel: number) =>
      ({ ttbr: 0, granule, inputSize: 48, startLevel, stride: Math.log2(granule) - 3 }) as const;
    expect([0, 1, 2, 3].map((l) => indexBitsOf(setup(4096, 0), l))).toEqual([[47, 39], [38, 30], [29, 21], [20, 12]]);
    expect([0, 1, 2, 3].map((l) => indexBitsOf(setup(16384, 0), l))).toEqual([[47, 47], [46, 36], [35, 25], [24, 14]]);
    expect([1, 2, 3].map((l) => indexBitsOf(setup(65536, 1), l))).toEqual([[47, 42], [41, 29], [28, 16]]);
  });
});

describe('layoutWalk on walks made by the real engine', () => {
  it.each(BUILTINS)('%s: the fields are contiguous, cover the input, and recombine to it', (id) => {
    for (const { result } of walksOf(id)) {
      const layout = layoutWalk(result);
      if (!layout) throw new Error('every built-in walk has a setup');
      const inputSize = result.setup!.inputSize;
      expect(layout.fields[0]!.msb).toBe(inputSize - 1);
      expect(layout.fields[layout.fields.length - 1]!.lsb).toBe(0);
      let recombined = 0n;
      layout.fields.forEach((f, i) => {
        recombined |= f.value << BigInt(f.lsb);
        expect(f.digits).toHaveLength(f.msb - f.lsb + 1);
        const next = layout.fields[i + 1];
        if (next) {
          expect(next.msb).toBe(f.lsb - 1);
          expect(next.x).toBeCloseTo(f.x + f.width, 6);
        }
      });
      expect(recombined).toBe(result.input & ((1n << BigInt(inputSize)) - 1n));
    }
  });

  it.each(BUILTINS)('%s: one table per level read, each index arrow ending on its highlighted entry', (id) => {
    for (const { result } of walksOf(id)) {
      const layout = layoutWalk(result)!;
      expect(layout.tables.map((t) => t.level)).toEqual(result.steps.map((s) => s.level));
      layout.tables.forEach((table, i) => {
        const index = layout.arrows[i]!.find((a) => a.tone === 'index')!;
        const tip = endOf(index.head.replace(/ Z$/, '').split(' L')[0]!);
        expect(tip.y).toBeCloseTo(table.entryY, 1);
        expect(tip.x).toBeGreaterThan(table.x);
        expect(tip.x).toBeLessThan(table.x + table.width);
        const hit = table.rows.find((r) => r.highlighted);
        expect(hit && hit.kind === 'entry' ? hit.index : undefined).toBe(table.step.index);
      });
      // Every level of the walk setup is either a table or a placeholder.
      const setup = result.setup!;
      expect(layout.tables.length + layout.placeholders.length).toBe(4 - setup.startLevel);
    }
  });

  it('labels the 4KB fields with bit ranges and values, as "L0 [47:39] = 0x001"', () => {
    const { result } = firstSuccessfulWalk('walk-4k-page');
    const layout = layoutWalk(result)!;
    const shown = layout.fields.map((f) => `${f.label} = ${f.valueText}`);
    const expected = result.steps.map((s) => {
      const [msb, lsb] = s.indexBits;
      return `L${s.level} [${msb}:${lsb}] = 0x${s.index.toString(16).padStart(3, '0')}`;
    });
    expect(shown.slice(0, 4)).toEqual(expected);
    expect(shown[4]).toBe(`Offset [11:0] = 0x${(result.input & 0xfffn).toString(16).padStart(3, '0')}`);
  });

  it('marks the levels below a block as part of the offset', () => {
    const { result } = firstSuccessfulWalk('block-2m');
    const layout = layoutWalk(result)!;
    expect(result.steps[result.steps.length - 1]!.level).toBe(2);
    expect(layout.fields.find((f) => f.level === 3)?.state).toBe('in-offset');
    expect(layout.placeholders).toEqual([expect.objectContaining({ level: 3, reason: 'in-offset' })]);
    expect(layout.arrows[layout.arrows.length - 1]!.map((a) => a.tone)).toEqual(['result', 'offset']);
  });

  it('draws the faulting level in the fault tone and no offset arrow', () => {
    const fault = walksOf('permission-fault').find((w) => w.result.fault?.type === 'permission');
    if (!fault) throw new Error('permission-fault has a permission fault');
    const layout = layoutWalk(fault.result)!;
    expect(layout.tables.filter((t) => t.faulted).map((t) => t.level)).toEqual([fault.result.fault!.level]);
    expect(layout.arrows[layout.arrows.length - 1]!.map((a) => a.tone)).toEqual(['fault']);
  });
});

describe('paths', () => {
  it('start and end where they are asked to', () => {
    expect(verticalCurve({ x: 10, y: 0 }, { x: 30, y: 40 })).toBe('M10,0 C10,20 30,20 30,40');
    expect(horizontalCurve({ x: 0, y: 5 }, { x: 40, y: 25 })).toBe('M0,5 C20,5 20,25 40,25');
  });

  it('put an arrow head tip on the point, its base behind it along the direction', () => {
    const d = arrowHead({ x: 100, y: 50 }, Math.PI / 2, 10);
    const [tip, left, right] = [...d.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
    expect(tip).toEqual({ x: 100, y: 50 });
    expect(left!.y).toBeCloseTo(40, 6);
    expect(right!.y).toBeCloseTo(40, 6);
    expect(Math.abs(left!.x - right!.x)).toBeCloseTo(11, 6);
  });
});
