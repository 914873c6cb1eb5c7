import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.ts';
import type { EngineEvent } from '../../../src/engine/events.ts';
import { builtinScenarios, engineOptionsOf, scenarioToCommands } from '../../../src/scenario/index.ts';
import { InProcessHost } from '../../../src/worker/in-process-host.ts';
import { EngineHostError } from '../../../src/worker/protocol.ts';
import { EngineSession, handleRequest, SNAPSHOT_INTERVAL } from '../../../src/worker/session.ts';

const STAGE1_BUILTINS = ['walk-4k-page', 'walk-16k-page', 'walk-64k-page', 'block-2m', 'permission-fault'];

/** The events of every step, from one straight run of a fresh engine: the reference. */
function straightRun(id: string): EngineEvent[][] {
  const entry = builtinScenarios.find((b) => b.id === id)!;
  const engine = new Engine(engineOptionsOf(entry.scenario));
  return scenarioToCommands(entry.scenario).map((c) => engine.apply(c));
}

async function loaded(id: string): Promise<{ host: InProcessHost; count: number }> {
  const host = new InProcessHost();
  const outcome = await host.load(builtinScenarios.find((b) => b.id === id)!.scenario);
  if (!outcome.ok) throw new Error(`built-in ${id} did not load`);
  return { host, count: outcome.outline.stepCount };
}

describe('the in-process host', () => {
  it.each(STAGE1_BUILTINS)('%s: gives the events of a straight run of a fresh engine', async (id) => {
    const { host, count } = await loaded(id);
    expect((await host.goTo(count)).log).toEqual(straightRun(id));
  });

  it.each(builtinScenarios.map((b) => b.id))('%s: walks forward, back and forward with identical events', async (id) => {
    const { host, count } = await loaded(id);
    const end = await host.goTo(count);
    expect(end.step).toBe(count);
    const reference = end.log;
    expect(reference).toHaveLength(count);
    // Back to every step and forward again: each step's events must be the straight run's.
    for (let n = count; n >= 0; n--) {
      const back = await host.goTo(n);
      expect(back.step).toBe(n);
      expect(back.log).toEqual(reference.slice(0, n));
    }
    for (let n = 0; n <= count; n++) expect((await host.goTo(n)).log[n - 1]).toEqual(reference[n - 1]);
    host.dispose();
  });

  it('replays from a snapshot when stepping back, and the replayed events match the first ones', async () => {
    // A scenario longer than the snapshot interval, so a step back starts from a cached snapshot.
    const base = builtinScenarios.find((b) => b.id === 'walk-4k-page')!.scenario;
    const walks = base.steps.filter((s) => s.kind === 'walk');
    const long = { ...base, steps: [...base.steps, ...walks, ...walks, ...walks, ...walks] };
    expect(long.steps.length).toBeGreaterThan(2 * SNAPSHOT_INTERVAL);
    const session = new EngineSession();
    expect(session.load(1, long).kind).toBe('loaded');
    const forward = session.goTo(2, long.steps.length);
    const back = session.goTo(3, SNAPSHOT_INTERVAL + 2);
    const again = session.goTo(4, long.steps.length);
    if (forward.kind !== 'state' || back.kind !== 'state' || again.kind !== 'state') throw new Error('goTo answers with the state');
    expect(back.log).toEqual(forward.log.slice(0, SNAPSHOT_INTERVAL + 2));
    expect(again.log).toEqual(forward.log);
  });

  it('clamps a step outside the scenario and refuses a fractional one', async () => {
    const { host, count } = await loaded('block-2m');
    expect((await host.goTo(count + 10)).step).toBe(count);
    expect((await host.goTo(-3)).step).toBe(0);
    await expect(host.goTo(1.5)).rejects.toThrow(/whole number/);
  });

  it('answers an invalid scenario with issues that name the field', async () => {
    const host = new InProcessHost();
    const outcome = await host.load({ format: 'iommu-visualizer-scenario', version: 1, title: 'bad', steps: [{ kind: 'walk', table: 'x', address: 'nope', access: 'read' }] });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.issues.map((i) => i.path)).toContain('steps[0].address');
  });

  it('refuses goTo before a scenario is loaded, with a message', async () => {
    await expect(new InProcessHost().goTo(1)).rejects.toThrow(EngineHostError);
    await expect(new InProcessHost().goTo(1)).rejects.toThrow(/no scenario is loaded/);
  });

  it('pairs answers with requests when several are in flight', async () => {
    const { host, count } = await loaded('walk-4k-page');
    const answers = await Promise.all([host.goTo(count), host.goTo(1), host.goTo(3)]);
    expect(answers.map((a) => a.step)).toEqual([count, 1, 3]);
  });

  it('rejects what is in flight when disposed', async () => {
    const { host } = await loaded('walk-4k-page');
    const pending = host.goTo(2);
    host.dispose();
    await expect(pending).rejects.toThrow(/disposed/);
    await expect(host.goTo(1)).rejects.toThrow(/disposed/);
  });
});

describe('handleRequest', () => {
  it('answers every request with the same id', () => {
    const session = new EngineSession();
    const scenario = builtinScenarios[0]!.scenario;
    expect(handleRequest(session, { kind: 'load', id: 41, scenario }).id).toBe(41);
    expect(handleRequest(session, { kind: 'goTo', id: 42, step: 1 })).toMatchObject({ kind: 'state', id: 42, step: 1 });
  });
});
