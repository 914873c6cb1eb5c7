/**
 * The engine worker's answers come back on a BroadcastChannel private to the
 * page that started it, not through the Worker's own postMessage. Chromium
 * defers a worker's messages to the page after a key press or click until
 * the page has drawn its next frame (its DeferRendererTasksAfterInput
 * scheduling policy); while a diagram animates, every step's answer waited
 * up to a frame (p95 15 ms) although the worker had answered in under a
 * millisecond. BroadcastChannel messages are not deferred (measured:
 * docs/performance.md), so the step the user asked for is drawn a frame
 * sooner. Requests still go through worker.postMessage.
 *
 * The channel's name is random per worker and travels in the worker's name,
 * so no other tab or worker of the app shares it.
 */

const PREFIX = 'engine ';

/**
 * The handshake, between the worker's entry and the page's port only (not part of the engine protocol): the
 * worker says hello on the channel when it starts; the page, hearing it, confirms through postMessage; only
 * then does the worker answer steps on the channel. A page that never hears the channel (whatever the reason)
 * keeps getting every answer through postMessage.
 */
export interface ChannelHello {
  readonly kind: 'hello';
}
export interface ChannelConfirmed {
  readonly kind: 'answerChannel';
}
export const HELLO: ChannelHello = { kind: 'hello' };
export const CONFIRMED: ChannelConfirmed = { kind: 'answerChannel' };

/** A fresh channel name for a new engine worker, carried as its `name`. */
export function newWorkerName(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return PREFIX + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The answer channel a worker was named with, or undefined (an older page, a test): it then answers through postMessage. */
export function answerChannelOf(workerName: string): string | undefined {
  return workerName.startsWith(PREFIX) && workerName.length > PREFIX.length ? workerName : undefined;
}

/** Whether this context has BroadcastChannel (every browser the app supports does; the fallback keeps others working). */
export function canBroadcast(): boolean {
  return typeof BroadcastChannel === 'function';
}
