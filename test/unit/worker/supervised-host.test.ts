/**
 * The supervisor in front of the engine: the real endpoint and session (what
 * the worker runs) behind a port that crashes, hangs or goes silent on
 * demand, and a clock the test moves by hand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { builtinScenario } from '../../../src/scenario/index.ts';
import { InProcessHost } from '../../../src/worker/in-process-host.ts';
import { EngineHostError } from '../../../src/worker/protocol.ts';
import type { SmmuViewRequest } from '../../../src/worker/smmu-view-types.ts';
import { DEFAULT_HANG_MS, DEFAULT_HEARTBEAT_MS, SupervisedHost, type HostNotice, type Progress } from '../../../src/worker/supervised-host.ts';
import { FaultyEngines, ManualClock, settle } from './faulty-port.ts';

const NESTED = builtinScenario('smmu-nested')!;

/** A long scenario: the 4KB walk lesson with its walk repeated, so one goTo runs for many steps. */
function longScenario(walks: number): unknown {
  const base = builtinScenario('walk-4k-page')!;
  const walk = base.steps.find((s) => s.kind === 'walk')!;
  return { ...base, steps: [...base.steps, ...Array.from({ length: walks }, () => walk)] };
}

/** What a fresh engine that never failed says at `step`: the reference every recovery must match. */
async function reference(scenario: unknown, step: number, view?: SmmuViewRequest) {
  const host = new InProcessHost();
  await host.load(scenario);
  const state = await host.goTo(step, view);
  host.dispose();
  return state;
}

let host: SupervisedHost | undefined;
afterEach(() => {
  host?.dispose();
  host = undefined;
});

function supervised(engines: FaultyEngines, clock: ManualClock) {
  const notices: HostNotice[] = [];
  const progress: (Progress | undefined)[] = [];
  host = new SupervisedHost(engines.factory, { clock, onNotice: (n) => notices.push(n), onProgress: (p) => progress.push(p) });
  return { host, notices, progress };
}

