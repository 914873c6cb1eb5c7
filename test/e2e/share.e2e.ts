/**
 * Share links in a real Chromium: the link the app makes (Share button and
 * address bar) opens the same scenario, step and view in a fresh page; an
 * edited scenario travels whole; a damaged or cut-off link says what is
 * wrong and the page stays usable.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinScenario } from '../../src/scenario/index.ts';
import { encodeShareLink } from '../../src/share/index.ts';
import { openApp, type App, type Page } from './harness/index.ts';

const problemsOf = (a: App) => a.problems();

let app: App | undefined;
let other: App | undefined;
afterEach(async () => {
  await app?.close();
  await other?.close();
  app = undefined;
  other = undefined;
});

/** The first load replays the scenario in the worker; on a loaded 2-core machine that can take seconds. */
const LOAD = { timeout: 20_000 };
/** The address follows the screen once stepping pauses and the page is idle (src/app/addressBar.ts). */
const ADDRESS = { timeout: 10_000 };

async function currentStep(page: Page): Promise<number> {
  return Number(await page.getByTestId('step-counter').locator('strong').textContent());
}

/** What a person sees that says which view this is. */
async function viewOf(page: Page) {
  return {
    scenario: await page.getByLabel('Scenario', { exact: true }).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? ''),
    step: await currentStep(page),
    tab: await page.locator('[role=tab][aria-selected=true]').getAttribute('id'),
    label: await page.getByTestId('step-label').textContent(),
    note: await page.getByTestId('step-note').textContent(),
  };
}

