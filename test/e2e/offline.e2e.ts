/**
 * Offline and installable, in a real Chromium against the built app: after
 * one visit the service worker controls the page, and with the network cut
 * a reload still loads the app, starts the engine worker and draws a walk.
 * The harness's openApp blocks service workers (so other tests never see a
 * cached build); this file builds its own context that allows them, with the
 * same guards against other hosts.
 */
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { BrowserContext } from 'playwright-core';
import { afterEach, expect, inject, it } from 'vitest';
import { sharedBrowser } from './harness/browser.ts';
import { installGuards, type Problems } from './harness/guards.ts';
import { SCREENSHOT_DIR } from './harness/index.ts';

/** The engine answers in its own time on a loaded machine; this bounds a hang, it is not a speed check. */
const POLL = { timeout: 20_000 };

let context: BrowserContext | undefined;
afterEach(async () => {
  await context?.close();
  context = undefined;
});

it('precaches the app: a reload with the network off still renders the walk diagram', async () => {
  const baseUrl = inject('e2eBaseUrl');
  // Service workers need a secure context; http://127.0.0.1 is one.
  expect(new URL(baseUrl).hostname).toBe('127.0.0.1');
  const browser = await sharedBrowser();
  context = await browser.newContext({ serviceWorkers: 'allow', viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  const problems: Problems = { consoleErrors: [], blockedRequests: [], cspViolations: [], failedRequests: [] };
  context.on('weberror', (e) => problems.consoleErrors.push(`uncaught: ${e.error().message}`));
  await installGuards(context, new URL(baseUrl).origin, problems);
  const page = await context.newPage();
  page.on('console', (m) => {
    // The probe below is meant to fail; anything else logged as an error is a problem.
    if (m.type() === 'error' && !m.location().url.includes('not-cached.txt')) problems.consoleErrors.push(`console.error: ${m.text()}`);
  });

  await page.goto(new URL('?scenario=walk-4k-page&step=4', baseUrl).href);
  await page.getByTestId('walk-result').waitFor();
  // The worker claims the page once it has installed, i.e. once every precached file is stored.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
  const manifest = await page.evaluate(async () => (await fetch('./manifest.webmanifest')).json() as Promise<{ name: string; icons: { src: string }[] }>);
  expect(manifest.name).toBe('IOMMU Visualizer');
  expect(manifest.icons.map((i) => i.src)).toContain('icon-512.png');

  await context.setOffline(true);
  // Proof that the network is really gone: a file the worker never cached cannot be fetched.
  expect(await page.evaluate(() => fetch('./not-cached.txt').then(() => 'fetched', () => 'failed'))).toBe('failed');
  const failedBefore = problems.failedRequests.length;
  await page.reload();
  await page.getByTestId('walk-result').waitFor();
  await expect.poll(() => page.getByTestId('step-counter').textContent(), POLL).toBe('Step 4 of 7');
  // The engine runs in its worker (precached too), not in the page's fallback.
  expect(await page.getByText('The engine runs on the page because its worker failed').count()).toBe(0);
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'offline-reload.png') });

  // Everything the reload needed came from the cache.
  expect(problems.failedRequests.slice(failedBefore)).toEqual([]);
  expect(problems.failedRequests.filter((r) => !r.includes('not-cached.txt'))).toEqual([]);
  expect([...problems.consoleErrors, ...problems.blockedRequests, ...problems.cspViolations]).toEqual([]);
});
