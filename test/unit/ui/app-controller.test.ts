import { beforeEach, describe, expect, it } from 'vitest';
import { AppController, DEFAULT_SCENARIO_ID, firstWalkStep } from '../../../src/app/controller.ts';
import { builtinScenarios } from '../../../src/scenario/index.ts';
import { resetAppStore, useAppStore } from '../../../src/store/appStore.ts';
import { InProcessHost } from '../../../src/worker/in-process-host.ts';
import type { EngineHost } from '../../../src/worker/protocol.ts';
import { EngineHostError } from '../../../src/worker/protocol.ts';

const state = () => useAppStore.getState();

function controller(overrides: { host?: EngineHost; fallbackHost?: () => EngineHost; shown?: [string, number][] } = {}) {
  const shown = overrides.shown ?? [];
  return new AppController({
    host: overrides.host ?? new InProcessHost(),
    scenarios: builtinScenarios,
    ...(overrides.fallbackHost ? { fallbackHost: overrides.fallbackHost } : {}),
    onShown: (id, step) => shown.push([id, step]),
  });
}

/** A host whose engine never answers: what a worker that failed to start looks like. */
function brokenHost(): EngineHost {
  return {
    mode: 'worker',
    load: () => Promise.reject(new EngineHostError('the engine worker failed: it could not start')),
    goTo: () => Promise.reject(new EngineHostError('the engine worker failed: it could not start')),
    view: () => Promise.reject(new EngineHostError('the engine worker failed: it could not start')),
    dispose: () => undefined,
  };
}

beforeEach(() => resetAppStore());

describe('AppController', () => {
  it('opens a scenario at its first walk by default and reports the step shown', async () => {
    const shown: [string, number][] = [];
    const c = controller({ shown });
    await c.open('block-2m');
    const outline = state().outline!;
    expect(state().cursor).toBe(firstWalkStep(outline));
    expect(outline.steps[state().cursor - 1]?.kind).toBe('walk');
    expect(shown).toEqual([['block-2m', state().cursor]]);
  });

  it('names an unknown scenario and opens the default one', async () => {
    const c = controller();
    await c.open('no-such-lesson', 0);
    expect(state().scenarioId).toBe(DEFAULT_SCENARIO_ID);
    expect(state().cursor).toBe(0);
    expect(state().notices.map((n) => n.text).join(' ')).toContain('"no-such-lesson"');
  });

  it('shows the last step, with a message, when asked for a step past the end', async () => {
    const c = controller();
    await c.open('walk-16k-page', 99);
    expect(state().cursor).toBe(state().outline!.stepCount);
    expect(state().notices.map((n) => n.text).join(' ')).toMatch(/no step 99/);
  });

  it('adds up steps asked for before the engine answers', async () => {
    const c = controller();
    await c.open('walk-4k-page', 0);
    await Promise.all([c.stepBy(1), c.stepBy(1), c.stepBy(1)]);
    expect(state().cursor).toBe(3);
    await Promise.all([c.stepBy(-1), c.stepBy(-1)]);
    expect(state().cursor).toBe(1);
    await c.stepBy(-5);
    expect(state().cursor).toBe(0);
  });

  it('falls back to the in-process host when the worker fails', async () => {
    const c = controller({ host: brokenHost(), fallbackHost: () => new InProcessHost() });
    await c.open('walk-64k-page');
    expect(c.hostMode).toBe('in-process');
    expect(state().status).toBe('ready');
    expect(state().notices.map((n) => n.text).join(' ')).toMatch(/runs on the page/);
  });

  it('reports a failing engine when there is nothing to fall back to', async () => {
    const c = controller({ host: brokenHost() });
    await c.open('walk-64k-page');
    expect(state().status).toBe('failed');
    expect(state().notices.map((n) => n.text).join(' ')).toMatch(/could not start/);
  });
});