describe('share links', () => {
  it('the link the app makes opens the same scenario, step and view in a fresh page', async () => {
    app = await openApp({ path: '?scenario=smmu-stage1-dma&step=0' });
    const { page } = app;
    await app.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.baseUrl).origin });
    await expect.poll(() => currentStep(page), LOAD).toBe(0);
    for (let i = 1; i <= 4; i++) {
      await page.getByRole('button', { name: 'Step forward' }).click();
      await expect.poll(() => currentStep(page)).toBe(i);
    }
    await page.getByRole('tab', { name: 'CD table' }).click();
    await expect.poll(() => page.locator('[role=tab][aria-selected=true]').getAttribute('id')).toBe('smmu-tab-cds');

    await page.getByRole('button', { name: 'Share' }).click();
    const dialog = page.getByTestId('share-dialog');
    await dialog.waitFor();
    const link = await page.getByTestId('share-link').inputValue();
    expect(link).toMatch(/#v2\.[A-Za-z0-9_-]+$/);
    expect(await page.getByTestId('share-length').textContent()).toBe(`${link.length.toLocaleString('en-US')} characters`);
    await expect.poll(() => page.getByTestId('share-copied').textContent()).toBe('Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    // The address bar is the same link (once stepping pauses: src/app/addressBar.ts), so copying it from there works too.
    await expect.poll(() => page.evaluate(() => window.location.hash), ADDRESS).toBe(new URL(link).hash);
    await app.screenshot('share-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const sent = await viewOf(page);
    expect(sent).toMatchObject({ step: 4, tab: 'smmu-tab-cds' });

    other = await openApp({ path: new URL(link).hash });
    await expect.poll(() => currentStep(other!.page), LOAD).toBe(4);
    await expect.poll(() => other!.page.locator('[role=tab][aria-selected=true]').getAttribute('id')).toBe('smmu-tab-cds');
    expect(await viewOf(other.page)).toEqual(sent);
    expect(problemsOf(app)).toEqual([]);
    expect(problemsOf(other)).toEqual([]);
  });

  it('an edited scenario travels whole, and the address follows the steps', async () => {
    const base = builtinScenario('walk-16k-page');
    if (!base) throw new Error('walk-16k-page is missing');
    const edited = { ...base, title: 'My own 16KB walk', steps: base.steps.map((s, i) => (i === 0 ? { ...s, note: 'Edited narration for step one.' } : s)) };
    const made = encodeShareLink({ scenario: edited, step: 1, view: { tab: 'streams' } });
    if (!made.ok) throw new Error(made.message);
    app = await openApp({ path: `#${made.link}` });
    const { page } = app;
    await expect.poll(() => currentStep(page), LOAD).toBe(1);
    expect(await page.getByTestId('step-note').textContent()).toBe('Edited narration for step one.');
    expect(await page.getByLabel('Scenario', { exact: true }).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('My own 16KB walk (not built in)');
    const entries = await page.evaluate(() => window.history.length);
    await page.getByRole('button', { name: 'Step forward' }).click();
    await expect.poll(() => currentStep(page)).toBe(2);
    await expect.poll(() => page.evaluate(() => window.location.hash), ADDRESS).not.toBe(`#${made.link}`);
    const url = new URL(page.url());
    expect(url.searchParams.get('scenario')).toBeNull();
    // Stepping replaces the address; it does not pile up history entries.
    expect(await page.evaluate(() => window.history.length)).toBe(entries);
    other = await openApp({ path: url.hash });
    await expect.poll(() => currentStep(other!.page), LOAD).toBe(2);
    expect(await other.page.getByTestId('step-label').textContent()).toBe(await page.getByTestId('step-label').textContent());
    expect(problemsOf(app)).toEqual([]);
  });

  it('a damaged link says where it is damaged; the default scenario opens and works', async () => {
    const made = encodeShareLink({ scenario: builtinScenario('block-2m')!, step: 3, view: { tab: 'streams' } });
    if (!made.ok) throw new Error(made.message);
    const damaged = `${made.link.slice(0, 60)}*${made.link.slice(61)}`;
    app = await openApp({ path: `#${damaged}` });
    const { page } = app;
    const notice = page.getByRole('alert').filter({ hasText: 'share link' });
    await expect.poll(() => notice.textContent(), LOAD).toContain(`This share link cannot be opened. The link is damaged at character 61 of ${damaged.length.toLocaleString('en-US')}: "*" is not a base64url character`);
    await expect.poll(() => page.getByLabel('Scenario', { exact: true }).inputValue(), LOAD).toBe('walk-4k-page');
    // The default lesson opens at its first walk, as it does without a link; then it steps as usual.
    const firstWalk = (builtinScenario('walk-4k-page')?.steps.findIndex((s) => s.kind === 'walk') ?? -1) + 1;
    await expect.poll(() => currentStep(page), LOAD).toBe(firstWalk);
    await page.getByRole('button', { name: 'Step forward' }).click();
    await expect.poll(() => currentStep(page)).toBe(firstWalk + 1);
    await app.screenshot('share-bad-link');
    expect(problemsOf(app)).toEqual([]);
  });

  it('a cut-off link says it is cut off; the page stays usable', async () => {
    const made = encodeShareLink({ scenario: builtinScenario('linux-sva-bind')!, step: 5, view: { tab: 'streams' } });
    if (!made.ok) throw new Error(made.message);
    app = await openApp({ path: `?scenario=walk-64k-page#${made.link.slice(0, Math.floor(made.link.length * 0.6))}` });
    const { page } = app;
    const notice = page.getByRole('alert').filter({ hasText: 'share link' });
    await expect.poll(() => notice.textContent(), LOAD).toMatch(/cut off|checksum/);
    // The scenario the query named opens instead.
    await expect.poll(() => page.getByLabel('Scenario', { exact: true }).inputValue(), LOAD).toBe('walk-64k-page');
    const firstWalk = (builtinScenario('walk-64k-page')?.steps.findIndex((s) => s.kind === 'walk') ?? -1) + 1;
    await expect.poll(() => currentStep(page), LOAD).toBe(firstWalk);
    await app.screenshot('share-cut-off-notice');
    await page.getByRole('button', { name: 'Dismiss this message' }).first().click();
    await page.getByLabel('Scenario', { exact: true }).selectOption('block-2m');
    await expect.poll(() => page.getByTestId('step-label').textContent()).toBeTruthy();
    await app.screenshot('share-truncated-link');
    expect(problemsOf(app)).toEqual([]);
  });

  it('a version-1 link pinned before link version 2 still opens its scenario, step and view', async () => {
    const read = (name: string) => readFileSync(new URL(`../fixtures/links/${name}`, import.meta.url), 'utf8');
    const link = read('smmu-stage1-dma.txt').trim();
    const expected = JSON.parse(read('smmu-stage1-dma.json')) as { scenario: { title: string }; step: number; view: { tab: string } };
    expect(link.startsWith('#v1.')).toBe(true);
    app = await openApp({ path: link });
    const { page } = app;
    await expect.poll(() => currentStep(page), LOAD).toBe(expected.step);
    const seen = await viewOf(page);
    expect(seen.scenario).toBe(expected.scenario.title);
    expect(seen.tab).toContain(expected.view.tab);
    // The address bar now carries the same view as a current (version 2) link.
    await expect.poll(() => new URL(page.url()).hash.slice(0, 4), LOAD).toBe('#v2.');
    expect(problemsOf(app)).toEqual([]);
  });
});
