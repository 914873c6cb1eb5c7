/**
 * An engine port for unit tests: the real endpoint and session (the code the
 * worker runs) behind a message hop, that can be told to crash, to hang, to
 * die silently, or to hold a long request's answer while it reports progress.
 */
import type { EnginePort, PortFactory, PortListener } from '../../../src/worker/port.ts';
import { createEndpoint } from '../../../src/worker/endpoint.ts';
import type { FromWorker, HostResponse, ToWorker } from '../../../src/worker/protocol.ts';

type Trouble = 'none' | 'crash-on-request' | 'hang-on-request' | 'silent' | 'hold';

export class FaultyEngines {
  /** Every port opened so far; the last is the live one. */
  readonly ports: FaultyPort[] = [];
  /** What the next port opened will do: 'none' unless a test says otherwise. */
  nextTrouble: Trouble = 'none';
  /** A port that faults before saying anything, like a worker whose script fails to load. */
  failToStart = false;
  /** A request every engine crashes on, however often it is restarted. */
  poison: ((message: ToWorker) => boolean) | undefined;

  readonly factory: PortFactory = (listener) => {
    const port = new FaultyPort(listener, this.failToStart, this.nextTrouble, (m) => this.poison?.(m) ?? false);
    this.nextTrouble = 'none';
    this.ports.push(port);
    return port;
  };

  get live(): FaultyPort {
    const port = this.ports.at(-1);
    if (!port) throw new Error('no port was opened');
    return port;
  }
}

export class FaultyPort implements EnginePort {
  trouble: Trouble;
  terminated = false;
  readonly received: ToWorker[] = [];
  /** Answers withheld while trouble is 'hold'. */
  private held: HostResponse[] = [];
  private readonly handle: (message: ToWorker) => void;

  constructor(private readonly listener: PortListener, failToStart: boolean, trouble: Trouble, private readonly poisoned: (message: ToWorker) => boolean) {
    this.trouble = trouble;
    // A clock that moves 40 ms per reading, so every few steps of a request post a progress message.
    let t = 0;
    this.handle = createEndpoint((message) => this.deliver(message), () => (t += 40));
    if (failToStart) queueMicrotask(() => listener.fault('the script could not be loaded'));
  }

  post(message: ToWorker): void {
    if (this.terminated) return;
    this.received.push(message);
    if (this.trouble === 'silent') return;
    if (message.kind !== 'ping' && (this.trouble === 'crash-on-request' || this.poisoned(message))) {
      queueMicrotask(() => this.listener.fault('RangeError: Maximum call stack size exceeded'));
      return;
    }
    if (message.kind !== 'ping' && this.trouble === 'hang-on-request') {
      // Busy for ever from here: not even pings are answered.
      this.trouble = 'silent';
      return;
    }
    const copy = structuredClone(message);
    queueMicrotask(() => this.handle(copy));
  }

  terminate(): void {
    this.terminated = true;
    this.held = [];
  }

  /** Lets the held answers through, as if the long request had finished. */
  release(): void {
    this.trouble = 'none';
    const held = this.held;
    this.held = [];
    for (const response of held) this.listener.message(response);
  }

  private deliver(message: FromWorker): void {
    const copy = structuredClone(message);
    queueMicrotask(() => {
      if (this.terminated) return;
      if (this.trouble === 'hold' && copy.kind !== 'progress' && copy.kind !== 'pong') this.held.push(copy);
      else this.listener.message(copy);
    });
  }
}

/** A clock the test moves by hand: ticks run only inside advance(). */
export class ManualClock {
  private t = 0;
  private readonly timers: { every: number; next: number; tick: () => void }[] = [];

  now(): number {
    return this.t;
  }

  every(ms: number, tick: () => void): () => void {
    const timer = { every: ms, next: this.t + ms, tick };
    this.timers.push(timer);
    return () => {
      const i = this.timers.indexOf(timer);
      if (i >= 0) this.timers.splice(i, 1);
    };
  }

  /** Moves time on by `ms`, running due ticks in order and letting messages settle after each. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.t = due.next;
      due.next += due.every;
      due.tick();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

/** Lets queued microtasks (message hops, promise chains) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setTimeout(resolve, 0));
}
