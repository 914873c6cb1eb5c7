import { afterEach, describe, expect, it } from 'vitest';
import { openApp, type App } from './harness/index.ts';

describe('the built app', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('loads with its title and heading, and nothing leaves the machine', async () => {
    app = await openApp();
    const { page } = app;

    expect(await page.title()).toBe('IOMMU Visualizer');
    await page.getByRole('heading', { name: 'IOMMU Visualizer', exact: true }).first().waitFor({ state: 'visible' });

    await app.screenshot('smoke-home');
    expect(app.problems()).toEqual([]);
  });

  it('carries a strict Content-Security-Policy and violates none of it', async () => {
    app = await openApp();
    const policy = await app.page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content');
    expect(policy).not.toBeNull();
    const directives = new Map(
      (policy ?? '').split(';').map((part) => {
        const [name = '', ...values] = part.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('worker-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    // No eval and no source on another host anywhere in the policy.
    expect(policy).not.toMatch(/'unsafe-eval'|'wasm-unsafe-eval'|https?:|\*/);

    // A policy in a meta tag covers only what follows it.
    const precedesEveryScript = await app.page.evaluate(() => {
      const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
      return meta !== null && [...document.scripts].every(
        (script) => (meta.compareDocumentPosition(script) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
      );
    });
    expect(precedesEveryScript).toBe(true);

    await app.page.getByRole('heading', { name: 'IOMMU Visualizer', exact: true }).first().waitFor();
    expect(app.cspViolations).toEqual([]);
    expect(app.problems()).toEqual([]);
  });
});
