/**
 * The engine side of the protocol: one loaded scenario, one engine at the
 * current step. Both hosts run this same object (the worker in its own
 * thread, the in-process host on the page), so they answer identically.
 *
 * Stepping back replays from a cached snapshot: the engine is only ever moved
 * forward by applying the scenario's commands, so the UI never re-derives
 * what a command does.
 */
import { Engine } from '../engine/engine.ts';
import type { EngineOptions, EngineSnapshot } from '../engine/engine.ts';
import type { EngineCommand } from '../engine/commands.ts';
import type { EngineEvent } from '../engine/events.ts';
import { assertNever } from '../engine/util/assert.ts';
import { engineOptionsOf, parseScenario, scenarioToCommands, stepLabel } from '../scenario/index.ts';
import type { HostRequest, HostResponse, RequestId, ScenarioOutline } from './protocol.ts';
import { DEFAULT_VIEW_REQUEST, type SmmuView, type SmmuViewRequest } from './smmu-view-types.ts';
import { buildLinuxView } from './linux-view.ts';
import { buildSmmuView } from './smmu-views.ts';

/** A snapshot every this many steps bounds a step back to at most this many replayed commands. */
export const SNAPSHOT_INTERVAL = 8;

interface Loaded {
  readonly commands: readonly EngineCommand[];
  readonly options: EngineOptions;
  /** step -> engine state after that many steps; always holds step 0. */
  readonly snapshots: Map<number, EngineSnapshot>;
  /** log[k - 1]: the events of step k, filled as steps are first applied. */
  readonly log: EngineEvent[][];
  engine: Engine;
  cursor: number;
}

export class EngineSession {
  private loaded: Loaded | undefined;

  load(id: RequestId, input: unknown): HostResponse {
    const parsed = parseScenario(input);
    if (!parsed.ok) {
      this.loaded = undefined;
      return { kind: 'invalid', id, issues: parsed.errors };
    }
    const scenario = parsed.scenario;
    const options = engineOptionsOf(scenario);
    const engine = new Engine(options);
    this.loaded = {
      commands: scenarioToCommands(scenario),
      options,
      snapshots: new Map([[0, engine.snapshot()]]),
      log: [],
      engine,
      cursor: 0,
    };
    const outline: ScenarioOutline = {
      title: scenario.title,
      ...(scenario.description === undefined ? {} : { description: scenario.description }),
      stepCount: scenario.steps.length,
      steps: scenario.steps.map((step) => ({
        label: stepLabel(step),
        kind: step.kind,
        ...(step.note === undefined ? {} : { note: step.note }),
      })),
    };
    return { kind: 'loaded', id, outline };
  }

  goTo(id: RequestId, requested: number, view: SmmuViewRequest = DEFAULT_VIEW_REQUEST): HostResponse {
    const s = this.loaded;
    if (!s) return { kind: 'failed', id, message: 'no scenario is loaded' };
    if (!Number.isInteger(requested)) return { kind: 'failed', id, message: `step must be a whole number, got ${requested}` };
    const target = Math.min(Math.max(requested, 0), s.commands.length);
    if (target < s.cursor) this.rewind(s, target);
    while (s.cursor < target) {
      const command = s.commands[s.cursor];
      if (!command) break;
      s.log[s.cursor] = s.engine.apply(command);
      s.cursor += 1;
      if (s.cursor % SNAPSHOT_INTERVAL === 0 && !s.snapshots.has(s.cursor)) s.snapshots.set(s.cursor, s.engine.snapshot());
    }
    const log = s.log.slice(0, s.cursor);
    const smmu = this.smmuView(s, log, view);
    const linux = s.engine.linux ? buildLinuxView(s.engine.linux) : undefined;
    return { kind: 'state', id, step: s.cursor, log, ...(smmu ? { smmu } : {}), ...(linux ? { linux } : {}) };
  }

  /** The SMMU at the current step through another window; the cursor does not move. */
  view(id: RequestId, view: SmmuViewRequest): HostResponse {
    const s = this.loaded;
    if (!s) return { kind: 'failed', id, message: 'no scenario is loaded' };
    const smmu = this.smmuView(s, s.log.slice(0, s.cursor), view);
    return { kind: 'view', id, step: s.cursor, ...(smmu ? { smmu } : {}) };
  }

  private smmuView(s: Loaded, log: readonly (readonly EngineEvent[])[], view: SmmuViewRequest): SmmuView | undefined {
    const smmu = s.engine.smmu;
    return smmu ? buildSmmuView(smmu, log, view) : undefined;
  }

  /** Restore the nearest cached snapshot at or before `target`; goTo then replays forward. */
  private rewind(s: Loaded, target: number): void {
    let best = 0;
    for (const step of s.snapshots.keys()) if (step <= target && step > best) best = step;
    const snapshot = s.snapshots.get(best);
    if (!snapshot) throw new Error('the step-0 snapshot is missing');
    // fromSnapshot copies the snapshot's memory, so the cached one stays as it was.
    s.engine = Engine.fromSnapshot(snapshot);
    s.cursor = best;
  }
}

/** The one switch over requests, shared by the worker and the in-process host. */
export function handleRequest(session: EngineSession, request: HostRequest): HostResponse {
  try {
    switch (request.kind) {
      case 'load':
        return session.load(request.id, request.scenario);
      case 'goTo':
        return session.goTo(request.id, request.step, request.view);
      case 'view':
        return session.view(request.id, request.view);
      default:
        return assertNever(request, 'host request');
    }
  } catch (error) {
    // The engine promises not to throw on bad commands; anything here is a bug worth showing.
    return { kind: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) };
  }
}
