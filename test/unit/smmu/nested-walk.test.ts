/**
 * The cost of nesting, counted from the trace: every stage-1 table address
 * is an IPA, so each stage-1 descriptor read needs a full stage-2 walk first,
 * and the IPA stage 1 produces needs one more. With n stage-1 levels and m
 * stage-2 levels a translation reads n * (m + 1) + m descriptors: 24 for
 * 4 over 4 (Arm ARM, "Stage 2 translation of stage 1 table walks"). The CD
 * is fetched through stage 2 as well (its address is an IPA).
 */
import { describe, expect, it } from 'vitest';
import type { WalkResult, WalkStep } from '../../../src/engine/index.ts';
import { observe } from './helpers/evtq.ts';
import { CD_IPA, CD_PA, IOVA, IPA, PA, nestedStream } from './helpers/nested.ts';
import { apply } from './helpers/smmu.ts';
import { indexOf } from './helpers/walk-check.ts';

/** Descriptor reads of a traced nested walk: each stage-1 step, its stage-2 sub-walk, and the final stage-2 walk. */
function reads(w: WalkResult): number {
  const sub = (s: WalkStep) => s.s2?.steps.length ?? 0;
  return w.steps.reduce((n, s) => n + 1 + sub(s), 0) + (w.stage2?.steps.length ?? 0);
}

describe('nested walk: memory accesses', () => {
  it('4-level stage 1 over 4-level stage 2: 4 x (4 + 1) + 4 = 24 descriptor reads', () => {
    const n = nestedStream();
    const o = observe(n.e, n.sid, IOVA + 0x321n).outcome;
    expect(o.output).toBe(PA + 0x321n);
    const w = o.trace.walk as WalkResult;
    expect(w.steps.map((s) => s.level)).toEqual([0, 1, 2, 3]);
    for (const s of w.steps) {
      expect(s.s2?.steps.map((t) => t.level)).toEqual([0, 1, 2, 3]);
      // The sub-walk translated this step's descriptor IPA (identity-mapped guest RAM), starting at S2TTB + 8 * IPA[47:39].
      expect(s.s2?.output).toBe(s.descriptorAddress);
      expect(s.s2?.steps[0]?.descriptorAddress).toBe(n.s2.S2TTB + BigInt(indexOf(s.descriptorAddress, { level: 0, msb: 47, lsb: 39 }) * 8));
    }
    expect(w.stage2?.steps.map((t) => t.level)).toEqual([0, 1, 2, 3]);
    expect(w.stage2?.output).toBe(PA + 0x321n);
    expect(reads(w)).toBe(24);
  });

  it('fetches the CD through a 4-level stage-2 walk of its IPA', () => {
    const n = nestedStream();
    const cd = observe(n.e, n.sid, IOVA).outcome.trace.cd;
    expect(cd).toMatchObject({ cached: false, ipa: CD_IPA, address: CD_PA });
    expect(cd?.s2?.steps.map((t) => t.level)).toEqual([0, 1, 2, 3]);
    expect(cd?.s2?.output).toBe(CD_PA);
    expect(cd?.s2?.steps[0]?.descriptorAddress).toBe(n.s2.S2TTB + BigInt(indexOf(CD_IPA, { level: 0, msb: 47, lsb: 39 }) * 8));
  });

  it('3-level stage 1 (39-bit VA) over 3-level stage 2 (40-bit IPA, concatenated level 1): 3 x (3 + 1) + 3 = 15', () => {
    const n = nestedStream({ t0sz: 25, vtcr: { S2TG: 0, S2T0SZ: 24, S2SL0: 1 } });
    const o = observe(n.e, n.sid, IOVA).outcome;
    expect(o.output).toBe(PA);
    const w = o.trace.walk as WalkResult;
    expect(w.steps.map((s) => s.level)).toEqual([1, 2, 3]);
    for (const s of w.steps) expect(s.s2?.steps.map((t) => t.level)).toEqual([1, 2, 3]);
    expect(reads(w)).toBe(15);
    expect(o.trace.cd?.s2?.steps.length).toBe(3);
  });

  it('the same counts from a walk command nested through the stage-2 table, without the SMMU', () => {
    const n = nestedStream();
    const w = apply(n.e, { kind: 'walk', table: n.s1Name, address: IOVA, access: { kind: 'read', privileged: true }, stage2: n.s2Name }, 'walk.completed');
    expect(w.result.output).toBe(PA);
    expect(w.result.stage2?.output).toBe(PA);
    expect(w.result.steps.at(-1)?.decoded?.address).toBe(IPA);
    expect(reads(w.result)).toBe(24);
  });

  it('a second DMA to the page reads nothing: the STE and CD come from the configuration cache, the translation from the IOTLB', () => {
    const n = nestedStream();
    observe(n.e, n.sid, IOVA);
    const again = observe(n.e, n.sid, IOVA + 0x8n).outcome;
    expect(again.output).toBe(PA + 0x8n);
    expect(again.trace.ste?.cached).toBe(true);
    expect(again.trace.cd?.cached).toBe(true);
    expect(again.trace.cd?.s2).toBeUndefined();
    expect(again.trace.tlb?.hit).toBe(true);
    expect(again.trace.walk).toBeUndefined();
  });
});
