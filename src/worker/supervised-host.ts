/**
 * The engine host the page uses: the worker behind a supervisor. It pings
 * the worker; a worker that crashes, or stays silent past the hang limit
 * (no answer, no pong, no progress), is replaced by a fresh one, which is
 * given the scenario again and replayed to the step last shown. Requests
 * that were waiting are then sent to it, so the page's calls still get their
 * answers. Cancel is the same restart on purpose: a worker deep in a long
 * synchronous run cannot be interrupted, only replaced.
 */
import { CallingHost, type RequestBody } from './client.ts';
import { EngineHostError } from './protocol.ts';
import type { EngineHost, FromWorker, HostRequest, HostResponse, RequestId } from './protocol.ts';
import type { EnginePort, PortFactory } from './port.ts';
import type { SmmuViewRequest } from './smmu-view-types.ts';

export interface Progress {
  readonly done: number;
  readonly total: number;
  /** True while a restarted engine is replaying the scenario, not running what the page asked. */
  readonly replay: boolean;
  /** Inside one long smmu.dmaBurst step: its DMAs made so far. */
  readonly dmas?: { readonly done: number; readonly total: number };
  cancel(): void;
}

export interface HostNotice {
  readonly tone: 'info' | 'warning' | 'error';
  readonly text: string;
}

/** Time as the supervisor sees it; tests drive a manual one. */
export interface Clock {
  now(): number;
  /** Calls `tick` every `ms`; returns the function that stops it. */
  every(ms: number, tick: () => void): () => void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    return () => clearInterval(timer);
  },
};

export interface SupervisorOptions {
  readonly onNotice?: (notice: HostNotice) => void;
  /** A long request's progress; undefined when it is over. */
  readonly onProgress?: (progress: Progress | undefined) => void;
  /** How often to ping the worker. */
  readonly heartbeatMs?: number;
  /** How long an unanswered ping may wait, with nothing else heard, before the worker counts as hung. */
  readonly hangMs?: number;
  readonly clock?: Clock;
}

export const DEFAULT_HEARTBEAT_MS = 1000;
export const DEFAULT_HANG_MS = 6000;
/** A request that was running when the engine died twice is dropped, not sent a third time. */
const MAX_RESTARTS_PER_REQUEST = 1;
/** Restarts in a row whose replay itself failed, before giving up on the worker. */
const MAX_FAILED_RECOVERIES = 2;

interface Job {
  readonly body: RequestBody;
  /** A request of the supervisor's own replay, not the page's. */
  readonly internal: boolean;
  resolve(response: HostResponse): void;
  reject(error: Error): void;
  restarts: number;
}

export class SupervisedHost extends CallingHost implements EngineHost {
  readonly mode = 'worker' as const;
  private readonly clock: Clock;
  private readonly hangMs: number;
  private readonly stopBeat: () => void;
  private port: EnginePort;
  private generation = 0;
  private nextId: RequestId = 1;
  private readonly inFlight = new Map<RequestId, Job>();
  /** The page's requests held back while a restarted engine replays. */
  private waiting: Job[] = [];
  /** Cancelled requests, answered with the state the replay ends at. */
  private cancelled: Job[] = [];
  private recovering = false;
  private failedRecoveries = 0;
  private dead: string | undefined;
  private everHeard = false;
  /** When the oldest ping not yet followed by any message was sent. */
  private awaitingSince: number | undefined;
  private pingSeq = 0;
  private showingProgress = false;
  /** What a restart replays: the scenario last loaded, the step and the view last answered. */
  private scenario: { readonly value: unknown } | undefined;
  private step = 0;
  private shownView: SmmuViewRequest | undefined;

  constructor(private readonly factory: PortFactory, private readonly options: SupervisorOptions = {}) {
    super();
    this.clock = options.clock ?? realClock;
    this.hangMs = options.hangMs ?? DEFAULT_HANG_MS;
    this.port = this.open();
    this.stopBeat = this.clock.every(options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, () => this.beat());
  }

