/**
 * The engine on the page's own thread: used by tests and when the browser
 * cannot start a module worker. Answers are asynchronous and structured-cloned
 * like the worker's, so code that works here works across the thread boundary.
 */
import { CallingHost, RequestTracker, type RequestBody } from './client.ts';
import type { EngineHost, HostResponse } from './protocol.ts';
import { EngineSession, handleRequest } from './session.ts';

export class InProcessHost extends CallingHost implements EngineHost {
  readonly mode = 'in-process' as const;
  private readonly session = new EngineSession();
  private readonly tracker = new RequestTracker();
  private disposed = false;

  dispose(): void {
    this.disposed = true;
    this.tracker.failAll('the engine host was disposed');
  }

  protected call(body: RequestBody): Promise<HostResponse> {
    return this.tracker.issue(body, (request) => {
      if (this.disposed) throw new Error('the engine host was disposed');
      // A clone of the request too: the session must never share objects with the page.
      const copy = structuredClone(request);
      queueMicrotask(() => this.tracker.settle(structuredClone(handleRequest(this.session, copy))));
    });
  }
}
