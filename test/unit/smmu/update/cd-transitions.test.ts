/**
 * CD update sequences (arm_smmu_write_cd_entry -> arm_smmu_write_entry with
 * arm_smmu_get_cd_used). Sync counts are those of Linux's KUnit suite
 * (arm_smmu_v3_write_cd_test_*) where it has the case.
 */
import { describe, expect, it } from 'vitest';
import { cdUsedBits, classifyIntermediate, planCdUpdate, type UpdateStep } from '../../../../src/engine/hw/smmu/update/index.ts';
import { KUNIT_TTB, cdField, cdV, kunitS1Cd, kunitSvaCd } from './fixtures.ts';

const zero = new Array<bigint>(8).fill(0n);
const shape = (steps: UpdateStep[]) => steps.map((s) => (s.kind === 'write' ? `w${s.qword}` : 'sync'));

describe('CD transitions', () => {
  it('V=0 -> valid S1 CD: qwords 1 and 3 while the SMMU reads only V, then qword 0 (2 syncs)', () => {
    const plan = planCdUpdate(zero, kunitS1Cd(1997));
    expect(shape(plan.steps)).toEqual(['w1', 'w3', 'sync', 'w0', 'sync']);
    // Linux's KUnit calls this "non_hitless" because qword 0 is all zero at the first sync;
    // but that zero is the starting CD: V is never cleared, no live CD is disrupted.
    expect(plan.hitless).toBe(true);
    expect(plan.syncs).toBe(2);
    expect(plan.steps.map((s) => classifyIntermediate(s.entry, zero, kunitS1Cd(1997), cdUsedBits))).toEqual(['current', 'current', 'current', 'target', 'target']);
  });

  it('valid -> V=0 (arm_smmu_clear_cd): qword 0 first, then the leftovers (2 syncs)', () => {
    const plan = planCdUpdate(kunitS1Cd(1997), zero);
    expect(shape(plan.steps)).toEqual(['w0', 'sync', 'w1', 'w3', 'sync']);
    expect(plan.syncs).toBe(2);
  });

  it('changing only the ASID of a live CD is one store to qword 0 (1 sync, KUnit s1_change_asid)', () => {
    for (const [a, b] of [[778, 1997], [1997, 778]] as const) {
      const plan = planCdUpdate(kunitS1Cd(a), kunitS1Cd(b));
      expect(shape(plan.steps)).toEqual(['w0', 'sync']);
      expect(plan.hitless).toBe(true);
      expect(cdField(plan.steps[0]?.entry ?? [], 'ASID')).toBe(BigInt(b));
    }
  });

  it('changing only TTB0 of a live CD is one store to qword 1 (1 sync)', () => {
    const plan = planCdUpdate(kunitS1Cd(5), kunitS1Cd(5, 0x1234_0000n));
    expect(shape(plan.steps)).toEqual(['w1', 'sync']);
    expect(plan.criticalQwords).toEqual([1]);
  });

  it('changing ASID and TTB0 together breaks: a valid CD uses every bit, so qwords 0 and 1 are both critical', () => {
    const cur = kunitS1Cd(5);
    const target = kunitS1Cd(6, 0x1234_0000n);
    const plan = planCdUpdate(cur, target);
    expect(plan.criticalQwords).toEqual([0, 1]);
    expect(plan.hitless).toBe(false);
    expect(shape(plan.steps)).toEqual(['w0', 'sync', 'w1', 'sync', 'w0', 'sync']);
    const kinds = plan.steps.map((s) => classifyIntermediate(s.entry, cur, target, cdUsedBits));
    expect(kinds).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'target', 'target']);
    expect(plan.steps.filter((s) => s.kind === 'sync').every((s) => s.kind === 'sync' && s.commands.join(' ') === 'CMD_CFGI_CD CMD_SYNC')).toBe(true);
  });

  it('a master with three StreamIDs issues three CMD_CFGI_CD before each CMD_SYNC (arm_smmu_sync_cd)', () => {
    const plan = planCdUpdate(kunitS1Cd(5), kunitS1Cd(6), { streams: 3 });
    expect(plan.steps[1]).toMatchObject({ kind: 'sync', commands: ['CMD_CFGI_CD', 'CMD_CFGI_CD', 'CMD_CFGI_CD', 'CMD_SYNC'] });
  });
});

describe('EPD0: the SVA release CD (KUnit sva_release)', () => {
  const live = kunitSvaCd(1997, true);
  const quiet = kunitSvaCd(1997, false);

  it('the quiet CD keeps V, sets EPD0, drops TTB0 and the walk attributes, and S/R', () => {
    expect(cdV(quiet)).toBe(1n);
    expect(cdField(quiet, 'EPD0')).toBe(1n);
    expect(cdField(quiet, 'TTB0')).toBe(0n);
    expect(cdField(quiet, 'T0SZ')).toBe(0n);
    expect(cdField(quiet, 'R')).toBe(0n);
    expect(cdField(live, 'R')).toBe(1n);
  });

  it('live -> quiet: qword 0 (EPD0 on) switches, TTB0 is cleared after because the SMMU now ignores it', () => {
    const plan = planCdUpdate(live, quiet);
    expect(plan).toMatchObject({ hitless: true, syncs: 2, criticalQwords: [0] });
    expect(shape(plan.steps)).toEqual(['w0', 'sync', 'w1', 'sync']);
  });

  it('quiet -> live: TTB0 is filled while EPD0 hides it, then qword 0 turns EPD0 off', () => {
    const plan = planCdUpdate(quiet, live);
    expect(plan).toMatchObject({ hitless: true, syncs: 2, criticalQwords: [0] });
    expect(shape(plan.steps)).toEqual(['w1', 'sync', 'w0', 'sync']);
  });

  it('without EPD0 the same TTB0 change would break: switching an S1 CD to another table and ASID', () => {
    expect(planCdUpdate(kunitS1Cd(1, KUNIT_TTB), kunitS1Cd(2, 0x5000n)).hitless).toBe(false);
  });

  it('SVA clear (KUnit sva_clear): zero <-> live SVA CD, 2 syncs each way', () => {
    expect(planCdUpdate(zero, live).syncs).toBe(2);
    expect(planCdUpdate(live, zero).syncs).toBe(2);
  });
});