  /** Abandons what the engine is doing: a new engine, replayed to the step last shown; the cancelled requests get that step. */
  cancel(): void {
    if (this.dead !== undefined || this.disposedOrIdle()) return;
    // Cancelling a replay gives up on its step too: back to the start of the scenario.
    if (this.recovering) this.step = 0;
    void this.restart('cancel', 'cancelled');
  }

  dispose(): void {
    this.die('the engine host was disposed');
  }

  private disposedOrIdle(): boolean {
    return !this.recovering && [...this.inFlight.values()].every((job) => job.internal);
  }

  protected call(body: RequestBody): Promise<HostResponse> {
    if (this.dead !== undefined) return Promise.reject(new EngineHostError(this.dead));
    return new Promise<HostResponse>((resolve, reject) => {
      const job: Job = { body, internal: false, resolve, reject, restarts: 0 };
      if (this.recovering) this.waiting.push(job);
      else this.send(job);
    });
  }

  private internal(body: RequestBody): Promise<HostResponse> {
    return new Promise<HostResponse>((resolve, reject) => this.send({ body, internal: true, resolve, reject, restarts: 0 }));
  }

  private send(job: Job): void {
    const id = this.nextId++;
    this.inFlight.set(id, job);
    try {
      this.port.post({ ...job.body, id } as HostRequest);
    } catch (error) {
      this.inFlight.delete(id);
      job.reject(new EngineHostError(`the request could not be sent to the engine: ${messageOf(error)}`));
    }
  }

  private open(): EnginePort {
    const generation = ++this.generation;
    this.awaitingSince = undefined;
    return this.factory({
      message: (message) => {
        if (generation === this.generation) this.heard(message);
      },
      fault: (reason) => {
        if (generation === this.generation) this.fault(`The engine crashed (${reason})`);
      },
    });
  }

  private beat(): void {
    if (this.dead !== undefined) return;
    const now = this.clock.now();
    if (this.awaitingSince === undefined) {
      this.awaitingSince = now;
      try {
        this.port.post({ kind: 'ping', seq: ++this.pingSeq });
      } catch (error) {
        this.fault(`The engine crashed (${messageOf(error)})`);
      }
    } else if (now - this.awaitingSince > this.hangMs) {
      this.fault('The engine stopped answering');
    }
  }

  private heard(message: FromWorker): void {
    this.everHeard = true;
    this.awaitingSince = undefined;
    if (message.kind === 'pong') return;
    if (message.kind === 'progress') {
      const job = this.inFlight.get(message.id);
      if (job) this.progress(message.done, message.total, job.internal, message.dmas);
      return;
    }
    const job = this.inFlight.get(message.id);
    if (!job) return;
    this.inFlight.delete(message.id);
    this.remember(job.body, message);
    if (this.inFlight.size === 0) this.progressOver();
    job.resolve(message);
  }

  /** Keeps what a restart must replay up to date with each answer. */
  private remember(body: RequestBody, response: HostResponse): void {
    switch (response.kind) {
      case 'loaded':
        this.scenario = { value: body.kind === 'load' ? body.scenario : undefined };
        this.step = 0;
        this.shownView = undefined;
        return;
      case 'invalid':
        this.scenario = undefined;
        this.step = 0;
        return;
      case 'state':
      case 'view':
        this.step = response.step;
        if (body.kind !== 'load' && body.view) this.shownView = body.view;
        return;
      case 'failed':
        return;
    }
  }

  private fault(text: string): void {
    if (this.dead !== undefined) return;
    // A worker that never said anything did not start: the page falls back to running the engine itself.
    if (!this.everHeard) return this.die(`the engine worker could not start (${text.replace(/^The engine /, '')})`);
    void this.restart('fault', text);
  }

