/**
 * axe-core against the built page, on each main view, in both themes. The
 * page's CSP allows only 'self' scripts, so page.addScriptTag (an inline
 * script) is refused; axe's source is evaluated through page.evaluate
 * instead, which runs over the DevTools protocol and leaves the CSP in force.
 * Fails on any serious or critical finding.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinScenario } from '../../src/scenario/index.ts';
import { openApp, type App, type Page } from './harness/index.ts';

const AXE_SOURCE = readFileSync(fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url)), 'utf8');

interface Finding { id: string; impact: string | null; help: string; nodes: string[] }

async function axeFindings(page: Page): Promise<Finding[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    interface AxeResult { violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResult> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  });
}

function serious(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
}

function firstStep(id: string, kind: string): number {
  const s = builtinScenario(id);
  const i = s?.steps.findIndex((step) => step.kind === kind) ?? -1;
  if (i < 0) throw new Error(`${id} has no ${kind} step`);
  return i + 1;
}

async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.locator('[data-reveal="running"], [data-motion="running"]').count()).toBe(0);
}

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const VIEWS: readonly { name: string; path: string; ready: string }[] = [
  { name: 'walk', path: '?scenario=walk-4k-page', ready: '[data-testid="walk-pa"]' },
  { name: 'dma', path: `?scenario=smmu-stage1-dma&step=${firstStep('smmu-stage1-dma', 'smmu.dma')}`, ready: '[data-testid="dma-path"]' },
  { name: 'topology', path: `?scenario=linux-claim-dma-owner&step=${firstStep('linux-claim-dma-owner', 'linux.dma')}`, ready: '[data-testid="topology"]' },
  { name: 'nested', path: `?scenario=smmu-nested&step=${firstStep('smmu-nested', 'smmu.dma')}`, ready: '[data-testid="dma-path"]' },
  { name: 'decoder', path: '?decode=STE', ready: '[data-testid="decoder-input"]' },
];

describe.each(['light', 'dark'] as const)('axe in the %s theme', (theme) => {
  it.each(VIEWS)('finds nothing serious on the $name view', async ({ name, path, ready }) => {
    app = await openApp({ path, colorScheme: theme, reducedMotion: 'reduce' });
    await app.page.locator(ready).first().waitFor();
    await settled(app.page);
    const found = serious(await axeFindings(app.page));
    await app.screenshot(`a11y-${name}-${theme}`);
    expect(found).toEqual([]);
    expect(app.problems()).toEqual([]);
  });

  it('finds nothing serious on each SMMU panel and in the key help', async () => {
    app = await openApp({ path: `?scenario=smmu-stale-iotlb&step=${builtinScenario('smmu-stale-iotlb')?.steps.length ?? 0}`, colorScheme: theme, reducedMotion: 'reduce' });
    const { page } = app;
    await page.getByTestId('smmu-panels').waitFor();
    for (const tab of ['Stream table', 'CD table', 'Event queue', 'Command queue', 'Caches']) {
      await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
      await expect.poll(() => page.getByRole('tab', { name: new RegExp(`^${tab}`) }).getAttribute('aria-selected')).toBe('true');
      const found = serious(await axeFindings(page));
      expect(found, tab).toEqual([]);
    }
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard' }).waitFor();
    expect(serious(await axeFindings(page))).toEqual([]);
    await app.screenshot(`a11y-keyhelp-${theme}`);
    expect(app.problems()).toEqual([]);
  });
});
