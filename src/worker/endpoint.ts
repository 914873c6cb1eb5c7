/**
 * The engine side of the message channel, apart from the Worker global so
 * unit tests can run the very same handler behind an in-process port.
 *
 * A ping is answered at once, but only between requests: a request runs to
 * its end synchronously. While a long one runs, progress messages are the
 * proof of life; postMessage from inside the loop reaches the page at once,
 * even though this thread does not yield.
 */
import type { FromWorker, ToWorker } from './protocol.ts';
import { EngineSession, handleRequest } from './session.ts';

/** How often a long request reports how far it got; its first report comes this long after it started. */
export const PROGRESS_EVERY_MS = 100;

export function createEndpoint(post: (message: FromWorker) => void, now: () => number = () => performance.now()): (message: ToWorker) => void {
  const session = new EngineSession();
  return (message) => {
    if (message.kind === 'ping') {
      post({ kind: 'pong', seq: message.seq });
      return;
    }
    let last = now();
    const onProgress = (done: number, total: number, dmas?: { done: number; total: number }) => {
      const t = now();
      if (t - last < PROGRESS_EVERY_MS) return;
      last = t;
      post({ kind: 'progress', id: message.id, done, total, ...(dmas ? { dmas } : {}) });
    };
    post(handleRequest(session, message, onProgress));
    // The page has its answer; what the session deferred (a snapshot) runs now, before the next message.
    session.afterAnswer();
  };
}
