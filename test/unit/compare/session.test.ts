/**
 * The worker's goTo with `compare` in its view: the comparison comes with
 * the step only when asked for, for the same step, through the real host.
 */
import { describe, expect, it } from 'vitest';
import { builtinScenario } from '../../../src/scenario/index.ts';
import { InProcessHost } from '../../../src/worker/in-process-host.ts';
import type { StepViewRequest } from '../../../src/worker/protocol.ts';
import { DEFAULT_VIEW_REQUEST } from '../../../src/worker/smmu-view-types.ts';

describe('goTo with the comparison', () => {
  it('answers the comparison of the same step when the view asks for it, and nothing more otherwise', async () => {
    const host = new InProcessHost();
    const loaded = await host.load(builtinScenario('compare-smmu-vtd'));
    expect(loaded.ok).toBe(true);
    const plain = await host.goTo(9, DEFAULT_VIEW_REQUEST);
    expect(plain.compare).toBeUndefined();
    const view: StepViewRequest = { ...DEFAULT_VIEW_REQUEST, compare: true };
    const both = await host.goTo(9, view);
    expect(both.step).toBe(9);
    expect(both.compare?.step).toBe(9);
    expect(both.compare?.available && both.compare.devices.find((d) => d.name === 'acc')?.pasids).toEqual([0, 1]);
    // The main session is not moved by the comparison: its own SMMU view is the same as without it.
    expect(both.smmu).toEqual(plain.smmu);
    const back = await host.goTo(2, view);
    expect(back.compare?.step).toBe(2);
    expect(back.compare?.available && back.compare.devices.find((d) => d.name === 'acc')?.pasids).toEqual([0]);
    host.dispose();
  });

  it('forgets the comparison when another scenario is loaded', async () => {
    const host = new InProcessHost();
    await host.load(builtinScenario('compare-smmu-vtd'));
    await host.goTo(3, { ...DEFAULT_VIEW_REQUEST, compare: true } as StepViewRequest);
    await host.load(builtinScenario('walk-4k-page'));
    const s = await host.goTo(1, { ...DEFAULT_VIEW_REQUEST, compare: true } as StepViewRequest);
    expect(s.compare).toEqual({ available: false, step: 1, reason: expect.stringMatching(/does not boot Linux/) });
    host.dispose();
  });
});
