/**
 * The engine in a Web Worker (supervised: supervised-host.ts): the page only
 * posts messages and awaits answers, so a long replay never blocks
 * scrolling, typing or animation.
 */
import type { EngineHost } from './protocol.ts';
import { LazyInProcessHost } from './lazy-in-process-host.ts';
import { workerPort } from './port.ts';
import { SupervisedHost, type SupervisorOptions } from './supervised-host.ts';

export interface EngineHostOptions {
  readonly onNotice?: SupervisorOptions['onNotice'];
  readonly onProgress?: SupervisorOptions['onProgress'];
}

/** The supervised worker when the browser can run one, otherwise the engine on the page (loaded on demand). */
export function createEngineHost(options: EngineHostOptions = {}): EngineHost {
  if (typeof Worker === 'function') {
    try {
      return new SupervisedHost(workerPort, options);
    } catch {
      // Some embedded browsers refuse module workers; the page then runs the engine itself.
    }
  }
  return new LazyInProcessHost();
}
