/**
 * Links from strangers: script payloads in a scenario's title, description,
 * notes and prediction text arrive as plain text. Nothing runs, no element
 * is made from them, the CSP reports nothing, and the harness sees no problem.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeShareLink } from '../../src/share/index.ts';
import type { Scenario } from '../../src/scenario/index.ts';
import { openApp, type App } from './harness/index.ts';

/** The first load replays the scenario in the worker; on a loaded 2-core machine that can take seconds. */
const LOAD = { timeout: 20_000 };

const problemsOf = (a: App) => a.problems();

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=2</script>';
const JS_URL = 'javascript:window.__pwned=3';
const SVG = '<svg onload="window.__pwned=4"><a href="javascript:window.__pwned=5">click</a></svg>';

const hostile = {
  format: 'iommu-visualizer-scenario',
  version: 1,
  title: `Evil ${IMG}`,
  description: `${SCRIPT} ${JS_URL}`,
  steps: [
    { kind: 'pgtable.create', name: 'dev0', TG0: 0, T0SZ: 16, note: `${IMG} ${SVG}` },
    { kind: 'pgtable.map', table: 'dev0', iova: '0x1000', paddr: '0x2000', size: '0x1000', prot: 'rw', note: `${JS_URL} <iframe src="${JS_URL}"></iframe>` },
    { kind: 'walk', table: 'dev0', address: '0x1000', access: 'read', note: SCRIPT },
  ],
} as unknown as Scenario;

describe('untrusted links', () => {
  it('script payloads in titles and notes render as text and nothing runs', async () => {
    const made = encodeShareLink({ scenario: hostile, step: 1, view: { tab: 'streams' } });
    if (!made.ok) throw new Error(made.message);
    app = await openApp({ path: `#${made.link}` });
    const { page } = app;
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await expect.poll(() => page.getByTestId('step-note').textContent(), LOAD).toBe(`${IMG} ${SVG}`);
    expect(await page.getByLabel('Scenario', { exact: true }).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe(`Evil ${IMG} (not built in)`);
    await page.getByRole('button', { name: 'Step forward' }).click();
    await expect.poll(() => page.getByTestId('step-note').textContent()).toBe(`${JS_URL} <iframe src="${JS_URL}"></iframe>`);
    await page.getByRole('button', { name: 'Step forward' }).click();
    await expect.poll(() => page.getByTestId('step-note').textContent()).toBe(SCRIPT);
    await page.getByRole('button', { name: 'Go to step 0 start, before step 1' }).click();
    await expect.poll(() => page.getByTestId('step-note').textContent()).toContain(`${SCRIPT} ${JS_URL}`);
    // Nothing from the payloads became an element, ran, or asked for anything.
    const found = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      imgs: document.querySelectorAll('img[src="x"]').length,
      iframes: document.querySelectorAll('iframe').length,
      scripts: [...document.scripts].filter((s) => !s.src).length,
      jsLinks: document.querySelectorAll('a[href^="javascript:"]').length,
      svgOnload: document.querySelectorAll('svg[onload]').length,
    }));
    expect(found).toEqual({ pwned: undefined, imgs: 0, iframes: 0, scripts: 0, jsLinks: 0, svgOnload: 0 });
    // The Share dialog shows the same text safely.
    await page.getByRole('button', { name: 'Share' }).click();
    await expect.poll(() => page.getByTestId('share-dialog').textContent()).toContain(`Evil ${IMG}`);
    await app.screenshot('untrusted-link');
    expect(dialogs).toEqual([]);
    expect(app.cspViolations).toEqual([]);
    expect(problemsOf(app)).toEqual([]);
  });

  it('a link whose scenario breaks the rules names the problem and its path, and opens nothing of it', async () => {
    const bad = { ...hostile, steps: [...(hostile.steps as unknown[]), { kind: 'pgtable.map', table: 'dev0', iova: '0x0', paddr: '0x10_0000_0000_0000', size: '0x1000', prot: 'rw' }] } as unknown as Scenario;
    const made = encodeShareLink({ scenario: bad, step: 0, view: { tab: 'streams' } });
    if (!made.ok) throw new Error(made.message);
    app = await openApp({ path: `#${made.link}` });
    const { page } = app;
    const notice = page.getByRole('alert').filter({ hasText: 'share link' });
    await expect.poll(() => notice.textContent(), LOAD).toContain('steps[3].paddr: with its size, goes past 2^52');
    await expect.poll(() => page.getByLabel('Scenario', { exact: true }).inputValue(), LOAD).toBe('walk-4k-page');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(problemsOf(app)).toEqual([]);
  });
});
