/**
 * STE update sequences. The sync counts and hitless/breaking verdicts of the
 * first table are Linux's own expectations from its KUnit suite
 * (arm-smmu-v3-test.c, arm_smmu_v3_write_ste_test_*), not values read off
 * this implementation.
 */
import { describe, expect, it } from 'vitest';
import {
  isSafeIntermediate,
  makeAbortSte,
  makeBypassSte,
  makeNestedDomainSte,
  planSteUpdate,
  steUpdateSafeBits,
  steUsedBits,
  type UpdatePlan,
  type UpdateStep,
} from '../../../../src/engine/hw/smmu/update/index.ts';
import { BYPASS, KUNIT_CDTAB, KUNIT_CDTAB_2, KUNIT_S2, SSID0, kunitCdTableSte, kunitS2Ste, steField, steV } from './fixtures.ts';

const abort = makeAbortSte();
const bypass = makeBypassSte();
const s1 = kunitCdTableSte(SSID0, KUNIT_CDTAB, 'ats');
const s1dssBypass = kunitCdTableSte(BYPASS, KUNIT_CDTAB, 'ats');
const s2 = kunitS2Ste('ats');

/** What Linux's KUnit writer records: syncs, and whether an all-zero qword 0 was ever synced. */
function kunitView(plan: UpdatePlan): { syncs: number; invalidWritten: boolean } {
  const syncs = plan.steps.filter((s): s is Extract<UpdateStep, { kind: 'sync' }> => s.kind === 'sync');
  return { syncs: syncs.length, invalidWritten: syncs.some((s) => s.entry[0] === 0n) };
}

interface Case {
  name: string;
  cur: bigint[];
  target: bigint[];
  syncs: number;
  hitless: boolean;
}

const KUNIT: Case[] = [
  { name: 'bypass_to_abort', cur: bypass, target: abort, syncs: 2, hitless: true },
  { name: 'abort_to_bypass', cur: abort, target: bypass, syncs: 2, hitless: true },
  { name: 'cdtable_to_abort', cur: s1, target: abort, syncs: 2, hitless: true },
  { name: 'abort_to_cdtable', cur: abort, target: s1, syncs: 2, hitless: true },
  { name: 'cdtable_to_bypass', cur: s1, target: bypass, syncs: 3, hitless: true },
  { name: 'bypass_to_cdtable', cur: bypass, target: s1, syncs: 3, hitless: true },
  { name: 'cdtable_s1dss_change (SSID0 -> bypass)', cur: s1, target: s1dssBypass, syncs: 1, hitless: true },
  { name: 'cdtable_s1dss_change (bypass -> SSID0)', cur: s1dssBypass, target: s1, syncs: 1, hitless: true },
  { name: 's1dssbypass_to_stebypass', cur: s1dssBypass, target: bypass, syncs: 2, hitless: true },
  { name: 'stebypass_to_s1dssbypass', cur: bypass, target: s1dssBypass, syncs: 2, hitless: true },
  { name: 's2_to_abort', cur: s2, target: abort, syncs: 2, hitless: true },
  { name: 'abort_to_s2', cur: abort, target: s2, syncs: 2, hitless: true },
  { name: 's2_to_bypass', cur: s2, target: bypass, syncs: 2, hitless: true },
  { name: 'bypass_to_s2', cur: bypass, target: s2, syncs: 2, hitless: true },
  { name: 's1_to_s2', cur: s1, target: s2, syncs: 3, hitless: true },
  { name: 's2_to_s1', cur: s2, target: s1, syncs: 3, hitless: true },
  { name: 's1_to_s2_stall', cur: kunitCdTableSte(SSID0, KUNIT_CDTAB, 'stall'), target: kunitS2Ste('stall'), syncs: 3, hitless: true },
  { name: 's2_to_s1_stall', cur: kunitS2Ste('stall'), target: kunitCdTableSte(SSID0, KUNIT_CDTAB, 'stall'), syncs: 3, hitless: true },
  // "one way to force an STE update to be non-hitless is to change its CD table pointer as well as s1 dss"
  { name: 'non_hitless', cur: s1, target: kunitCdTableSte(BYPASS, KUNIT_CDTAB_2, 'ats'), syncs: 3, hitless: false },
];

describe('STE transitions from Linux KUnit (arm_smmu_v3_write_ste_test_*)', () => {
  it.each(KUNIT)('$name: $syncs syncs, hitless $hitless', ({ cur, target, syncs, hitless }) => {
    const plan = planSteUpdate(cur, target);
    expect(plan.syncs).toBe(syncs);
    expect(plan.hitless).toBe(hitless);
    expect(kunitView(plan)).toEqual({ syncs, invalidWritten: !hitless });
    expect(plan.steps.at(-1)?.entry).toEqual(target);
    for (const step of plan.steps) expect(isSafeIntermediate(step.entry, cur, target, steUsedBits, steUpdateSafeBits)).toBe(true);
  });
});