describe('the supervised engine host', () => {
  it('pings a healthy engine and never restarts it', async () => {
    const engines = new FaultyEngines();
    const clock = new ManualClock();
    const { host, notices } = supervised(engines, clock);
    await host.load(NESTED);
    await host.goTo(4);
    await clock.advance(DEFAULT_HANG_MS * 5);
    expect(engines.live.received.filter((m) => m.kind === 'ping').length).toBeGreaterThanOrEqual(5 * DEFAULT_HANG_MS / DEFAULT_HEARTBEAT_MS - 1);
    expect(engines.ports).toHaveLength(1);
    expect(notices).toEqual([]);
    expect((await host.goTo(5)).log).toEqual((await reference(NESTED, 5)).log);
  });

  it('restarts a crashed engine, replays to the step shown and answers the request that was running', async () => {
    const engines = new FaultyEngines();
    const clock = new ManualClock();
    const { host, notices } = supervised(engines, clock);
    await host.load(NESTED);
    await host.goTo(3);
    engines.live.trouble = 'crash-on-request';
    const state = await host.goTo(7);
    expect(engines.ports).toHaveLength(2);
    expect(engines.ports[0]!.terminated).toBe(true);
    expect(state.step).toBe(7);
    expect(state.log).toEqual((await reference(NESTED, 7)).log);
    expect(notices).toEqual([{ tone: 'warning', text: expect.stringMatching(/^The engine crashed \(RangeError.*\); restarted it and replayed the scenario to step 3\.$/) }]);
    // The new engine was given the scenario and brought to step 3 before the page's request.
    const sent = engines.live.received.filter((m) => m.kind !== 'ping').map((m) => (m.kind === 'goTo' ? `goTo ${m.step}` : m.kind));
    expect(sent).toEqual(['load', 'goTo 3', 'goTo 7']);
  });

  it('counts an engine that stops answering pings as hung, and carries on from the same step and view', async () => {
    const engines = new FaultyEngines();
    const clock = new ManualClock();
    const { host, notices } = supervised(engines, clock);
    const scenario = builtinScenario('smmu-stage1-dma')!;
    const view: SmmuViewRequest = { streams: { first: 4, count: 20 }, stream: 1 };
    await host.load(scenario);
    await host.goTo(6, view);
    const before = await host.view(view);
    // Killed from outside (the page terminates it, the tab's process dies): no error event, just silence.
    engines.live.trouble = 'silent';
    await clock.advance(DEFAULT_HEARTBEAT_MS + DEFAULT_HANG_MS / 2);
    expect(engines.ports).toHaveLength(1);
    await clock.advance(DEFAULT_HANG_MS);
    expect(engines.ports).toHaveLength(2);
    expect(notices.map((n) => n.text)).toEqual(['The engine stopped answering; restarted it and replayed the scenario to step 6.']);
    expect(await host.view(view)).toEqual(before);
    expect((await host.goTo(8, view)).log).toEqual((await reference(scenario, 8, view)).log);
  });

  it('recovers a request the engine hung on', async () => {
    const engines = new FaultyEngines();
    const clock = new ManualClock();
    const { host, notices } = supervised(engines, clock);
    await host.load(NESTED);
    await host.goTo(2);
    engines.live.trouble = 'hang-on-request';
    let answered: number | undefined;
    const pending = host.goTo(9).then((s) => (answered = s.step));
    await clock.advance(DEFAULT_HEARTBEAT_MS * 2);
    expect(answered).toBeUndefined();
    await clock.advance(DEFAULT_HANG_MS + DEFAULT_HEARTBEAT_MS);
    await pending;
    expect(answered).toBe(9);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain('replayed the scenario to step 2');
  });

  it('drops a request that kills the engine twice, and stays usable at the step before it', async () => {
    const engines = new FaultyEngines();
    const { host, notices } = supervised(engines, new ManualClock());
    await host.load(NESTED);
    await host.goTo(5);
    engines.poison = (m) => m.kind === 'goTo' && m.step === 10;
    await expect(host.goTo(10)).rejects.toThrow(/stopped twice while running 'goTo'/);
    await settle();
    // The first engine, the one that got the request again, and a third replayed to step 5 without it.
    expect(engines.ports).toHaveLength(3);
    expect(notices.map((n) => n.text.replace(/ \(.*\)/, ''))).toEqual([
      'The engine crashed; restarted it and replayed the scenario to step 5.',
      'The engine crashed; restarted it and replayed the scenario to step 5.',
    ]);
    const after = await host.goTo(6);
    expect(after.log).toEqual((await reference(NESTED, 6)).log);
    expect(engines.ports).toHaveLength(3);
  });

  it('gives up on a worker that never starts, so the page can run the engine itself', async () => {
    const engines = new FaultyEngines();
    engines.failToStart = true;
    const { host, notices } = supervised(engines, new ManualClock());
    await expect(host.load(NESTED)).rejects.toThrow(EngineHostError);
    await expect(host.load(NESTED)).rejects.toThrow(/could not start/);
    await expect(host.goTo(1)).rejects.toThrow(/could not start/);
    expect(engines.ports).toHaveLength(1);
    expect(notices).toEqual([]);
  });

  it('reports progress of a long run, and Cancel brings back the step before it', async () => {
    const engines = new FaultyEngines();
    const clock = new ManualClock();
    const { host, notices, progress } = supervised(engines, clock);
    const scenario = longScenario(200);
    const outcome = await host.load(scenario);
    if (!outcome.ok) throw new Error('the long scenario did not load');
    await host.goTo(4);
    engines.live.trouble = 'hold';
    const earlier = progress.length;
    const running = host.goTo(outcome.outline.stepCount);
    await settle();
    // The endpoint's clock moves 40 ms a reading, so progress is posted every few steps, counting up to the total.
    const reported = progress.slice(earlier).filter((p): p is Progress => p !== undefined);
    expect(reported.length).toBeGreaterThan(10);
    expect(reported.every((p) => p.total === outcome.outline.stepCount - 4 && !p.replay)).toBe(true);
    expect(reported.map((p) => p.done)).toEqual([...reported.map((p) => p.done)].sort((a, b) => a - b));
    // Pings wait behind the long request, but progress is proof of life: no restart.
    await clock.advance(DEFAULT_HANG_MS / 2);
    expect(engines.ports).toHaveLength(1);
    reported.at(-1)!.cancel();
    const state = await running;
    expect(state.step).toBe(4);
    expect(state.log).toEqual((await reference(scenario, 4)).log);
    expect(engines.ports).toHaveLength(2);
    expect(progress.at(-1)).toBeUndefined();
    expect(notices).toEqual([{ tone: 'info', text: 'Cancelled. The engine was restarted and replayed the scenario to step 4.' }]);
    expect((await host.goTo(5)).log).toEqual((await reference(scenario, 5)).log);
  });

  it('lets a held long run finish normally when nobody cancels it', async () => {
    const engines = new FaultyEngines();
    const clock = new ManualClock();
    const { host, notices, progress } = supervised(engines, clock);
    const scenario = longScenario(60);
    await host.load(scenario);
    engines.live.trouble = 'hold';
    const running = host.goTo(66);
    await settle();
    engines.live.release();
    expect((await running).step).toBe(66);
    expect(progress.at(-1)).toBeUndefined();
    expect(notices).toEqual([]);
  });

  it('rejects every call after dispose', async () => {
    const engines = new FaultyEngines();
    const { host } = supervised(engines, new ManualClock());
    await host.load(NESTED);
    host.dispose();
    expect(engines.live.terminated).toBe(true);
    await expect(host.goTo(2)).rejects.toThrow(/disposed/);
  });
});
