/**
 * The worker entry: everything it does is hand each message to the
 * endpoint (the session behind it) and post the answers back, on the answer
 * channel its page named it with (answer-channel.ts) when there is one.
 */
import { answerChannelOf, canBroadcast } from './answer-channel.ts';
import { createEndpoint } from './endpoint.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

interface WorkerScope {
  readonly name: string;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
}

const scope = self as unknown as WorkerScope;
const channelName = canBroadcast() ? answerChannelOf(scope.name) : undefined;
const answers = channelName === undefined ? undefined : new BroadcastChannel(channelName);
const handle = createEndpoint((message) => (answers ? answers.postMessage(message) : scope.postMessage(message)));
scope.onmessage = (event) => handle(event.data);
