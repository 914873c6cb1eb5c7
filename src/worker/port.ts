/**
 * What the supervisor needs of an engine: somewhere to post messages, a way
 * to stop it, and someone to tell what comes back. A Web Worker is one; the
 * unit tests use an in-process one that can be made to crash or hang.
 */
import type { FromWorker, ToWorker } from './protocol.ts';

export interface PortListener {
  message(message: FromWorker): void;
  /** The engine reported a failure of its own (an uncaught error, an unreadable message). */
  fault(reason: string): void;
}

export interface EnginePort {
  post(message: ToWorker): void;
  terminate(): void;
}

export type PortFactory = (listener: PortListener) => EnginePort;

/** A fresh engine worker; throws when the browser cannot start module workers. */
export const workerPort: PortFactory = (listener) => {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' });
  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => listener.message(event.data));
  worker.addEventListener('error', (event: ErrorEvent) => {
    // Handled here: the supervisor restarts the worker, so the page need not log it as uncaught.
    event.preventDefault();
    listener.fault(event.message || 'the engine worker could not start');
  });
  worker.addEventListener('messageerror', () => listener.fault('a message from the engine worker could not be read'));
  return { post: (message) => worker.postMessage(message), terminate: () => worker.terminate() };
};
