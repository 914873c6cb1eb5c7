/**
 * Linux scenarios run the way the page runs them (the engine session both
 * hosts share), so the topology views and events are the ones the worker
 * would post.
 */
import type { EngineEvent } from '../../../src/engine/index.ts';
import { builtinScenario, type Scenario } from '../../../src/scenario/index.ts';
import type { LinuxView } from '../../../src/worker/linux-view.ts';
import { EngineSession } from '../../../src/worker/session.ts';

export type Called = Extract<EngineEvent, { kind: 'linux.called' }>;
export type Booted = Extract<EngineEvent, { kind: 'linux.booted' }>;

export function scenarioOf(id: string): Scenario {
  const s = builtinScenario(id);
  if (!s) throw new Error(`no built-in ${id}`);
  return s;
}

export interface LinuxShown {
  readonly step: number;
  readonly log: readonly (readonly EngineEvent[])[];
  readonly linux: LinuxView | undefined;
}

export function linuxAt(id: string, step: number): LinuxShown {
  const session = new EngineSession();
  const loaded = session.load(1, scenarioOf(id));
  if (loaded.kind !== 'loaded') throw new Error(`${id} did not load`);
  const r = session.goTo(2, step);
  if (r.kind !== 'state') throw new Error(`goTo failed: ${JSON.stringify(r)}`);
  return { step: r.step, log: r.log, linux: r.linux };
}

/** 1-based step number of the n-th call of that name. */
export function callStep(id: string, call: string, nth = 0): number {
  const steps = scenarioOf(id).steps.flatMap((s, i) => (s.kind === 'linux.call' && s.call === call ? [i + 1] : []));
  const step = steps[nth];
  if (step === undefined) throw new Error(`${id} has no call ${call} #${nth}`);
  return step;
}

export function calledAt(shown: LinuxShown, step = shown.step): Called {
  const e = shown.log[step - 1]?.find((x): x is Called => x.kind === 'linux.called');
  if (!e) throw new Error(`step ${step} made no call`);
  return e;
}

export function viewOf(shown: LinuxShown): LinuxView {
  if (!shown.linux) throw new Error('no Linux view');
  return shown.linux;
}
