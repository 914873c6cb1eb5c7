/**
 * The worker entry: everything it does is hand each message to the
 * endpoint (the session behind it) and post the answers back: a step's
 * answer on the answer channel its page named it with (answer-channel.ts)
 * when there is one.
 */
import { answerChannelOf, canBroadcast, HELLO, type ChannelConfirmed } from './answer-channel.ts';
import { createEndpoint } from './endpoint.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

interface WorkerScope {
  readonly name: string;
  onmessage: ((event: MessageEvent<ToWorker | ChannelConfirmed>) => void) | null;
  postMessage(message: FromWorker): void;
}

const scope = self as unknown as WorkerScope;

/**
 * A step's answer (and the progress before it, and a failure) is what a key press or click waits for: the
 * channel. The rest (views while the stream table scrolls, pongs, load answers) stays on postMessage: the
 * channel's messages pass through the browser process, slower while the page scrolls (more blank rows).
 */
const answersStep = (message: FromWorker) => message.kind === 'state' || message.kind === 'progress' || message.kind === 'failed';

const channelName = canBroadcast() ? answerChannelOf(scope.name) : undefined;
const answers = channelName === undefined ? undefined : new BroadcastChannel(channelName);
/** Set once the page confirms it hears the channel: a page that does not (whatever the reason) loses nothing. */
let confirmed = false;
answers?.postMessage(HELLO);

const handle = createEndpoint((message) => (answers && confirmed && answersStep(message) ? answers.postMessage(message) : scope.postMessage(message)));
scope.onmessage = (event) => {
  const message = event.data;
  if (message.kind === 'answerChannel') confirmed = true;
  else handle(message);
};
