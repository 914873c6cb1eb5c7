import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openApp, SCREENSHOT_DIR, type App } from './index.ts';

// The harness's promises, checked against a real Chromium: if a guard stopped
// working, every other browser test would pass without checking anything.
describe('browser-test harness guards', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('aborts and records a request to another host', async () => {
    app = await openApp();
    // about:blank has no CSP, so the request reaches the route guard.
    await app.page.goto('about:blank');
    const outcome = await app.page.evaluate(async () => {
      try {
        await fetch('http://203.0.113.7/leak');
        return 'reached';
      } catch {
        return 'failed';
      }
    });
    expect(outcome).toBe('failed');
    expect(app.blockedRequests).toEqual(['http://203.0.113.7/leak']);
    expect(app.problems()).toContain('blocked request to another host: http://203.0.113.7/leak');
  });

  it('records a CSP violation on the built page', async () => {
    app = await openApp();
    await app.page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.title = "inline ran"';
      document.head.append(script);
    });
    await expect.poll(() => app?.cspViolations.length).toBeGreaterThan(0);
    expect(await app.page.title()).toBe('IOMMU Visualizer');
    expect(app.cspViolations[0]).toContain('script-src');
  });

  it('records console errors and uncaught errors from the page and from workers', async () => {
    app = await openApp();
    await app.page.goto('about:blank');
    await app.page.evaluate(() => {
      console.error('page says no');
      setTimeout(() => {
        throw new Error('thrown later');
      }, 0);
      const source = 'console.error("worker says no")';
      new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    });
    await expect.poll(() => app?.consoleErrors.length).toBeGreaterThanOrEqual(3);
    const text = app.consoleErrors.join('\n');
    expect(text).toContain('page says no');
    expect(text).toContain('thrown later');
    expect(text).toContain('worker says no');
  });

  it('records a missing file on the local server', async () => {
    app = await openApp({ path: 'assets/no-such-file.js' });
    expect(app.failedRequests).toEqual([`GET ${app.baseUrl}assets/no-such-file.js: HTTP 404`]);
  });

  it('writes a screenshot as PNG and refuses names that are paths', async () => {
    app = await openApp({ colorScheme: 'dark', viewport: { width: 640, height: 400 } });
    const path = await app.screenshot('harness-self-test');
    expect(path.startsWith(SCREENSHOT_DIR)).toBe(true);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path).subarray(1, 4).toString('latin1')).toBe('PNG');
    await expect(app.screenshot('../escape')).rejects.toThrow(/no slashes/);
  });
});
