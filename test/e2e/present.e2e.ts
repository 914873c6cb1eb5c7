/**
 * Presenter and embed modes in a real Chromium against the built app:
 * presenter mode renders the diagram with captions and hides the editing
 * chrome, clicker keys step, Esc leaves; an embed shows one view with its
 * timeline and no header.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { builtinScenario } from '../../src/scenario/index.ts';
import { type App, openApp, type Page } from './harness/index.ts';

/** The engine answers in its own time on a loaded machine; this bounds a hang, it is not a speed check. */
const POLL = { timeout: 20_000 };

const walk = builtinScenario('walk-4k-page');
if (!walk) throw new Error('the walk-4k-page built-in is missing');
const noteOf = (step: number) => walk.steps[step - 1]?.note ?? '';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const counter = (page: Page) => page.getByTestId('presenter-counter').textContent();

describe('presenter mode', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`shows the diagram and the step's note as captions, without the editing chrome (${colorScheme})`, async () => {
      app = await openApp({ path: '?scenario=walk-4k-page&step=4&present', colorScheme, viewport: { width: 1600, height: 900 }, reducedMotion: 'reduce' });
      const { page } = app;
      await page.getByTestId('presenter').waitFor();
      await expect.poll(() => counter(page), POLL).toBe('4 / 7');
      expect(await page.getByTestId('caption-note').textContent()).toBe(noteOf(4));
      await page.getByTestId('walk-result').first().waitFor();
      // No header, pickers, inspector or step chips.
      for (const hidden of ['.app-header', '.scenario-picker', '.inspector-area', '.step-list', '.timeline']) {
        expect(await page.locator(hidden).count(), hidden).toBe(0);
      }
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(colorScheme);
      // Large type: the caption is well above the page's 16px.
      const size = await page.getByTestId('caption-note').evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
      expect(size).toBeGreaterThanOrEqual(24);
      await app.screenshot(`present-${colorScheme}`);
      expect(app.problems()).toEqual([]);
    });
  }

  it('steps with PageDown / PageUp, arrows and space, blanks with "b", and Esc leaves', async () => {
    app = await openApp({ path: '?scenario=walk-4k-page&step=2' });
    const { page } = app;
    await page.getByRole('button', { name: /Present/ }).click();
    await page.getByTestId('presenter').waitFor();
    await expect.poll(() => counter(page), POLL).toBe('2 / 7');
    expect(page.url()).toContain('present=1');
    await page.keyboard.press('PageDown');
    await expect.poll(() => counter(page), POLL).toBe('3 / 7');
    expect(await page.getByTestId('caption-note').textContent()).toBe(noteOf(3));
    await page.keyboard.press('PageDown');
    await page.keyboard.press('Space');
    await expect.poll(() => counter(page), POLL).toBe('5 / 7');
    await page.keyboard.press('PageUp');
    await expect.poll(() => counter(page), POLL).toBe('4 / 7');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => counter(page), POLL).toBe('5 / 7');
    // Space steps here; it does not start playback.
    expect(await page.evaluate(() => document.querySelector('.presenter') !== null)).toBe(true);
    await page.keyboard.press('End');
    await expect.poll(() => counter(page), POLL).toBe('7 / 7');
    await page.keyboard.press('b');
    await page.getByTestId('presenter-blank').waitFor();
    await page.keyboard.press('b');
    await page.getByTestId('presenter-blank').waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await page.getByTestId('presenter').waitFor({ state: 'detached' });
    await page.locator('.app-header').waitFor();
    await expect.poll(() => page.getByTestId('step-counter').textContent(), POLL).toBe('Step 7 of 7');
    expect(page.url()).not.toContain('present');
    expect(app.problems()).toEqual([]);
  });
});

describe('embed mode', () => {
  it('shows one view with its timeline and no header', async () => {
    app = await openApp({ path: '?scenario=smmu-stage1-dma&step=7&embed=stream-table', viewport: { width: 900, height: 600 } });
    const { page } = app;
    const embed = page.getByTestId('embed');
    await embed.waitFor();
    expect(await embed.getAttribute('data-view')).toBe('stream-table');
    await page.getByTestId('smmu-panels').waitFor();
    await expect.poll(() => page.getByTestId('step-counter').textContent(), POLL).toBe('Step 7 of 9');
    expect(await page.locator('.app-header').count()).toBe(0);
    expect(await page.locator('.inspector-area').count()).toBe(0);
    expect(await page.locator('#smmu-tab-streams').getAttribute('aria-selected')).toBe('true');
    await page.getByRole('button', { name: 'Step forward' }).click();
    await expect.poll(() => page.getByTestId('step-counter').textContent(), POLL).toBe('Step 8 of 9');
    const link = page.getByRole('link', { name: /Open in the IOMMU Visualizer/ });
    const href = await link.getAttribute('href');
    expect(href).toContain('scenario=smmu-stage1-dma');
    expect(href).toContain('step=8');
    expect(href).not.toContain('embed');
    await app.screenshot('embed-stream-table');
    expect(app.problems()).toEqual([]);
  });

  it('embeds the walk diagram with captions, and reports an unknown view', async () => {
    app = await openApp({ path: '?scenario=walk-4k-page&step=4&embed=walk&captions&theme=dark', viewport: { width: 900, height: 700 } });
    const { page } = app;
    await page.getByTestId('embed').waitFor();
    await page.getByTestId('walk-result').first().waitFor();
    expect(await page.getByTestId('caption-note').textContent()).toBe(noteOf(4));
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await app.screenshot('embed-walk-dark');
    // Nothing in the page refuses to be framed: an <iframe> of it renders the embed.
    await app.page.evaluate(() => {
      const frame = document.createElement('iframe');
      frame.src = '?scenario=walk-4k-page&step=5&embed=walk';
      frame.title = 'walk';
      frame.style.cssText = 'position: fixed; inset: 0; width: 100vw; height: 100vh; z-index: 100; border: 0';
      document.body.appendChild(frame);
    });
    const framed = app.page.frameLocator('iframe[title="walk"]');
    await framed.getByTestId('embed').waitFor();
    await expect.poll(() => framed.getByTestId('step-counter').textContent(), POLL).toBe('Step 5 of 7');
    expect(app.problems()).toEqual([]);
    await app.close();

    app = await openApp({ path: '?scenario=walk-4k-page&embed=pagetable' });
    await app.page.getByTestId('embed').waitFor();
    await app.page.getByText('"embed=pagetable" names no view; the diagram is shown.', { exact: false }).waitFor();
    expect(await app.page.getByTestId('embed').getAttribute('data-view')).toBe('diagram');
    expect(app.problems()).toEqual([]);
  });
});
