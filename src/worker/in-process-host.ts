/**
 * The engine on the page's own thread: used by tests and when the browser
 * cannot start a module worker. Answers are asynchronous and structured-cloned
 * like the worker's, so code that works here works across the thread boundary.
 */
import { RequestTracker, toLoadOutcome, toStepState } from './client.ts';
import type { RequestBody } from './client.ts';
import type { EngineHost, HostResponse, LoadOutcome, StepState } from './protocol.ts';
import { EngineSession, handleRequest } from './session.ts';

export class InProcessHost implements EngineHost {
  readonly mode = 'in-process' as const;
  private readonly session = new EngineSession();
  private readonly tracker = new RequestTracker();
  private disposed = false;

  load(scenario: unknown): Promise<LoadOutcome> {
    return this.call({ kind: 'load', scenario }).then(toLoadOutcome);
  }

  goTo(step: number): Promise<StepState> {
    return this.call({ kind: 'goTo', step }).then(toStepState);
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
