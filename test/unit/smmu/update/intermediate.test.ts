/**
 * The intermediate-entry checker, and the planner's handling of bad input.
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../../src/engine/util/assert.ts';
import {
  classifyIntermediate,
  isSafeIntermediate,
  makeAbortSte,
  makeBypassSte,
  makeCdTableSte,
  makeNestedDomainSte,
  planEntryUpdate,
  planSteUpdate,
  steUpdateSafeBits,
  steUsedBits,
} from '../../../../src/engine/hw/smmu/update/index.ts';
import { BYPASS, KUNIT_S2, SSID0 } from './fixtures.ts';

const bypass = makeBypassSte();
const s1 = makeCdTableSte({ cdTable: 0x4000_0000n, s1Fmt: 0, s1CdMax: 0, s1dss: SSID0 });

describe('classifyIntermediate / isSafeIntermediate', () => {
  it('a naive copy, qword 0 first, shows the SMMU a stage-1 STE with the bypass STE\'s qword 1: a mixture', () => {
    const naive = [s1[0] ?? 0n, ...bypass.slice(1)];
    expect(classifyIntermediate(naive, bypass, s1, steUsedBits)).toBe('mixed');
    expect(isSafeIntermediate(naive, bypass, s1, steUsedBits)).toBe(false);
  });

  it('the same qwords in Linux\'s order are safe: qword 1 first is still bypass, then qword 0 makes it stage 1', () => {
    const q1First = [bypass[0] ?? 0n, (s1[1] ?? 0n) | (bypass[1] ?? 0n), ...bypass.slice(2)];
    expect(classifyIntermediate(q1First, bypass, s1, steUsedBits)).toBe('current');
    const thenQ0 = [s1[0] ?? 0n, ...q1First.slice(1)];
    expect(classifyIntermediate(thenQ0, bypass, s1, steUsedBits)).toBe('target');
  });

  it('V=0 is a clean disruption, not a mixture', () => {
    const invalid = [0n, ...s1.slice(1)];
    expect(classifyIntermediate(invalid, bypass, s1, steUsedBits)).toBe('invalid');
    expect(isSafeIntermediate(invalid, bypass, s1, steUsedBits)).toBe(true);
  });

  it('an entry that differs from the old one only in MEV is the old configuration only when MEV is update-safe', () => {
    const vste = { S1ContextPtr: 0x8000_0000n, S1Fmt: 0, S1CDMax: 0, S1DSS: BYPASS };
    const cur = makeNestedDomainSte({ s2: KUNIT_S2, vste, vsteConfig: 'bypass' });
    const target = makeNestedDomainSte({ s2: KUNIT_S2, vste, vsteConfig: 's1' });
    const mevOnly = [...cur];
    mevOnly[1] = (mevOnly[1] ?? 0n) | (1n << 19n);
    expect(classifyIntermediate(mevOnly, cur, target, steUsedBits, steUpdateSafeBits)).toBe('current');
    expect(classifyIntermediate(mevOnly, cur, target, steUsedBits, null)).toBe('mixed');
  });
});

describe('planEntryUpdate input checks', () => {
  const base = { usedBits: steUsedBits, kind: 'STE' as const };

  it('names the argument that is not eight qwords', () => {
    expect(() => planEntryUpdate({ ...base, current: bypass.slice(0, 7), target: s1 })).toThrow(/current must be 8 qwords; got 7/);
    expect(() => planEntryUpdate({ ...base, current: bypass, target: [] })).toThrow(EngineError);
  });

  it('names the qword that is not an unsigned 64-bit value', () => {
    const big = [...s1];
    big[3] = 1n << 64n;
    expect(() => planEntryUpdate({ ...base, current: bypass, target: big })).toThrow(/target\[3\] must be an unsigned 64-bit value/);
    const neg = [...s1];
    neg[0] = -1n;
    expect(() => planEntryUpdate({ ...base, current: neg, target: s1 })).toThrow(/current\[0\]/);
  });

  it('refuses a CD sync for zero StreamIDs', () => {
    expect(() => planEntryUpdate({ ...base, kind: 'CD', current: bypass, target: s1, streams: 0 })).toThrow(/streams/);
  });

  it('reports, as Linux WARNs, a target with bits its configuration does not use, and sequences it as Linux does', () => {
    const dirty = makeAbortSte();
    dirty[1] = 0x2n; // S1DSS bits in an abort STE: unused, but Linux compares whole target qwords
    const plan = planSteUpdate(bypass, dirty);
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toMatch(/target qword 1 sets bits 0x0000000000000002/);
    expect(plan.criticalQwords).toEqual([0, 1]);
    expect(plan.hitless).toBe(false);
    expect(plan.steps.at(-1)?.entry).toEqual(dirty);
  });
});
