/**
 * How busy the page's main thread is while frames are recorded, from a
 * Chromium trace: the recorded span cut into vsync-long bins, and the time
 * top-level tasks ran in each. rAF intervals alone cannot show headroom (at
 * 60 Hz each is one vsync, 16.7 ms, whether the frame took 2 ms or 16);
 * these bins can: a p95 well under 16.7 ms means frames are made in time
 * with room to spare.
 */
import type { Page } from 'playwright-core';
import { percentile, round, FRAME_MS } from './stats.ts';

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: { readonly name?: string };
}

export interface MainThreadBusy {
  /** Main-thread time per vsync-long bin, 95th percentile and worst, in ms. */
  readonly main_busy_p95_ms: number;
  readonly main_busy_max_ms: number;
}

/** Runs `during` under a trace of the page's renderer; `bins` gets the main thread's ms per vsync-long bin (see above). */
export async function traceMainThread<T>(page: Page, bins: number[], during: () => Promise<T>): Promise<T> {
  const browser = page.context().browser();
  if (!browser) throw new Error('tracing needs the page to belong to a launched browser');
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'] });
  let result: T;
  try {
    result = await during();
  } catch (error) {
    await browser.stopTracing();
    throw error;
  }
  const buffer = await browser.stopTracing();
  bins.push(...busyBins(JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] }));
  return result;
}

export function busyStats(bins: readonly number[]): MainThreadBusy {
  return { main_busy_p95_ms: round(percentile(bins, 95)), main_busy_max_ms: round(Math.max(...bins)) };
}

/** The renderer main thread that ran the most: its top-level tasks' ms in each vsync-long bin of the traced span. */
export function busyBins(trace: { traceEvents: readonly TraceEvent[] }): number[] {
  const events = trace.traceEvents;
  const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const tasksBy = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'RunTask' || !mains.has(`${e.pid}:${e.tid}`)) continue;
    const key = `${e.pid}:${e.tid}`;
    const list = tasksBy.get(key);
    if (list) list.push(e);
    else tasksBy.set(key, [e]);
  }
  const total = (ts: readonly TraceEvent[]) => ts.reduce((s, e) => s + (e.dur ?? 0), 0);
  const tasks = [...tasksBy.values()].sort((a, b) => total(b) - total(a))[0] ?? [];
  const spanStart = Math.min(...events.filter((e) => e.ts > 0).map((e) => e.ts));
  const spanEnd = Math.max(...events.map((e) => e.ts + (e.dur ?? 0)));
  const binUs = FRAME_MS * 1000;
  const bins = new Array<number>(Math.max(1, Math.ceil((spanEnd - spanStart) / binUs))).fill(0);
  for (const t of tasks) {
    const end = t.ts + (t.dur ?? 0);
    for (let b = Math.floor((t.ts - spanStart) / binUs); b < bins.length && spanStart + b * binUs < end; b++) {
      const from = Math.max(t.ts, spanStart + b * binUs);
      const to = Math.min(end, spanStart + (b + 1) * binUs);
      if (to > from) bins[b]! += to - from;
    }
  }
  return bins.map((us) => us / 1000);
}
