/**
 * The store's SMMU projection: the view travels with each step, an answer for
 * another step is dropped, and the inspector's entry follows the steps only
 * when it was picked in a table.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { inspectEntry, resetAppStore, scenarioLoaded, selectStream, stepShown, useAppStore, viewShown } from '../../../src/store/appStore.ts';
import { selectCurrentDma, selectCurrentWalkResult, selectHasSmmu, selectInspectedWords } from '../../../src/store/selectors.ts';
import { runTo, scenarioOf, stepsOfKind } from '../ui/smmuRun.ts';

const state = () => useAppStore.getState();
const outline = (id: string) => {
  const s = scenarioOf(id);
  return { title: s.title, stepCount: s.steps.length, steps: s.steps.map((st) => ({ label: st.kind, kind: st.kind })) };
};

beforeEach(() => resetAppStore());

describe('the SMMU in the store', () => {
  it('holds the view of the step shown, and ignores a view answered for another step', () => {
    scenarioLoaded('smmu-stage1-dma', outline('smmu-stage1-dma'));
    expect(selectHasSmmu(state())).toBe(true);
    const at7 = runTo('smmu-stage1-dma', 7);
    stepShown(at7);
    expect(state().smmu?.iotlb.total).toBe(1);
    expect(selectCurrentDma(state())?.outcome.tx.sid).toBe(3);
    expect(selectCurrentWalkResult(state())?.output).toBe(selectCurrentDma(state())?.outcome.output);
    viewShown({ step: 1, smmu: runTo('smmu-stage1-dma', 1).smmu });
    expect(state().smmu).toBe(at7.smmu);
    viewShown({ step: 7, smmu: undefined });
    expect(state().smmu).toBeUndefined();
  });

  it('keeps an entry picked in a table across steps, and drops words a step carried', () => {
    const s = scenarioOf('smmu-stage1-dma');
    scenarioLoaded('smmu-stage1-dma', outline('smmu-stage1-dma'));
    const cdStep = stepsOfKind(s, 'smmu.writeCd')[0]!;
    selectStream(3);
    expect(state().viewRequest.stream).toBe(3);
    stepShown(runTo(s, cdStep, state().viewRequest));
    expect(selectInspectedWords(state())?.[0]).toBe(state().smmu?.stream?.ste?.words[0]);
    stepShown(runTo(s, cdStep + 1, state().viewRequest));
    expect(state().inspectedEntry).toEqual({ source: 'table', kind: 'STE', sid: 3 });
    inspectEntry({ source: 'words', kind: 'CD', title: 'a CD', words: [1n, 0n, 0n, 0n, 0n, 0n, 0n, 0n] });
    expect(selectInspectedWords(state())?.[0]).toBe(1n);
    stepShown(runTo(s, cdStep + 2, state().viewRequest));
    expect(state().inspectedEntry).toBeUndefined();
  });

  it('a scenario without SMMU steps has no SMMU panels', () => {
    scenarioLoaded('walk-4k-page', outline('walk-4k-page'));
    expect(selectHasSmmu(state())).toBe(false);
  });
});
