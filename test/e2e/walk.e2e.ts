/**
 * The walk diagram in a real Chromium against the built app: the PA on the
 * page must equal the one worked out from the scenario's own mapping (not
 * from the engine), for each granule and for a block; the permission fault
 * must show at level 3; stepping back and forward must show the same result.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { builtinScenario } from '../../src/scenario/index.ts';
import type { Scenario } from '../../src/scenario/index.ts';
import { openApp } from './harness/index.ts';
import type { App, Page } from './harness/index.ts';

const hex = (text: string): bigint => BigInt(text.replace(/_/g, ''));

function scenario(id: string): Scenario {
  const s = builtinScenario(id);
  if (!s) throw new Error(`no built-in scenario ${id}`);
  return s;
}

type Step = Scenario['steps'][number];
type WalkSpec = Extract<Step, { kind: 'walk' }>;
type MapSpec = Extract<Step, { kind: 'pgtable.map' }>;

/** Steps are numbered from 1, as on the page's timeline. */
function walkSteps(s: Scenario): { step: number; walk: WalkSpec }[] {
  return s.steps.flatMap((step, i) => (step.kind === 'walk' ? [{ step: i + 1, walk: step }] : []));
}

/** The map step whose range holds the address, read straight from the scenario file. */
function mappingOf(s: Scenario, address: bigint): MapSpec | undefined {
  return s.steps.find((step): step is MapSpec => {
    if (step.kind !== 'pgtable.map') return false;
    const iova = hex(step.iova);
    return address >= iova && address < iova + hex(step.size);
  });
}

/** PA = the mapping's paddr + (address - its iova): what the walk must produce. */
function expectedPa(s: Scenario, walk: WalkSpec): bigint {
  const address = hex(walk.address);
  const map = mappingOf(s, address);
  if (!map) throw new Error(`${walk.address} is not mapped in "${s.title}"`);
  return hex(map.paddr) + (address - hex(map.iova));
}

/** The first walk step whose address the scenario maps with the access allowed. */
function firstMappedWalk(s: Scenario): { step: number; walk: WalkSpec } {
  const found = walkSteps(s).find(({ walk }) => {
    const map = mappingOf(s, hex(walk.address));
    return map !== undefined && (walk.access !== 'write' || (typeof map.prot === 'string' ? map.prot.includes('w') : map.prot.write === true));
  });
  if (!found) throw new Error(`"${s.title}" has no walk to a mapped address`);
  return found;
}

async function currentStep(page: Page): Promise<number> {
  return Number(await page.getByTestId('step-counter').locator('strong').textContent());
}

async function revealed(page: Page): Promise<void> {
  await page.locator('svg.walk-svg[data-reveal="done"]').waitFor();
}

async function shownPa(page: Page): Promise<bigint> {
  await revealed(page);
  return hex((await page.getByTestId('walk-pa').textContent()) ?? '');
}

async function stepForwardTo(page: Page, target: number): Promise<void> {
  const forward = page.getByRole('button', { name: 'Step forward' });
  for (let guard = 0; (await currentStep(page)) < target; guard++) {
    if (guard > 50) throw new Error(`never reached step ${target}`);
    const before = await currentStep(page);
    await forward.click();
    await expect.poll(() => currentStep(page)).toBe(before + 1);
  }
}

let app: App | undefined;
afterEach(async () => {
  if (app) expect(app.problems()).toEqual([]);
  await app?.close();
  app = undefined;
});

