/**
 * Checking a traced walk against geometry written out by hand from the Arm
 * ARM: for each level, which input bits index the table. The index, the
 * descriptor address (table + 8 * index) and the chaining of tables are
 * computed here from those bit ranges, never taken from the engine.
 */
import { expect } from 'vitest';
import type { WalkStep } from '../../../../src/engine/index.ts';

export interface Level {
  readonly level: number;
  /** Input address bits [msb:lsb] that index this level's table. */
  readonly msb: number;
  readonly lsb: number;
}

export function indexOf(address: bigint, l: Level): number {
  return Number((address >> BigInt(l.lsb)) & ((1n << BigInt(l.msb - l.lsb + 1)) - 1n));
}

/** Next-level table address held in a table descriptor: bits [47:granule shift] (plus [51:48] from [15:12] with 64KB). */
function nextTable(descriptor: bigint, granuleShift: number): bigint {
  const low = descriptor & ((1n << 48n) - 1n) & ~((1n << BigInt(granuleShift)) - 1n);
  return granuleShift === 16 ? low | (((descriptor >> 12n) & 0xfn) << 48n) : low;
}

/**
 * The walk visited exactly `levels`, starting at `root`, each step indexing
 * its table with the expected bits, and each table descriptor leading to the
 * next step's table.
 */
export function expectWalk(steps: readonly WalkStep[], address: bigint, root: bigint, levels: readonly Level[], granuleShift: number): void {
  expect(steps.map((s) => s.level)).toEqual(levels.map((l) => l.level));
  let table = root;
  levels.forEach((l, i) => {
    const s = steps[i] as WalkStep;
    const index = indexOf(address, l);
    expect(s.indexBits).toEqual([l.msb, l.lsb]);
    expect(s.index).toBe(index);
    expect(s.tableAddress).toBe(table);
    expect(s.descriptorAddress).toBe(table + BigInt(index) * 8n);
    const d = s.descriptor as bigint;
    const last = i === levels.length - 1;
    // Table descriptors are 0b11 above the leaf; the leaf is a page (0b11 at level 3) or a block (0b01).
    expect(d & 3n).toBe(last && l.level < 3 ? 1n : 3n);
    table = nextTable(d, granuleShift);
  });
}
