/**
 * SMMU scenarios run the way the page runs them: through the engine session
 * both hosts share, so the views are the ones the worker would post.
 */
import type { EngineEvent } from '../../../src/engine/events.ts';
import { builtinScenario, parseScenario, type Scenario } from '../../../src/scenario/index.ts';
import { EngineSession } from '../../../src/worker/session.ts';
import type { SmmuView, SmmuViewRequest } from '../../../src/worker/smmu-view-types.ts';
import { DEFAULT_VIEW_REQUEST } from '../../../src/worker/smmu-view-types.ts';

export type DmaEvent = Extract<EngineEvent, { kind: 'smmu.dma' }>;
export type UpdateEvent = Extract<EngineEvent, { kind: 'smmu.steUpdated' | 'smmu.cdUpdated' }>;

export function scenarioOf(id: string): Scenario {
  const s = builtinScenario(id);
  if (!s) throw new Error(`no built-in ${id}`);
  return s;
}

export interface Shown {
  readonly step: number;
  readonly log: readonly (readonly EngineEvent[])[];
  readonly smmu: SmmuView | undefined;
}

export function runTo(scenario: Scenario | string, step: number, view: SmmuViewRequest = DEFAULT_VIEW_REQUEST): Shown & { session: EngineSession } {
  const session = new EngineSession();
  const loaded = session.load(1, typeof scenario === 'string' ? scenarioOf(scenario) : scenario);
  if (loaded.kind !== 'loaded') throw new Error(`scenario did not load: ${JSON.stringify(loaded)}`);
  const r = session.goTo(2, step, view);
  if (r.kind !== 'state') throw new Error(`goTo failed: ${JSON.stringify(r)}`);
  return { session, step: r.step, log: r.log, smmu: r.smmu };
}

/** Step numbers (from 1) of the scenario's steps of a kind. */
export function stepsOfKind(scenario: Scenario, kind: string): number[] {
  return scenario.steps.flatMap((s, i) => (s.kind === kind ? [i + 1] : []));
}

export function dmaAt(shown: Shown, step = shown.step): DmaEvent {
  const e = shown.log[step - 1]?.find((x): x is DmaEvent => x.kind === 'smmu.dma');
  if (!e) throw new Error(`step ${step} made no DMA`);
  return e;
}

export function updateAt(shown: Shown, step = shown.step): UpdateEvent {
  const e = shown.log[step - 1]?.find((x): x is UpdateEvent => x.kind === 'smmu.steUpdated' || x.kind === 'smmu.cdUpdated');
  if (!e) throw new Error(`step ${step} made no STE/CD update`);
  return e;
}

export const hexOf = (text: string): bigint => BigInt(text.replace(/_/g, ''));

/** Validates a scenario written in a test, the way a user's file is validated. */
export function scenarioFrom(json: unknown): Scenario {
  const parsed = parseScenario(json);
  if (!parsed.ok) throw new Error(`test scenario is invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.scenario;
}

/** A 2-level stream table over all 2^16 StreamIDs with two STEs written far apart. */
export const TWO_LEVEL: Scenario = scenarioFrom({
  format: 'iommu-visualizer-scenario',
  version: 1,
  title: 'A 2-level stream table of 65,536 StreamIDs',
  steps: [
    { kind: 'smmu.probe', preset: 'full', streamTable: '2-level' },
    { kind: 'smmu.writeSte', sid: 0x1234, fields: { V: 1, Config: 4, SHCFG: 1 } },
    { kind: 'smmu.writeSte', sid: 0xffff, fields: { V: 1, Config: 0 } },
  ],
});
