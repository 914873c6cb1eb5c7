/**
 * Cold loads of the built app: the time from navigation to the first
 * diagram (the app's 'first-diagram' performance mark), and the bytes of
 * JavaScript and CSS the page fetched before it, gzipped as a server would.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { freshContext, pollPage } from './browser.ts';
import { median, round } from './stats.ts';

export interface LoadResult {
  readonly runs: readonly number[];
  /** Each file fetched before the first diagram, by kind. */
  readonly files: readonly { readonly path: string; readonly kind: 'page-js' | 'worker-js' | 'css' | 'other' }[];
}

/** The mark StageView sets (FIRST_DIAGRAM_MARK there; repeated, as that module needs a DOM and its CSS). */
const FIRST_DIAGRAM_MARK = 'first-diagram';
const waitForMark = `performance.getEntriesByName(${JSON.stringify(FIRST_DIAGRAM_MARK)}).length > 0`;
const markTime = `performance.getEntriesByName(${JSON.stringify(FIRST_DIAGRAM_MARK)})[0].startTime`;

export async function measureLoads(browser: Browser, baseUrl: string, runs: number): Promise<LoadResult> {
  const times: number[] = [];
  let files: LoadResult['files'] = [];
  for (let i = 0; i < runs; i++) {
    const context = await freshContext(browser, new URL(baseUrl).origin);
    const fetched: { path: string; kind: LoadResult['files'][number]['kind'] }[] = [];
    context.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      // Vite names the worker's bundle after its entry, engine.worker.ts; sizeOf finds the chunks it imports.
      const kind = path.endsWith('.css') ? 'css' : !path.endsWith('.js') ? 'other' : /engine\.worker-/.test(path) ? 'worker-js' : 'page-js';
      fetched.push({ path, kind });
    });
    const page = await context.newPage();
    await page.goto(baseUrl, { waitUntil: 'commit' });
    await pollPage(page, waitForMark);
    const mark = await page.evaluate<number>(markTime);
    times.push(mark);
    // Anything fetched after the mark (lazy views, work deferred past the first view) is not part of it. The
    // page's Resource Timing says when each request started: the request events reach us later than they
    // happen, by more than the time between the mark and a deferred fetch on a loaded machine. An entry is
    // added when its response is complete, so the requests in flight get a moment to finish first.
    if (i === 0) await new Promise((r) => setTimeout(r, 1_000));
    const late = new Set(await page.evaluate<string[]>(`performance.getEntriesByType('resource').filter((e) => e.startTime > ${mark}).map((e) => new URL(e.name).pathname)`));
    if (i === 0) files = fetched.filter((f) => !late.has(f.path));
    await context.close();
  }
  return { runs: times, files };
}

/**
 * The worker's entry and the chunks it imports: the browser reports their
 * requests as the page's, so they are told apart by reading the build.
 */
async function workerFiles(distDir: string, entries: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  const queue = entries.filter((path) => /engine\.worker-[^/]*\.js$/.test(path));
  for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
    if (found.has(path)) continue;
    found.add(path);
    const code = await readFile(join(distDir, path), 'utf8');
    const dir = path.slice(0, path.lastIndexOf('/') + 1);
    for (const m of code.matchAll(/(?:from|import)\s*["']\.\/([\w.-]+\.js)["']/g)) queue.push(`${dir}${m[1]}`);
  }
  return found;
}

/** Gzip bytes (zlib level 9) of each file as built, summed by kind. */
export async function sizeOf(distDir: string, files: LoadResult['files']): Promise<Record<string, number>> {
  const totals: Record<string, number> = { 'page-js': 0, 'worker-js': 0, css: 0, other: 0 };
  const inWorker = await workerFiles(distDir, files.map((f) => f.path));
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    const body = await readFile(join(distDir, decodeURIComponent(file.path.endsWith('/') ? `${file.path}index.html` : file.path)));
    const kind = inWorker.has(file.path) ? 'worker-js' : file.kind;
    totals[kind] = (totals[kind] ?? 0) + gzipSync(body, { level: 9 }).length;
  }
  return totals;
}

export function loadLine(result: LoadResult) {
  return { measure: 'load', runs: result.runs.length, median_ms: round(median(result.runs), 1), min_ms: round(Math.min(...result.runs), 1), max_ms: round(Math.max(...result.runs), 1), budget_ms: 1000 };
}
