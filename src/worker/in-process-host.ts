/**
 * The engine on the page's own thread: used by tests and when the browser
 * cannot start a module worker. Answers are asynchronous and structured-cloned
 * like the worker's, so code that works here works across the thread boundary.
 */
import { RequestTracker, toLoadOutcome, toStepState, toViewState } from './client.ts';
import type { RequestBody } from './client.ts';
import type { EngineHost, HostResponse, LoadOutcome, StepState, ViewState } from './protocol.ts';
import type { SmmuViewRequest } from './smmu-view-types.ts';
import { EngineSession, handleRequest } from './session.ts';

export class InProcessHost implements EngineHost {
  readonly mode = 'in-process' as const;
  private readonly session = new EngineSession();
  private readonly tracker = new RequestTracker();
  private disposed = false;

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
    this.disposed = true;
    this.tracker.failAll('the engine host was disposed');
  }

  private call(body: RequestBody): Promise<HostResponse> {
    return this.tracker.issue(body, (request) => {
      if (this.disposed) throw new Error('the engine host was disposed');
      // A clone of the request too: the session must never share objects with the page.
      const copy = structuredClone(request);
      queueMicrotask(() => this.tracker.settle(structuredClone(handleRequest(this.session, copy))));
    });
  }
}
