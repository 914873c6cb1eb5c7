/**
 * Frame times in the built app: the intervals between requestAnimationFrame
 * callbacks while something moves. The recorder is page-side text (see
 * worker-probe.ts for why not a function).
 */
import type { Page } from 'playwright-core';
import { pollPage } from './browser.ts';
import { frameStats, gapsOf, type FrameStats } from './stats.ts';

const START = `(() => {
  const rec = { t: [], on: true };
  window.__frames = rec;
  const loop = (ts) => { if (!rec.on) return; rec.t.push(ts); requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
})()`;
const STOP = `(() => { window.__frames.on = false; return window.__frames.t; })()`;

/** Frame statistics while `during` runs; `gaps`, when given, collects the intervals too (to pool several runs). */
export async function recordFrames(page: Page, during: () => Promise<void>, gaps?: number[]): Promise<FrameStats> {
  await page.evaluate(START);
  await during();
  const stamps = await page.evaluate<number[]>(STOP);
  gaps?.push(...gapsOf(stamps));
  return frameStats(stamps);
}

/** Frames of a page where nothing moves: shows the rate the browser paces rAF at (should be 60 Hz). */
export async function idleFrames(page: Page, frames = 120): Promise<FrameStats> {
  return recordFrames(page, () => pollPage(page, `window.__frames.t.length > ${frames}`));
}

/**
 * Scrolls the stream table by `px` every frame for `frames` frames, from the
 * page itself (each rAF moves scrollTop, as a wheel or a dragged scrollbar
 * does), and counts the frames where a visible row had no STE yet ('…').
 */
export async function scrollStreamTable(page: Page, px: number, frames: number): Promise<FrameStats & { blank_frames: number; end_sid: number }> {
  await page.evaluate(`document.querySelector('.ste-scroll').scrollTop = 0`);
  await pollPage(page, `[...document.querySelectorAll('.ste-row')].every((r) => r.lastElementChild.textContent !== '…')`);
  const run = `new Promise((resolve) => {
    const el = document.querySelector('.ste-scroll');
    const t = []; let blank = 0; let n = 0;
    const step = (ts) => {
      t.push(ts);
      if ([...el.querySelectorAll('.ste-row')].some((r) => r.lastElementChild.textContent === '…')) blank++;
      if (n++ >= ${frames}) { resolve({ t, blank, top: el.scrollTop }); return; }
      el.scrollTop = el.scrollTop + ${px};
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  })`;
  const result = await page.evaluate<{ t: number[]; blank: number; top: number }>(run);
  return { ...frameStats(result.t), blank_frames: result.blank, end_sid: Math.floor(result.top / 34) };
}
