/**
 * The in-app measurements: frame times while the nested walk animates and
 * while the big stream table scrolls, and the worker's round trip per step.
 */
import type { Browser, Page } from 'playwright-core';
import { builtinScenario } from '../../scenario/index.ts';
import { EngineSession } from '../../worker/session.ts';
import { freshContext, pollPage } from './browser.ts';
import { bigStreamTableScenario } from './fixtures.ts';
import { idleFrames, recordFrames, scrollStreamTable } from './measure-frames.ts';
import { busyStats, traceMainThread, type MainThreadBusy } from './main-thread.ts';
import { percentile, round, statsOfGaps, type FrameStats } from './stats.ts';
import { PROBE, workerProbeScript, type ProbeState } from './worker-probe.ts';

const FIRST_DIAGRAM = `performance.getEntriesByName('first-diagram').length > 0`;

async function openPage(browser: Browser, baseUrl: string, path: string, swap?: unknown): Promise<Page> {
  const context = await freshContext(browser, new URL(baseUrl).origin, workerProbeScript(swap));
  const page = await context.newPage();
  await page.goto(new URL(path, baseUrl).href);
  await pollPage(page, FIRST_DIAGRAM);
  return page;
}

/** The steps of a built-in whose DMA is nested (stage 1 inside stage 2), found with the session the worker runs. */
export function nestedDmaSteps(id: string): number[] {
  const scenario = builtinScenario(id);
  if (!scenario) throw new Error(`no built-in ${id}`);
  const session = new EngineSession();
  session.load(1, scenario);
  const state = session.goTo(2, scenario.steps.length);
  if (state.kind !== 'state') throw new Error(`${id} did not run`);
  return state.log.flatMap((events, i) => (events.some((e) => e.kind === 'smmu.dma' && e.outcome.trace.ste?.config === 'nested') ? [i + 1] : []));
}

export async function idleLine(browser: Browser, baseUrl: string): Promise<FrameStats> {
  const page = await openPage(browser, baseUrl, '?scenario=walk-4k-page&step=1');
  const stats = await idleFrames(page);
  await page.context().close();
  return stats;
}

const GRID_DONE = `document.querySelector('.nested-grid-svg')?.getAttribute('data-reveal') === 'done'`;
const NO_GRID = `document.querySelector('[data-testid=nested-grid]') === null`;
const atStep = (n: number) => `new URLSearchParams(location.search).get('step') === '${n}'`;

/**
 * Steps onto the first step of smmu-nested that draws the two-dimensional
 * nested grid, and records frames from the click until the grid has
 * revealed every access; `repeats` times, stepping back off it in between.
 */
export async function nestedWalkFrames(browser: Browser, baseUrl: string, repeats: number): Promise<FrameStats & MainThreadBusy & { step: number }> {
  const first = nestedDmaSteps('smmu-nested')[0];
  if (first === undefined) throw new Error('smmu-nested has no nested DMA');
  const page = await openPage(browser, baseUrl, '?scenario=smmu-nested&step=1');
  // The grid's first step: the nested walk, or at the latest the first nested DMA.
  let step = 1;
  while (step < first && (await page.evaluate<boolean>(NO_GRID))) {
    await page.getByRole('button', { name: 'Step forward' }).click();
    step += 1;
    await pollPage(page, atStep(step));
  }
  await page.getByRole('button', { name: 'Step back' }).click();
  await pollPage(page, `${atStep(step - 1)} && ${NO_GRID}`);
  const gaps: number[] = [];
  const busy: number[] = [];
  for (let i = 0; i < repeats; i++) {
    await traceMainThread(page, busy, () => recordFrames(page, async () => {
      await page.getByRole('button', { name: 'Step forward' }).click();
      await pollPage(page, `${atStep(step)} && ${GRID_DONE}`);
    }, gaps));
    await page.getByRole('button', { name: 'Step back' }).click();
    await pollPage(page, `${atStep(step - 1)} && ${NO_GRID}`);
  }
  await page.context().close();
  return { ...statsOfGaps(gaps), ...busyStats(busy), step };
}

