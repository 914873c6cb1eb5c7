/**
 * Debian's Chromium for the UI benchmark, with the flags that keep its
 * requestAnimationFrame at the display's 60 Hz while headless.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../../test/e2e/harness/chromium-args.ts';
import { findChromium, noChromiumMessage } from '../../../test/e2e/harness/find-chromium.ts';

/**
 * The browser tests' flags (no sandbox in containers, no GPU, no traffic to
 * Google), and three that stop Chromium from throttling a page it thinks
 * nobody is looking at: headless pages count as hidden or occluded, and
 * throttled timers or a backgrounded renderer would slow rAF below 60 Hz.
 * Nothing here unlocks the frame rate (no --disable-frame-rate-limit or
 * --disable-gpu-vsync): frames stay paced at 60 Hz as on a real display.
 */
export const BENCH_CHROMIUM_ARGS: readonly string[] = [
  ...CHROMIUM_ARGS,
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

export async function launchChromium(): Promise<Browser> {
  const lookup = findChromium();
  if (lookup.found === undefined) throw new Error(noChromiumMessage(lookup));
  return chromium.launch({ executablePath: lookup.found, headless: true, args: [...BENCH_CHROMIUM_ARGS] });
}

/** A fresh context: empty cache, no service worker, nothing but the local server reachable. */
export async function freshContext(browser: Browser, origin: string, initScript?: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, serviceWorkers: 'block', reducedMotion: 'no-preference' });
  await context.route((url) => url.origin !== origin, (route) => route.abort());
  if (initScript !== undefined) await context.addInitScript({ content: initScript });
  return context;
}

/**
 * Waits until a page-side expression is truthy. page.waitForFunction would
 * compile the expression with `new Function` in the page, which the app's
 * CSP (no eval) refuses; page.evaluate goes through the DevTools protocol.
 */
export async function pollPage(page: Page, expression: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(`Boolean(${expression})`))) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
