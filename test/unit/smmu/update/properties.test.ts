/**
 * Properties of the update plan over random pairs of entries built by the
 * Linux makers: the SMMU never sees a mixture, the plan ends at the target,
 * and "hitless" is exactly "V never cleared while both ends are valid".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cdUsedBits,
  classifyIntermediate,
  planEntryUpdate,
  steUpdateSafeBits,
  steUsedBits,
  type SafeBitsFn,
  type UpdatePlan,
  type UsedBitsFn,
} from '../../../../src/engine/hw/smmu/update/index.ts';
import { anyCd, anySte, rawEntry } from './arbitraries.ts';
import { cdV, steV } from './fixtures.ts';

interface Kind {
  name: 'STE' | 'CD';
  usedBits: UsedBitsFn;
  safe: SafeBitsFn | null;
  v: (w: bigint[]) => bigint;
}

const STE: Kind = { name: 'STE', usedBits: steUsedBits, safe: steUpdateSafeBits, v: steV };
const STE_PRE_V7: Kind = { ...STE, safe: null };
const CD: Kind = { name: 'CD', usedBits: cdUsedBits, safe: null, v: cdV };

function plan(k: Kind, current: bigint[], target: bigint[]): UpdatePlan {
  return planEntryUpdate({ current, target, usedBits: k.usedBits, kind: k.name, updateSafe: k.safe });
}

/** Every property the plan must have, asserted for one pair. */
function checkPlan(k: Kind, current: bigint[], target: bigint[]): void {
  const p = plan(k, current, target);
  // Ends at the target, and nothing happens for an identical entry.
  expect(p.steps.at(-1)?.entry ?? current).toEqual(target);
  expect(p.steps.length === 0).toBe(current.every((w, i) => w === target[i]));
  // Every moment the SMMU may fetch the entry: the old config, the new one, or a clean V=0.
  for (const s of p.steps) expect(classifyIntermediate(s.entry, current, target, k.usedBits, k.safe)).not.toBe('mixed');
  // Hitless exactly when V is never cleared on the way between two valid entries.
  const bothValid = k.v(current) === 1n && k.v(target) === 1n;
  const vCleared = bothValid && p.steps.some((s) => k.v(s.entry) === 0n);
  expect(p.hitless).toBe(!vCleared);
  // A breaking update clears V with its first store.
  if (!p.hitless) expect(p.steps[0]).toMatchObject({ kind: 'write', qword: 0, value: 0n });
  // Each store changes its qword, each sync follows at least one store, at most three syncs.
  let prev = current;
  let sinceSync = 0;
  for (const s of p.steps) {
    if (s.kind === 'write') {
      expect(s.value).not.toBe(prev[s.qword]);
      expect(s.entry.filter((w, i) => w !== prev[i]).length).toBe(1);
      expect(s.used).toEqual(k.usedBits(s.entry));
      sinceSync++;
    } else {
      expect(sinceSync).toBeGreaterThan(0);
      sinceSync = 0;
    }
    prev = s.entry;
  }
  expect(sinceSync).toBe(0);
  expect(p.syncs).toBeLessThanOrEqual(3);
  expect(p.writes + p.syncs).toBe(p.steps.length);
  // Linux's makers never set a bit their configuration does not use.
  expect(p.warnings).toEqual([]);
}

const clean = (usedBits: UsedBitsFn) => (w: bigint[]) => {
  const used = usedBits(w);
  return w.map((q, i) => q & (used[i] ?? 0n));
};

describe('update plan properties', () => {
  it('STE pairs from the makers (Linux v7.0, with update-safe bits)', () => {
    fc.assert(fc.property(anySte, anySte, (a, b) => checkPlan(STE, a, b)), { numRuns: 2000 });
  });

  it('STE pairs from the makers, sequenced as before update-safe bits', () => {
    fc.assert(fc.property(anySte, anySte, (a, b) => checkPlan(STE_PRE_V7, a, b)), { numRuns: 1000 });
  });

  it('CD pairs from the makers', () => {
    fc.assert(fc.property(anyCd, anyCd, (a, b) => checkPlan(CD, a, b)), { numRuns: 2000 });
  });

  it('random qwords cleaned to their own used bits, STE and CD', () => {
    fc.assert(fc.property(rawEntry, rawEntry, (a, b) => checkPlan(STE, clean(steUsedBits)(a), clean(steUsedBits)(b))), { numRuns: 1000 });
    fc.assert(fc.property(rawEntry, rawEntry, (a, b) => checkPlan(CD, clean(cdUsedBits)(a), clean(cdUsedBits)(b))), { numRuns: 1000 });
  });

  it('the random pairs reach all three branches of arm_smmu_write_entry', () => {
    const seen = new Set<string>();
    fc.assert(fc.property(anySte, anySte, (a, b) => void seen.add(plan(STE, a, b).strategy)), { numRuns: 500, seed: 7 });
    expect([...seen].sort()).toEqual(['breaking', 'critical-qword', 'no-used-bit-change']);
  });
});