describe('the stage-1 walk in the browser', () => {
  it('walks the 4KB scenario step by step to the PA its mapping gives, and again after stepping back and forward', async () => {
    const s = scenario('walk-4k-page');
    const { step, walk } = firstMappedWalk(s);
    // 1920 x 1080: a projector; the walk, the narration and the inspector share the screen.
    app = await openApp({ path: '?scenario=walk-4k-page&step=0', viewport: { width: 1920, height: 1080 } });
    const { page } = app;
    await expect.poll(() => currentStep(page)).toBe(0);
    await stepForwardTo(page, step);
    const pa = await shownPa(page);
    expect(pa).toBe(expectedPa(s, walk));
    expect(await page.getByTestId('walk-input').textContent()).toContain('_');
    expect(hex((await page.getByTestId('walk-input').textContent()) ?? '')).toBe(hex(walk.address));
    // The bar names each level's index field with its bit range; a 4KB 48-bit walk has four.
    await expect.poll(() => page.locator('.address-bar .field-label').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^L0 \[47:39\]$/), expect.stringMatching(/^Offset \[11:0\]$/)]),
    );
    // The address follows once stepping pauses (src/app/addressBar.ts).
    await expect.poll(() => page.url(), { timeout: 10_000 }).toContain(`step=${step}`);
    // The engine runs in its Web Worker, not on the page's thread, and no fallback notice was needed.
    expect(page.workers().map((w) => w.url())).toEqual([expect.stringMatching(/engine\.worker-.*\.js$/)]);
    expect(await page.getByText('The engine runs on the page').count()).toBe(0);
    await app.screenshot('walk-4k-light');

    await page.getByRole('button', { name: 'Step back' }).click();
    await expect.poll(() => currentStep(page)).toBe(step - 1);
    await expect(page.getByTestId('walk-pa').count()).resolves.toBe(0);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => currentStep(page)).toBe(step);
    expect(await shownPa(page)).toBe(pa);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => currentStep(page)).toBe(step - 1);
    await page.getByRole('button', { name: 'Step forward' }).click();
    expect(await shownPa(page)).toBe(pa);
  });

  it('shows the 4KB walk in the dark theme when opened without parameters', async () => {
    const s = scenario('walk-4k-page');
    const { step, walk } = firstMappedWalk(s);
    app = await openApp({ colorScheme: 'dark', viewport: { width: 1920, height: 1080 } });
    const { page } = app;
    await expect.poll(() => currentStep(page)).toBe(step);
    expect(await shownPa(page)).toBe(expectedPa(s, walk));
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await app.screenshot('walk-4k-dark');
  });

  it.each(['walk-16k-page', 'walk-64k-page', 'block-2m'])('%s: the PA on the page is the one its mapping gives', async (id) => {
    const s = scenario(id);
    const { step, walk } = firstMappedWalk(s);
    app = await openApp({ path: `?scenario=${id}&step=${step}`, viewport: { width: 1360, height: 900 } });
    const { page } = app;
    await expect.poll(() => currentStep(page)).toBe(step);
    expect(await shownPa(page)).toBe(expectedPa(s, walk));
    await app.screenshot(`walk-${id}`, { fullPage: true });
  });

  it('permission-fault: a write to the read-only page faults at level 3', async () => {
    const s = scenario('permission-fault');
    const target = walkSteps(s).find(({ walk }) => {
      const map = mappingOf(s, hex(walk.address));
      return walk.access === 'write' && map !== undefined && typeof map.prot === 'string' && !map.prot.includes('w');
    });
    if (!target) throw new Error('permission-fault has no write to a read-only page');
    app = await openApp({ path: `?scenario=permission-fault&step=${target.step}`, viewport: { width: 1360, height: 900 } });
    const { page } = app;
    await expect.poll(() => currentStep(page)).toBe(target.step);
    await revealed(page);
    expect(await page.getByTestId('walk-fault').textContent()).toBe('Permission fault');
    expect(await page.locator('.result-fault .fault-level').textContent()).toBe('at level 3');
    expect(await page.getByTestId('walk-summary').textContent()).toMatch(/^Permission fault at level 3/);
    await app.screenshot('walk-permission-fault', { fullPage: true });

    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => currentStep(page)).toBe(target.step - 1);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => currentStep(page)).toBe(target.step);
    await revealed(page);
    expect(await page.getByTestId('walk-fault').textContent()).toBe('Permission fault');
  });

  it('names an unknown scenario in the link and opens the default one', async () => {
    app = await openApp({ path: '?scenario=no-such-lesson' });
    const { page } = app;
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'no-such-lesson' }).count()).toBe(1);
    await expect.poll(() => page.getByLabel('Scenario', { exact: true }).inputValue()).toBe('walk-4k-page');
  });

  it('shows what a map step wrote', async () => {
    app = await openApp({ path: '?scenario=walk-4k-page&step=2', viewport: { width: 1360, height: 900 } });
    const { page } = app;
    await expect.poll(() => currentStep(page)).toBe(2);
    await expect.poll(() => page.locator('.entries-table tbody tr').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.writes-table tbody tr').count()).toBeGreaterThan(0);
    await app.screenshot('map-step-light', { fullPage: true });
  });
});

describe('every built-in scenario', () => {
  it('opens, and every step shows without an error on the page', async () => {
    const { builtinScenarios } = await import('../../src/scenario/index.ts');
    for (const { id, scenario: s } of builtinScenarios) {
      app = await openApp({ path: `?scenario=${id}&step=0`, reducedMotion: 'reduce' });
      const { page } = app;
      // "Step 0 of N" once loaded (before that it reads "of 0").
      // Limits against a hang, not speed checks: a loaded CI machine runs two browsers at once.
      await expect.poll(() => page.getByTestId('step-counter').textContent(), { timeout: 20_000 }).toBe(`Step 0 of ${s.steps.length}`);
      for (let n = 1; n <= s.steps.length; n++) {
        await page.keyboard.press('ArrowRight');
        await expect.poll(() => currentStep(page), { message: `${id} step ${n}`, timeout: 20_000 }).toBe(n);
        if (s.steps[n - 1]?.kind === 'walk') await revealed(page);
      }
      expect(await page.getByRole('alert').count(), `${id}: no failure notice`).toBe(0);
      expect(app.problems(), id).toEqual([]);
      await app.close();
      app = undefined;
    }
  }, 120_000);
});
