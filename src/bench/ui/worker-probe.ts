/**
 * A script for page.addInitScript (benchmarks and browser tests only; the
 * app has no such hook): it wraps the page's Worker constructor so the
 * caller can reach the engine worker from outside. It records each engine
 * worker (a test terminates it to simulate a crash), times each goTo from
 * the moment the page posts it to the moment its 'state' answer arrives
 * (on the worker's answer channel, or its postMessage),
 * and can swap the scenario of every 'load' for a fixture.
 *
 * Kept as plain JavaScript text: a function handed to Playwright is
 * re-serialised from its source, which a TypeScript transform may have
 * decorated with helpers that do not exist in the page.
 */

export interface ProbeState {
  /** Milliseconds from posting a goTo to receiving its 'state' answer, in order. */
  readonly roundTrips: number[];
  /** How many engine workers the page has started. */
  readonly started: number;
  /** Step answers that arrived on the worker's answer channel, and through its postMessage. */
  readonly viaChannel: number;
  readonly viaPost: number;
}

/** The init script; `swap` replaces the scenario of every load request the page sends. */
export function workerProbeScript(swap?: unknown): string {
  return `(() => {
  const Original = window.Worker;
  if (typeof Original !== 'function') return;
  const swap = ${swap === undefined ? 'undefined' : JSON.stringify(swap)};
  const probe = { workers: [], roundTrips: [], sent: new Map(), viaChannel: 0, viaPost: 0 };
  Object.defineProperty(window, '__engineProbe', { value: probe });
  const heard = (event, way) => {
    const m = event.data;
    if (m && m.kind === 'state') probe[way]++;
    if (m && m.kind === 'state' && probe.sent.has(m.id)) {
      probe.roundTrips.push(performance.now() - probe.sent.get(m.id));
      probe.sent.delete(m.id);
    }
  };
  // The engine answers on a BroadcastChannel named after the worker (src/worker/answer-channel.ts): heard there too.
  const OriginalChannel = window.BroadcastChannel;
  if (typeof OriginalChannel === 'function') {
    window.BroadcastChannel = class ProbedChannel extends OriginalChannel {
      constructor(name) {
        super(name);
        if (String(name).startsWith('engine ')) this.addEventListener('message', (event) => heard(event, 'viaChannel'));
      }
    };
  }
  window.Worker = class ProbedWorker extends Original {
    constructor(url, options) {
      super(url, options);
      probe.workers.push(this);
      this.addEventListener('message', (event) => heard(event, 'viaPost'));
    }
    postMessage(message, transfer) {
      let m = message;
      if (m && m.kind === 'load' && swap !== undefined) m = { ...m, scenario: swap };
      if (m && m.kind === 'goTo') probe.sent.set(m.id, performance.now());
      return transfer === undefined ? super.postMessage(m) : super.postMessage(m, transfer);
    }
  };
})();`;
}

/** Page-side expressions for page.evaluate, as text for the same reason. */
export const PROBE = {
  state: '({ roundTrips: window.__engineProbe.roundTrips.slice(), started: window.__engineProbe.workers.length, viaChannel: window.__engineProbe.viaChannel, viaPost: window.__engineProbe.viaPost })',
  /** Terminates the newest engine worker: no error event, it just stops, as a killed process would. */
  kill: 'window.__engineProbe.workers.at(-1).terminate()',
} as const;
