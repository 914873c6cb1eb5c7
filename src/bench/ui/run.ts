/**
 * `npm run bench:ui`: builds the app, serves it, drives Debian's Chromium
 * and prints one JSON line per measurement, nothing else on stdout.
 *
 * BENCH_UI_DIST: where to build and serve from (default dist/);
 * BENCH_UI_SKIP_BUILD=1: measure what is already there (an older build, to compare);
 * BENCH_UI_ONLY=load,frames,...: only these measurements (load and size come together).
 */
import { resolve } from 'node:path';
import { build } from 'vite';
import { startStaticServer } from '../../../test/e2e/harness/static-server.ts';
import { launchChromium } from './browser.ts';
import { linkSizes } from './links.ts';
import { idleLine, nestedWalkFrames, roundTripLine, streamTableFrames, workerRoundTrips } from './measure-app.ts';
import { loadLine, measureLoads, sizeOf } from './measure-load.ts';

const LOADS = 7;
const ROUND_TRIPS = 100;
const INITIAL_JS_BUDGET = 150 * 1024;

const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const only = process.env['BENCH_UI_ONLY']?.split(',');
const wanted = (measure: string) => only === undefined || only.includes(measure);

async function main(): Promise<void> {
  const dist = resolve(process.env['BENCH_UI_DIST'] ?? 'dist');
  if (process.env['BENCH_UI_SKIP_BUILD'] !== '1') {
    // Vite's warnings go to stderr; its progress lines are silenced so stdout stays JSON.
    await build({ logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });
  }
  const server = await startStaticServer(dist);
  const browser = await launchChromium();
  try {
    if (wanted('load') || wanted('size')) {
      const loads = await measureLoads(browser, server.url, LOADS);
      print(loadLine(loads));
      const size = await sizeOf(dist, loads.files);
      print({
        measure: 'size', initial_js_gzip: size['page-js'], css_gzip: size['css'], worker_js_gzip: size['worker-js'], html_gzip: size['other'],
        files: new Set(loads.files.map((f) => f.path)).size, budget_initial_js_gzip: INITIAL_JS_BUDGET,
      });
    }
    if (wanted('frames')) {
      print({ measure: 'frames', case: 'idle', ...(await idleLine(browser, server.url)) });
      print({ measure: 'frames', case: 'nested-walk', scenario: 'smmu-nested', ...(await nestedWalkFrames(browser, server.url, 3)) });
      for (const line of await streamTableFrames(browser, server.url)) print({ measure: 'frames', ...line, case: `stream-table-${line.case}`, stes: 65536 });
    }
    if (wanted('worker')) print(roundTripLine(await workerRoundTrips(browser, server.url, ROUND_TRIPS)));
    if (wanted('link')) for (const link of linkSizes()) print({ measure: 'link', ...link });
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:ui failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
