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
import type { HostRequest, HostResponse, RequestId, ScenarioOutline, StepViewRequest } from './protocol.ts';
import type { Scenario } from '../scenario/index.ts';
import { CompareSession } from './compare-session.ts';
import { DEFAULT_VIEW_REQUEST, type SmmuView, type SmmuViewRequest } from './smmu-view-types.ts';
import { buildLinuxView } from './linux-view.ts';
import { buildSmmuView } from './smmu-views.ts';

/** Told how many of a request's steps are applied; the worker turns this into progress messages. */
export type ProgressListener = (done: number, total: number, dmas?: { done: number; total: number }) => void;

/** DMAs per slice of a long burst: small enough that progress (and the heartbeat's proof of life) keeps flowing. */
export const BURST_SLICE = 1 << 16;

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
  /** The step the engine is at. */
  cursor: number;
  /** The step last answered: a cached answer can leave the engine elsewhere until it is needed there. */
  shown: number;
  /** Answers already given, by step and view: stepping back and forth again costs no replay. */
  readonly answers: Map<string, StateAnswer>;
  /** A snapshot due at the step the engine stopped on, taken after the answer is sent (afterAnswer). */
  pendingSnapshot?: number;
  /** The view of the last step answered: read-ahead answers the next step in it. */
  lastView?: StepViewRequest;
  /** The engine at the step shown, taken before a read-ahead moved it on: going back there is a copy, not a replay. */
  returnPoint?: { readonly step: number; readonly snapshot: EngineSnapshot };
}

type StateAnswer = Omit<Extract<HostResponse, { kind: 'state' }>, 'id'>;

/** Answers kept per scenario; a state answer holds references to the shared log, so each is small. */
export const ANSWER_CACHE_SIZE = 64;

export class EngineSession {
  private loaded: Loaded | undefined;
  /** The scenario on both IOMMUs, made the first time a goTo asks for the comparison. */
  private comparison: { readonly scenario: Scenario; session?: CompareSession } | undefined;

  load(id: RequestId, input: unknown): HostResponse {
    const parsed = parseScenario(input);
    if (!parsed.ok) {
      this.loaded = undefined;
      this.comparison = undefined;
      return { kind: 'invalid', id, issues: parsed.errors };
    }
    const scenario = parsed.scenario;
    this.comparison = { scenario };
    const options = engineOptionsOf(scenario);
    const engine = new Engine(options);
    this.loaded = {
      commands: scenarioToCommands(scenario),
      options,
      snapshots: new Map([[0, engine.snapshot()]]),
      log: [],
      engine,
      cursor: 0,
      shown: 0,
      answers: new Map(),
    };
    const outline: ScenarioOutline = {
      title: scenario.title,
      ...(scenario.description === undefined ? {} : { description: scenario.description }),
      stepCount: scenario.steps.length,
      steps: scenario.steps.map((step) => ({
        label: stepLabel(step),
        kind: step.kind,
        ...(step.note === undefined ? {} : { note: step.note }),
        ...(step.predict === undefined ? {} : { predict: step.predict }),
      })),
    };
    return { kind: 'loaded', id, outline, scenario };
  }

  /** `onProgress` hears (steps applied, steps to apply) after each step, so a long replay can say how far it got. */
  goTo(id: RequestId, requested: number, view: StepViewRequest = DEFAULT_VIEW_REQUEST, onProgress?: ProgressListener): HostResponse {
    const s = this.loaded;
    if (!s) return { kind: 'failed', id, message: 'no scenario is loaded' };
    if (!Number.isInteger(requested)) return { kind: 'failed', id, message: `step must be a whole number, got ${requested}` };
    const target = Math.min(Math.max(requested, 0), s.commands.length);
    s.lastView = view;
    const key = answerKey(target, view);
    const cached = s.answers.get(key);
    if (cached) {
      // Most recently used last, so the oldest answer is the first dropped.
      s.answers.delete(key);
      s.answers.set(key, cached);
      s.shown = target;
      return { ...cached, id };
    }
    this.moveTo(s, target, onProgress);
    return { ...this.answerHere(s, key, view), id };
  }

  /** The answer at the engine's step, kept in the cache under `key`. */
  private answerHere(s: Loaded, key: string, view: StepViewRequest): StateAnswer {
    const log = s.log.slice(0, s.cursor);
    const smmu = this.smmuView(s, log, view);
    const linux = s.engine.linux ? buildLinuxView(s.engine.linux) : undefined;
    const compare = view.compare && this.comparison ? (this.comparison.session ??= new CompareSession(this.comparison.scenario)).at(s.cursor) : undefined;
    const answer: StateAnswer = { kind: 'state', step: s.cursor, log, ...(smmu ? { smmu } : {}), ...(linux ? { linux } : {}), ...(compare ? { compare } : {}) };
    s.answers.set(key, answer);
    if (s.answers.size > ANSWER_CACHE_SIZE) s.answers.delete(s.answers.keys().next().value as string);
    return answer;
  }