  private async restart(cause: 'fault' | 'cancel', text: string): Promise<void> {
    this.port.terminate();
    const running = [...this.inFlight.entries()].sort((a, b) => a[0] - b[0]).map(([, job]) => job);
    this.inFlight.clear();
    for (const job of running) if (job.internal) job.reject(new EngineHostError('superseded by another restart'));
    const mine = running.filter((job) => !job.internal);
    if (cause === 'cancel') {
      this.cancelled.push(...mine, ...this.waiting);
      this.waiting = [];
    } else {
      for (const job of mine) job.restarts += 1;
      for (const job of mine.filter((j) => j.restarts > MAX_RESTARTS_PER_REQUEST)) {
        job.reject(new EngineHostError(`the engine stopped twice while running '${job.body.kind}', so it was restarted without it`));
      }
      this.waiting.unshift(...mine.filter((j) => j.restarts <= MAX_RESTARTS_PER_REQUEST));
      this.failedRecoveries += this.recovering ? 1 : 0;
      if (this.failedRecoveries > MAX_FAILED_RECOVERIES) return this.die(`${text} again and again while restarting`);
    }
    this.recovering = true;
    this.progressOver();
    try {
      this.port = this.open();
    } catch (error) {
      return this.die(`a new engine worker could not be started: ${messageOf(error)}`);
    }
    const generation = this.generation;
    // Read before the replay: its own 'loaded' answer resets them.
    const { scenario, step, shownView: view } = this;
    let replayed: HostResponse | undefined;
    try {
      if (scenario) {
        const loaded = await this.internal({ kind: 'load', scenario: scenario.value });
        if (loaded.kind !== 'loaded') throw new EngineHostError(`the scenario did not load again (${loaded.kind})`);
        replayed = await this.internal({ kind: 'goTo', step, ...(view ? { view } : {}) });
        if (replayed.kind !== 'state') throw new EngineHostError(replayed.kind === 'failed' ? replayed.message : `replay answered '${replayed.kind}'`);
      }
    } catch (error) {
      // Another restart (a second fault, a cancel) has taken over and will finish the job.
      if (generation !== this.generation || this.dead !== undefined) return;
      return this.die(`the engine could not be restarted: ${messageOf(error)}`);
    }
    if (generation !== this.generation || this.dead !== undefined) return;
    this.recovering = false;
    this.failedRecoveries = 0;
    const where = replayed ? `replayed the scenario to step ${this.step}` : 'no scenario was open';
    this.options.onNotice?.(cause === 'cancel'
      ? { tone: 'info', text: `Cancelled. The engine was restarted and ${where}.` }
      : { tone: 'warning', text: `${text}; restarted it and ${where}.` });
    const cancelled = this.cancelled;
    this.cancelled = [];
    for (const job of cancelled) answerCancelled(job, replayed);
    const waiting = this.waiting;
    this.waiting = [];
    for (const job of waiting) this.send(job);
  }

  private progress(done: number, total: number, replay: boolean, dmas?: { done: number; total: number }): void {
    if (!this.options.onProgress) return;
    this.showingProgress = true;
    this.options.onProgress({ done, total, replay, ...(dmas ? { dmas } : {}), cancel: () => this.cancel() });
  }

  private progressOver(): void {
    if (!this.showingProgress) return;
    this.showingProgress = false;
    this.options.onProgress?.(undefined);
  }

  private die(message: string): void {
    if (this.dead !== undefined) return;
    this.dead = message;
    this.stopBeat();
    this.port.terminate();
    this.progressOver();
    const jobs = [...this.inFlight.values(), ...this.waiting, ...this.cancelled];
    this.inFlight.clear();
    this.waiting = [];
    this.cancelled = [];
    for (const job of jobs) job.reject(new EngineHostError(message));
  }
}

/** A cancelled request is answered with where the engine is now, so the page shows a real state. */
function answerCancelled(job: Job, state: HostResponse | undefined): void {
  if (state?.kind !== 'state' || job.body.kind === 'load') {
    job.reject(new EngineHostError('cancelled'));
    return;
  }
  if (job.body.kind === 'goTo') job.resolve(state);
  else job.resolve({ kind: 'view', id: state.id, step: state.step, ...(state.smmu ? { smmu: state.smmu } : {}) });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
