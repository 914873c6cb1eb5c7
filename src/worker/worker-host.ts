/**
 * The engine in a Web Worker: the page only posts messages and awaits
 * answers, so a long replay never blocks scrolling, typing or animation.
 */
import { RequestTracker, toLoadOutcome, toStepState, toViewState } from './client.ts';
import type { RequestBody } from './client.ts';
import type { EngineHost, HostResponse, LoadOutcome, StepState, ViewState } from './protocol.ts';
import type { SmmuViewRequest } from './smmu-view-types.ts';
import { LazyInProcessHost } from './lazy-in-process-host.ts';
import { workerPort } from './port.ts';
import { SupervisedHost, type SupervisorOptions } from './supervised-host.ts';

export class WorkerHost implements EngineHost {
  readonly mode = 'worker' as const;
  private readonly tracker = new RequestTracker();

  constructor(private readonly worker: Worker) {
    worker.addEventListener('message', (event: MessageEvent<HostResponse>) => this.tracker.settle(event.data));
    worker.addEventListener('error', (event: ErrorEvent) => {
      this.tracker.failAll(`the engine worker failed: ${event.message || 'it could not start'}`);
    });
    worker.addEventListener('messageerror', () => this.tracker.failAll('a message from the engine worker could not be read'));
  }

  load(scenario: unknown): Promise<LoadOutcome> {
    return this.call({ kind: 'load', scenario }).then(toLoadOutcome);
  }

  goTo(step: number, view?: SmmuViewRequest): Promise<StepState> {
    return this.call({ kind: 'goTo', step, ...(view ? { view } : {}) }).then(toStepState);
  }

  view(view: SmmuViewRequest): Promise<ViewState> {
    return this.call({ kind: 'view', view }).then(toViewState);
  }

  dispose(): void {
    this.tracker.failAll('the engine host was disposed');
    this.worker.terminate();
  }

  private call(body: RequestBody): Promise<HostResponse> {
    return this.tracker.issue(body, (request) => this.worker.postMessage(request));
  }
}

export interface EngineHostOptions {
  readonly onNotice?: SupervisorOptions['onNotice'];
  readonly onProgress?: SupervisorOptions['onProgress'];
}

/** The supervised worker when the browser can run one, otherwise the engine on the page (loaded on demand). */
export function createEngineHost(options: EngineHostOptions = {}): EngineHost {
  if (typeof Worker === 'function') {
    try {
      return new SupervisedHost(workerPort, options);
    } catch {
      // Some embedded browsers refuse module workers; the page then runs the engine itself.
    }
  }
  return new LazyInProcessHost();
}