export interface ScrollCase { readonly case: string; readonly px_per_frame: number; readonly frames: number }

export const SCROLL_CASES: readonly ScrollCase[] = [
  { case: 'wheel', px_per_frame: 100, frames: 300 },
  { case: 'fling', px_per_frame: 3000, frames: 300 },
  { case: 'drag-thumb', px_per_frame: 18_600, frames: 120 },
];

export async function streamTableFrames(browser: Browser, baseUrl: string) {
  const fixture = bigStreamTableScenario() as { steps: unknown[] };
  // Any built-in's id: the probe swaps the scenario the page loads for the fixture.
  const page = await openPage(browser, baseUrl, `?scenario=smmu-stage1-dma&step=${fixture.steps.length}`, fixture);
  await page.getByTestId('stream-table').waitFor();
  const size = await page.getByTestId('stream-table').locator('.ste-scroll').getAttribute('aria-label');
  if (!size?.includes('65536')) throw new Error(`the stream table is not the 65,536-entry fixture: ${size}`);
  const results = [];
  for (const c of SCROLL_CASES) {
    const busy: number[] = [];
    const frames = await traceMainThread(page, busy, () => scrollStreamTable(page, c.px_per_frame, c.frames));
    results.push({ ...c, ...frames, ...busyStats(busy) });
  }
  await page.context().close();
  return results;
}

/**
 * Steps through smmu-nested back and forth `steps` times, timing each goTo from post to answer inside the page,
 * each step asked for once the page has drawn the one before (two animation frames).
 */
export interface RoundTrips {
  /** Post to answer, timed in the page. */
  readonly total: number[];
  /** The worker's own time handling each goTo (its message handler, answer posted), timed in the worker. */
  readonly worker: number[];
}

/**
 * Wraps the engine worker's message handler (from outside, through the DevTools protocol: the app has no such
 * hook) to time each goTo it handles, so a slow round trip can be told apart: the worker's work, or the wait
 * around it (the page's thread, the browser's scheduling).
 */
const TIME_WORKER = `(() => {
  const handle = self.onmessage;
  self.__goToMs = [];
  self.onmessage = (event) => {
    const t0 = performance.now();
    handle.call(self, event);
    if (event.data && event.data.kind === 'goTo') self.__goToMs.push(performance.now() - t0);
  };
})()`;

export async function workerRoundTrips(browser: Browser, baseUrl: string, steps: number): Promise<RoundTrips> {
  const count = builtinScenario('smmu-nested')?.steps.length ?? 0;
  const page = await openPage(browser, baseUrl, '?scenario=smmu-nested&step=1');
  const engine = page.workers().find((w) => /engine\.worker/.test(w.url()));
  if (!engine) throw new Error('no engine worker on the page');
  await engine.evaluate(TIME_WORKER);
  const before = (await page.evaluate<ProbeState>(PROBE.state)).roundTrips.length;
  let cursor = 1;
  let dir = 1;
  for (let i = 0; i < steps; i++) {
    if (cursor + dir > count || cursor + dir < 0) dir = -dir;
    cursor += dir;
    await page.keyboard.press(dir > 0 ? 'ArrowRight' : 'ArrowLeft');
    await pollPage(page, `window.__engineProbe.roundTrips.length > ${before + i}`);
    // Let the page draw the step before asking for the next, as a person stepping through would: otherwise the next
    // answer waits in the page's queue behind the previous step's rendering and that wait is counted as the worker's.
    await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
  }
  const state = await page.evaluate<ProbeState>(PROBE.state);
  const worker = await engine.evaluate<number[]>('self.__goToMs');
  await page.context().close();
  return { total: state.roundTrips.slice(before), worker };
}

export function roundTripLine({ total, worker }: RoundTrips) {
  return {
    measure: 'worker', steps: total.length, p50_ms: round(percentile(total, 50)), p95_ms: round(percentile(total, 95)), max_ms: round(Math.max(...total)),
    worker_p50_ms: round(percentile(worker, 50)), worker_p95_ms: round(percentile(worker, 95)), budget_p95_ms: 5,
  };
}
