/**
 * The one message protocol between the page and the engine host. Every
 * request carries an id and is answered by exactly one response with the same
 * id, so a host can have several requests in flight and still pair answers.
 * Everything here must survive structured clone (bigint does; classes and
 * functions do not).
 */
import type { EngineEvent } from '../engine/events.ts';
import type { LinuxView } from './linux-view.ts';
import type { Scenario, ScenarioIssue } from '../scenario/index.ts';
import type { Predict } from '../scenario/schema.ts';
import type { SmmuView, SmmuViewRequest } from './smmu-view-types.ts';
import type { CompareView } from './compare-types.ts';

export type RequestId = number;

export type HostRequest =
  /** Parse, validate and convert a plain scenario object; resets the cursor to step 0. */
  | { readonly kind: 'load'; readonly id: RequestId; readonly scenario: unknown }
  /** The engine state after `step` steps (0 = nothing applied yet), with the SMMU seen through `view`. */
  | { readonly kind: 'goTo'; readonly id: RequestId; readonly step: number; readonly view?: StepViewRequest }
  /** The SMMU at the current step seen through another window (the stream table scrolled, a stream selected). */
  | { readonly kind: 'view'; readonly id: RequestId; readonly view: SmmuViewRequest };

export type HostRequestKind = HostRequest['kind'];

/** goTo's view: the SMMU window, and `compare` to have the step run on both IOMMUs as well (src/worker/compare-session.ts). */
export interface StepViewRequest extends SmmuViewRequest {
  readonly compare?: boolean;
}

/** What the page needs to know about a loaded scenario. */
export interface ScenarioOutline {
  readonly title: string;
  readonly description?: string;
  readonly stepCount: number;
  /** One per step, in order: short timeline labels and the narration. */
  readonly steps: readonly StepOutline[];
}

export interface StepOutline {
  readonly label: string;
  /** The scenario step kind ("walk", "map" ...), so the page can find walk steps without the engine. */
  readonly kind: string;
  readonly note?: string;
  /** A lesson's "predict the next step" question, asked before this step runs (src/ui/lesson). */
  readonly predict?: Predict;
}

export type HostResponse =
  /** `scenario`: the document as validated (migrated, normalised), so the page needs no validator of its own. */
  | { readonly kind: 'loaded'; readonly id: RequestId; readonly outline: ScenarioOutline; readonly scenario?: Scenario }
  | { readonly kind: 'invalid'; readonly id: RequestId; readonly issues: readonly ScenarioIssue[] }
  | {
      readonly kind: 'state';
      readonly id: RequestId;
      /** The step now current (clamped into 0..stepCount). */
      readonly step: number;
      /** The events of each step 1..step; log[k - 1] belongs to step k. */
      readonly log: readonly (readonly EngineEvent[])[];
      /** The SMMU after this step; absent while the scenario has none (before smmu.probe). */
      readonly smmu?: SmmuView;
      /** The Linux IOMMU core after this step (devices, groups, domains); absent before linux.boot. */
      readonly linux?: LinuxView;
      /** The step on arm-smmu-v3 and on intel-iommu side by side, when the view asked for it. */
      readonly compare?: CompareView;
    }
  | { readonly kind: 'view'; readonly id: RequestId; readonly step: number; readonly smmu?: SmmuView }
  /** The request could not be served (no scenario loaded, an engine failure). */
  | { readonly kind: 'failed'; readonly id: RequestId; readonly message: string };

export type HostResponseKind = HostResponse['kind'];

export type LoadOutcome =
  | { readonly ok: true; readonly outline: ScenarioOutline; readonly scenario?: Scenario }
  | { readonly ok: false; readonly issues: readonly ScenarioIssue[] };

export interface StepState {
  readonly step: number;
  readonly log: readonly (readonly EngineEvent[])[];
  readonly smmu?: SmmuView;
  readonly linux?: LinuxView;
  readonly compare?: CompareView;
}

/** The answer to a view request: the SMMU at `step`, the step the engine is at. */
export interface ViewState {
  readonly step: number;
  readonly smmu?: SmmuView;
}

/**
 * The page's view of an engine host. The Web Worker host and the in-process
 * host both implement it, so the app and the tests cannot tell them apart.
 */
export interface EngineHost {
  /** Which implementation answered; shown nowhere but useful in tests and diagnostics. */
  readonly mode: 'worker' | 'in-process';
  load(scenario: unknown): Promise<LoadOutcome>;
  goTo(step: number, view?: SmmuViewRequest): Promise<StepState>;
  view(view: SmmuViewRequest): Promise<ViewState>;
  dispose(): void;
}

/** Raised by a host when the engine side answered 'failed' or went away. */
export class EngineHostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineHostError';
  }
}

/**
 * Messages outside the request/response pairing. The supervisor pings the
 * worker; the worker answers between requests, and while it runs a long
 * request it reports progress instead, so silence means it has stopped.
 */
export interface PingMessage {
  readonly kind: 'ping';
  readonly seq: number;
}

export type WorkerSignal =
  | { readonly kind: 'pong'; readonly seq: number }
  /** `done` of `total` scenario steps applied so far by request `id`. */
  | {
      readonly kind: 'progress'; readonly id: RequestId; readonly done: number; readonly total: number;
      /** Inside one smmu.dmaBurst step: how many of its DMAs have been made. */
      readonly dmas?: { readonly done: number; readonly total: number };
    };

/** Everything the page posts to the worker, and everything the worker posts back. */
export type ToWorker = HostRequest | PingMessage;
export type FromWorker = HostResponse | WorkerSignal;
