/**
 * The worker entry: everything it does is forward each request to the
 * session and post the answer back.
 */
import './zod-jitless.ts';
import type { HostRequest, HostResponse } from './protocol.ts';
import { EngineSession, handleRequest } from './session.ts';

interface WorkerScope {
  onmessage: ((event: MessageEvent<HostRequest>) => void) | null;
  postMessage(message: HostResponse): void;
}

const scope = self as unknown as WorkerScope;
const session = new EngineSession();
scope.onmessage = (event) => scope.postMessage(handleRequest(session, event.data));
