/**
 * The engine side of the message channel, apart from the Worker global so
 * unit tests can run the very same handler behind an in-process port.
 *
 * A ping is answered at once, but only between requests: a request runs to
 * its end synchronously. While a long one runs, progress messages are the
 * proof of life; postMessage from inside the loop reaches the page at once,
 * even though this thread does not yield. After a step's answer, idle time
 * goes to reading the next step ahead, so stepping forward is answered from
 * the session's cache.
 */
import type { FromWorker, ToWorker } from './protocol.ts';
import { EngineSession, handleRequest } from './session.ts';

/** How often a long request reports how far it got; its first report comes this long after it started. */
export const PROGRESS_EVERY_MS = 100;

/** Runs `work` once the messages already waiting have been handled. */
const whenIdle = (work: () => void) => void setTimeout(work, 0);

export function createEndpoint(post: (message: FromWorker) => void, now: () => number = () => performance.now(), later: (work: () => void) => void = whenIdle): (message: ToWorker) => void {
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
    // Then, unless another request is already waiting, the next step is read ahead (session.readAhead).
    if (message.kind === 'goTo') later(() => session.readAhead());
  };
}
