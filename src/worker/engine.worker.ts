/**
 * The worker entry: everything it does is hand each message to the
 * endpoint (the session behind it) and post the answers back.
 */
import { createEndpoint } from './endpoint.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
}

const scope = self as unknown as WorkerScope;
const handle = createEndpoint((message) => scope.postMessage(message));
scope.onmessage = (event) => handle(event.data);
