import { beforeEach, describe, expect, it } from 'vitest';
import {
  addNotice, dismissNotice, resetAppStore, scenarioLoaded, selectLevel, stepShown, toggleTheme, useAppStore,
} from '../../../src/store/appStore.ts';
import {
  inspectedStep, selectCanStepBack, selectCanStepForward, selectCurrentEvents, selectCurrentStep, selectCurrentWalk, selectInspectedStep,
} from '../../../src/store/selectors.ts';
import { InProcessHost } from '../../../src/worker/in-process-host.ts';
import { builtinScenarios } from '../../../src/scenario/index.ts';

const state = () => useAppStore.getState();

async function run4k(step: number) {
  const host = new InProcessHost();
  const outcome = await host.load(builtinScenarios.find((b) => b.id === 'walk-4k-page')!.scenario);
  if (!outcome.ok) throw new Error('walk-4k-page loads');
  scenarioLoaded('walk-4k-page', outcome.outline);
  stepShown(await host.goTo(step));
  host.dispose();
  return outcome.outline;
}

beforeEach(() => resetAppStore());

describe('store', () => {
  it('holds the events of the current step and finds its walk', async () => {
    const outline = await run4k(0);
    const firstWalk = outline.steps.findIndex((s) => s.kind === 'walk') + 1;
    expect(selectCurrentEvents(state())).toEqual([]);
    expect(selectCurrentStep(state())).toBeUndefined();
    stepShown({ step: firstWalk, log: (await hostLog(firstWalk)) });
    expect(selectCurrentStep(state())?.kind).toBe('walk');
    expect(selectCurrentWalk(state())?.result.output).toBeDefined();
  });

  it('inspects the last level by default, the picked one when the walk read it', async () => {
    const outline = await run4k(0);
    const firstWalk = outline.steps.findIndex((s) => s.kind === 'walk') + 1;
    stepShown({ step: firstWalk, log: await hostLog(firstWalk) });
    const walk = selectCurrentWalk(state())!.result;
    expect(selectInspectedStep(state())).toBe(walk.steps[walk.steps.length - 1]);
    selectLevel(1);
    expect(selectInspectedStep(state())?.level).toBe(1);
    expect(inspectedStep(walk, 7)).toBe(walk.steps[walk.steps.length - 1]);
    // A new step resets the pick; showing the same step again keeps it.
    stepShown({ step: firstWalk, log: state().log });
    expect(state().selectedLevel).toBe(1);
    stepShown({ step: firstWalk - 1, log: state().log.slice(0, firstWalk - 1) });
    expect(state().selectedLevel).toBeUndefined();
  });

  it('says when stepping is possible', async () => {
    const outline = await run4k(0);
    expect(selectCanStepBack(state())).toBe(false);
    expect(selectCanStepForward(state())).toBe(true);
    stepShown({ step: outline.stepCount, log: await hostLog(outline.stepCount) });
    expect(selectCanStepBack(state())).toBe(true);
    expect(selectCanStepForward(state())).toBe(false);
  });

  it('counts a revision per step shown, so the same step can replay its animation', async () => {
    await run4k(1);
    const before = state().revision;
    stepShown({ step: 1, log: state().log });
    expect(state().revision).toBe(before + 1);
  });

  it('toggles the theme and keeps one copy of each notice', () => {
    toggleTheme();
    expect(state().theme).toBe('dark');
    toggleTheme();
    expect(state().theme).toBe('light');
    addNotice({ tone: 'warning', text: 'a' });
    addNotice({ tone: 'warning', text: 'a' });
    addNotice({ tone: 'error', text: 'b' });
    expect(state().notices.map((n) => n.text)).toEqual(['a', 'b']);
    dismissNotice(0);
    expect(state().notices.map((n) => n.text)).toEqual(['b']);
  });
});

async function hostLog(step: number) {
  const host = new InProcessHost();
  await host.load(builtinScenarios.find((b) => b.id === 'walk-4k-page')!.scenario);
  const { log } = await host.goTo(step);
  host.dispose();
  return log;
}
