/**
 * Stage-1 DMA translation with each granule (CD.TG0: 0 = 4KB, 2 = 16KB,
 * 1 = 64KB). Expected levels and index bits come from the Arm ARM: each level
 * resolves granule shift - 3 bits (9, 11, 13); the start level is
 * 4 - floor((64 - T0SZ - 4) / stride); blocks sit at level 2 for every
 * granule (2MB, 32MB, 512MB).
 */
import { describe, expect, it } from 'vitest';
import { observe } from './helpers/evtq.ts';
import { CD_TABLE, PA_BASE, map, probe, s1Cd, s1Ste, s1Table, writeCd, writeSte } from './helpers/smmu.ts';
import { expectWalk, type Level } from './helpers/walk-check.ts';

interface Case {
  readonly name: string;
  readonly TG0: number;
  readonly T0SZ: number;
  readonly shift: number;
  readonly va: bigint;
  readonly levels: readonly Level[];
}

const L = (level: number, msb: number, lsb: number): Level => ({ level, msb, lsb });

const PAGES: Case[] = [
  { name: '4KB, 48-bit VA: levels 0-3', TG0: 0, T0SZ: 16, shift: 12, va: 0x1234_5678_9abcn, levels: [L(0, 47, 39), L(1, 38, 30), L(2, 29, 21), L(3, 20, 12)] },
  { name: '4KB, 39-bit VA: levels 1-3', TG0: 0, T0SZ: 25, shift: 12, va: 0x12_3456_7abcn, levels: [L(1, 38, 30), L(2, 29, 21), L(3, 20, 12)] },
  { name: '16KB, 48-bit VA: a 2-entry level-0 table, then levels 1-3', TG0: 2, T0SZ: 16, shift: 14, va: 0x8765_4321_4abcn, levels: [L(0, 47, 47), L(1, 46, 36), L(2, 35, 25), L(3, 24, 14)] },
  { name: '16KB, 47-bit VA: levels 1-3', TG0: 2, T0SZ: 17, shift: 14, va: 0x4765_4321_4abcn, levels: [L(1, 46, 36), L(2, 35, 25), L(3, 24, 14)] },
  { name: '64KB, 48-bit VA: a 64-entry level-1 table, then levels 2-3', TG0: 1, T0SZ: 16, shift: 16, va: 0xfedc_ba98_7654n, levels: [L(1, 47, 42), L(2, 41, 29), L(3, 28, 16)] },
  { name: '64KB, 42-bit VA: levels 2-3', TG0: 1, T0SZ: 22, shift: 16, va: 0x3dc_ba98_7654n, levels: [L(2, 41, 29), L(3, 28, 16)] },
];

function stream(c: { TG0: number; T0SZ: number }) {
  const e = probe();
  const ttb0 = s1Table(e, 't', { TG0: c.TG0, T0SZ: c.T0SZ });
  writeSte(e, 2, s1Ste(CD_TABLE));
  writeCd(e, 2, 0, s1Cd(ttb0, 1, { TG0: BigInt(c.TG0), T0SZ: BigInt(c.T0SZ) }));
  return { e, ttb0 };
}

describe('stage 1, page mappings', () => {
  it.each(PAGES)('$name', (c) => {
    const { e, ttb0 } = stream(c);
    const granule = 1n << BigInt(c.shift);
    const offset = c.va & (granule - 1n);
    const pa = PA_BASE + 5n * granule;
    map(e, 't', c.va - offset, pa, granule);
    const o = observe(e, 2, c.va).outcome;
    expect(o.result).toBe('translated');
    expect(o.output).toBe(pa + offset);
    const walk = o.trace.walk;
    expect(walk?.setup).toMatchObject({ granule: Number(granule), inputSize: 64 - c.T0SZ, startLevel: c.levels[0]?.level });
    expectWalk(walk?.steps ?? [], c.va, ttb0, c.levels, c.shift);
    // The page after it is not mapped: the same walk ends on an invalid level-3 descriptor.
    expect(observe(e, 2, c.va - offset + granule).outcome.event?.name).toBe('F_TRANSLATION');
  });
});

const BLOCKS = [
  { name: '4KB: a 2MB block at level 2', TG0: 0, T0SZ: 16, shift: 12, block: 1n << 21n, levels: [L(0, 47, 39), L(1, 38, 30), L(2, 29, 21)] },
  { name: '16KB: a 32MB block at level 2', TG0: 2, T0SZ: 16, shift: 14, block: 1n << 25n, levels: [L(0, 47, 47), L(1, 46, 36), L(2, 35, 25)] },
  { name: '64KB: a 512MB block at level 2', TG0: 1, T0SZ: 16, shift: 16, block: 1n << 29n, levels: [L(1, 47, 42), L(2, 41, 29)] },
];

describe('stage 1, block mappings', () => {
  it.each(BLOCKS)('$name', (c) => {
    const { e, ttb0 } = stream(c);
    const iova = 0x5000_0000_0000n + 3n * c.block;
    const pa = 0x40_0000_0000n;
    map(e, 't', iova, pa, c.block);
    const inside = c.block - 0x18n;
    const o = observe(e, 2, iova + inside).outcome;
    expect(o.output).toBe(pa + inside);
    expect(o.trace.walk?.mappingSize).toBe(c.block);
    expectWalk(o.trace.walk?.steps ?? [], iova + inside, ttb0, c.levels, c.shift);
  });
});