  /**
   * Read-ahead, for when the worker is idle: answers the step after the one shown, in the view last asked
   * for, so that stepping forward (what a lesson does) is answered from the cache. The step shown does not
   * change, and the engine comes back to it from a snapshot taken first. A long DMA burst is not read
   * ahead (it would hold the worker for seconds). Returns whether it did anything.
   */
  readAhead(): boolean {
    const s = this.loaded;
    const view = s?.lastView;
    if (!s || !view || s.shown >= s.commands.length) return false;
    const next = s.shown + 1;
    const key = answerKey(next, view);
    const command = s.commands[s.shown];
    if (s.answers.has(key) || (command?.kind === 'smmu.dmaBurst' && command.count > BURST_SLICE)) return false;
    const shown = s.shown;
    if (s.cursor === shown && s.returnPoint?.step !== shown && !s.snapshots.has(shown)) s.returnPoint = { step: shown, snapshot: s.engine.snapshot() };
    this.moveTo(s, next);
    this.answerHere(s, key, view);
    s.shown = shown;
    return true;
  }

  /**
   * One step. A DMA burst of more than one slice runs slice by slice through the engine's resumable burst,
   * reporting how many DMAs are made, so a million-DMA step shows progress and can be cancelled mid-way (the
   * page restarts the worker); the events are the same as one apply() would give.
   */
  private applyStep(s: Loaded, command: EngineCommand, done: number, total: number, onProgress?: ProgressListener): EngineEvent[] {
    if (command.kind !== 'smmu.dmaBurst' || !onProgress || command.count <= BURST_SLICE) return s.engine.apply(command);
    const run = s.engine.startDmaBurst(command);
    if ('rejected' in run) return run.rejected;
    for (;;) {
      const r = run.runSlice(BURST_SLICE);
      if (r.done >= r.count) break;
      onProgress(done, total, { done: r.done, total: r.count });
    }
    return run.finish();
  }

  /** Brings the engine to `target` (back from a snapshot, then forward), telling `onProgress` how far it got. */
  private moveTo(s: Loaded, target: number, onProgress?: ProgressListener): void {
    this.takePendingSnapshot(s);
    if (target < s.cursor) this.rewind(s, target);
    const from = s.cursor;
    while (s.cursor < target) {
      const command = s.commands[s.cursor];
      if (!command) break;
      s.log[s.cursor] = this.applyStep(s, command, s.cursor - from, target - from, onProgress);
      s.cursor += 1;
      if (s.cursor % SNAPSHOT_INTERVAL === 0 && !s.snapshots.has(s.cursor)) {
        // A snapshot copies the engine's memory (tens of ms for a big scenario): at the step asked for it waits
        // until the answer is on its way, so a step forward is never held up by it.
        if (s.cursor === target) s.pendingSnapshot = s.cursor;
        else s.snapshots.set(s.cursor, s.engine.snapshot());
      }
      onProgress?.(s.cursor - from, target - from);
    }
    s.shown = s.cursor;
  }

  /**
   * Work left for after an answer is posted: the snapshot of the step the engine stopped on. The worker calls
   * it once the answer is sent; otherwise it is done before the engine next moves, while still at that step.
   */
  afterAnswer(): void {
    if (this.loaded) this.takePendingSnapshot(this.loaded);
  }

  private takePendingSnapshot(s: Loaded): void {
    const step = s.pendingSnapshot;
    if (step === undefined) return;
    s.pendingSnapshot = undefined;
    if (s.cursor === step && !s.snapshots.has(step)) s.snapshots.set(step, s.engine.snapshot());
  }

  /** The SMMU at the step last shown through another window; the shown step does not change. */
  view(id: RequestId, view: SmmuViewRequest): HostResponse {
    const s = this.loaded;
    if (!s) return { kind: 'failed', id, message: 'no scenario is loaded' };
    if (s.cursor !== s.shown) this.moveTo(s, s.shown);
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
    const point = s.returnPoint;
    const snapshot = point && point.step <= target && point.step > best ? ((best = point.step), point.snapshot) : s.snapshots.get(best);
    if (!snapshot) throw new Error('the step-0 snapshot is missing');
    // fromSnapshot copies the snapshot's memory, so the cached one stays as it was.
    s.engine = Engine.fromSnapshot(snapshot);
    s.cursor = best;
  }
}

function answerKey(step: number, view: StepViewRequest): string {
  return `${step} ${JSON.stringify(view)}`;
}

/** The one switch over requests, shared by the worker and the in-process host. */
export function handleRequest(session: EngineSession, request: HostRequest, onProgress?: ProgressListener): HostResponse {
  try {
    switch (request.kind) {
      case 'load':
        return session.load(request.id, request.scenario);
      case 'goTo':
        return session.goTo(request.id, request.step, request.view, onProgress);
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
