/**
 * What the supervisor needs of an engine: somewhere to post messages, a way
 * to stop it, and someone to tell what comes back. A Web Worker is one; the
 * unit tests use an in-process one that can be made to crash or hang.
 */
import { canBroadcast, CONFIRMED, newWorkerName, type ChannelHello } from './answer-channel.ts';
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

/** A fresh engine worker; throws when the browser cannot start module workers. Its answers arrive on a private BroadcastChannel (answer-channel.ts). */
export const workerPort: PortFactory = (listener) => {
  const name = newWorkerName();
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name });
  const answers = canBroadcast() ? new BroadcastChannel(name) : undefined;
  const heard = (event: MessageEvent<FromWorker>) => listener.message(event.data);
  const unreadable = () => listener.fault('a message from the engine worker could not be read');
  // Both ways in are heard: the worker uses the channel once this page confirms it hears the worker's hello
  // there (a channel that never delivers costs nothing but speed), postMessage for everything else.
  answers?.addEventListener('message', (event: MessageEvent<FromWorker | ChannelHello>) => {
    const message = event.data;
    if (message.kind === 'hello') worker.postMessage(CONFIRMED);
    else listener.message(message);
  });
  answers?.addEventListener('messageerror', unreadable);
  worker.addEventListener('message', heard);
  worker.addEventListener('error', (event: ErrorEvent) => {
    // Handled here: the supervisor restarts the worker, so the page need not log it as uncaught.
    event.preventDefault();
    listener.fault(event.message || 'the engine worker could not start');
  });
  worker.addEventListener('messageerror', unreadable);
  return {
    post: (message) => worker.postMessage(message),
    terminate: () => {
      worker.terminate();
      answers?.close();
    },
  };
};