describe('the sequences, store by store', () => {
  it('abort -> bypass: qword 1 (SHCFG, unused by abort) first, then qword 0 switches Config', () => {
    const plan = planSteUpdate(abort, bypass);
    expect(plan.steps.map((s) => (s.kind === 'write' ? `w${s.qword}` : 'sync'))).toEqual(['w1', 'sync', 'w0', 'sync']);
    expect(plan.strategy).toBe('critical-qword');
    expect(plan.criticalQwords).toEqual([0]);
    expect(plan.writes).toBe(2);
  });

  it('bypass -> abort: qword 0 switches first, the stale SHCFG is cleared after', () => {
    const plan = planSteUpdate(bypass, abort);
    expect(plan.steps.map((s) => (s.kind === 'write' ? `w${s.qword}` : 'sync'))).toEqual(['w0', 'sync', 'w1', 'sync']);
    // Between the two syncs the STE is an abort STE that still carries SHCFG: harmless, abort ignores it.
    const middle = plan.steps[1];
    expect(middle?.kind === 'sync' && steField(middle.entry, 'SHCFG')).toBe(1n);
  });

  it('the non-hitless case clears V, fills qword 1 while invalid, and writes qword 0 last', () => {
    const target = kunitCdTableSte(BYPASS, KUNIT_CDTAB_2, 'ats');
    const plan = planSteUpdate(s1, target);
    expect(plan.strategy).toBe('breaking');
    expect(plan.criticalQwords).toEqual([0, 1]);
    expect(plan.steps.map((s) => (s.kind === 'write' ? `w${s.qword}` : 'sync'))).toEqual(['w0', 'sync', 'w1', 'sync', 'w0', 'sync']);
    expect(plan.steps[0]).toMatchObject({ kind: 'write', qword: 0, value: 0n });
    const syncs = plan.steps.filter((s) => s.kind === 'sync');
    expect(syncs.every((s) => s.kind === 'sync' && s.commands.join(' ') === 'CMD_CFGI_STE CMD_SYNC')).toBe(true);
  });

  it('an update to the same STE writes and syncs nothing', () => {
    const plan = planSteUpdate(s2, [...s2]);
    expect(plan).toMatchObject({ steps: [], syncs: 0, writes: 0, hitless: true, strategy: 'no-used-bit-change' });
  });
});

describe('stage 1 <-> stage 2 with a real VMID', () => {
  // KUnit's fake S2 domain leaves VMID 0. Linux allocates stage-2 VMIDs from 1
  // and a stage-1 STE holds S2VMID = 0, a field both configurations use: with
  // Config in qword 0 and S2VMID in qword 2 both critical, the switch breaks.
  it('is non-hitless: V=0, qwords 1-3, then qword 0 (3 syncs)', () => {
    const plan = planSteUpdate(s1, kunitS2Ste('ats', 5));
    expect(plan.criticalQwords).toEqual([0, 2]);
    expect(plan.hitless).toBe(false);
    expect(plan.syncs).toBe(3);
    expect(plan.writes).toBe(5);
    expect(plan.steps.some((s) => steV(s.entry) === 0n)).toBe(true);
  });
});

describe('update-safe bits (Linux v7.0, commits 2781f2a930ab, MEV and 7cad80048595 EATS follow-ups)', () => {
  const vste = { S1ContextPtr: 0x8000_0000n, S1Fmt: 0, S1CDMax: 0, S1DSS: BYPASS };
  const vBypass = makeNestedDomainSte({ s2: { ...KUNIT_S2, vmid: 3 }, vste, vsteConfig: 'bypass' });
  const vS1 = makeNestedDomainSte({ s2: { ...KUNIT_S2, vmid: 3 }, vste, vsteConfig: 's1' });

  it('a guest switching its vSTE from bypass to S1DSS-bypass is hitless: MEV (set by the nested STE) is safe', () => {
    const plan = planSteUpdate(vBypass, vS1);
    expect(plan).toMatchObject({ hitless: true, syncs: 2, writes: 2, criticalQwords: [0] });
  });

  it('without update-safe bits (kernels before the fix) the same switch hit C_BAD_STE: V=0', () => {
    const plan = planSteUpdate(vBypass, vS1, { updateSafe: null });
    expect(plan).toMatchObject({ hitless: false, syncs: 3, criticalQwords: [0, 1] });
  });

  it('toggling EATS_TRANS off with the Config change stays hitless, unless S2S is set', () => {
    const withAts = makeNestedDomainSte({ s2: { ...KUNIT_S2, vmid: 3 }, vste, vsteConfig: 's1', ats: true });
    expect(steField(withAts, 'EATS')).toBe(1n);
    expect(planSteUpdate(withAts, vBypass).hitless).toBe(true);
    expect(planSteUpdate(withAts, vBypass, { updateSafe: null }).hitless).toBe(false);
    const stallS2 = { ...KUNIT_S2, vmid: 3, stallEnabled: true };
    const stalledAts = makeNestedDomainSte({ s2: stallS2, vste, vsteConfig: 's1', ats: true });
    const stalledBypass = makeNestedDomainSte({ s2: stallS2, vste, vsteConfig: 'bypass' });
    expect(planSteUpdate(stalledAts, stalledBypass).hitless).toBe(false);
  });
});
