/**
 * Determinism across threads and runtimes (issue 8): every built-in scenario,
 * run to its end by the built engine worker inside Chromium, gives exactly
 * the event log the same engine gives in Node. The page talks to the worker
 * with the app's own protocol, so this is the code the app runs, not a copy.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalLessons } from '../../src/lessons/index.ts';
import { builtinScenarios } from '../../src/scenario/index.ts';
import { EngineSession, handleRequest } from '../../src/worker/session.ts';
import { openApp, type App } from './harness/index.ts';

/** JSON of anything the protocol carries: bigints as hex, as the scenario format writes them. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v));
}

function nodeLog(scenario: unknown, steps: number): string {
  const session = new EngineSession();
  const loaded = handleRequest(session, { kind: 'load', id: 1, scenario });
  if (loaded.kind !== 'loaded') throw new Error(`Node refused the scenario: ${canonical(loaded)}`);
  const state = handleRequest(session, { kind: 'goTo', id: 2, step: steps });
  if (state.kind !== 'state') throw new Error(`Node could not run it: ${canonical(state)}`);
  return canonical(state.log);
}

function workerScript(): string {
  const dist = resolve(process.cwd(), process.env['E2E_DIST_DIR'] || 'dist');
  const name = readdirSync(resolve(dist, 'assets')).find((f) => /^engine\.worker-.*\.js$/.test(f));
  if (!name) throw new Error(`no engine.worker-*.js in ${dist}/assets: was the app built?`);
  return `assets/${name}`;
}

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('determinism', () => {
  it('each built-in and lesson gives the same event log in the browser worker as in Node', async () => {
    app = await openApp({ path: '?scenario=walk-4k-page' });
    const script = workerScript();
    expect(builtinScenarios.length).toBeGreaterThan(10);
    const lessons = canonicalLessons().map((l) => ({ id: l.id, scenario: l.scenario }));
    for (const { id, scenario } of [...builtinScenarios, ...lessons]) {
      const steps = scenario.steps.length;
      const inBrowser = await app.page.evaluate(
        async ({ url, doc, n }) => {
          const worker = new Worker(new URL(url, document.baseURI), { type: 'module' });
          const ask = (message: object) =>
            new Promise<{ kind: string; log?: unknown }>((done, fail) => {
              const id = (message as { id: number }).id;
              const onMessage = (event: MessageEvent<{ id?: number; kind: string }>) => {
                // Heartbeat or progress messages may share the channel; only the answer to this request counts.
                if (event.data.id !== id || event.data.kind === 'progress' || event.data.kind === 'pong') return;
                worker.removeEventListener('message', onMessage);
                done(event.data);
              };
              worker.addEventListener('message', onMessage);
              worker.addEventListener('error', (e) => fail(new Error(e.message)));
              worker.postMessage(message);
            });
          try {
            const loaded = await ask({ kind: 'load', id: 1, scenario: doc });
            if (loaded.kind !== 'loaded') return `not loaded: ${loaded.kind}`;
            const state = await ask({ kind: 'goTo', id: 2, step: n });
            return JSON.stringify(state.log, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v));
          } finally {
            worker.terminate();
          }
        },
        { url: script, doc: JSON.parse(JSON.stringify(scenario)) as unknown, n: steps },
      );
      expect(inBrowser, `built-in "${id}"`).toBe(nodeLog(scenario, steps));
    }
    expect(app.problems()).toEqual([]);
  });
});
