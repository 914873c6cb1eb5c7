/**
 * The timeline in a real Chromium: play and pause (button and space), the
 * speed, the scrubber, the event marks and previous / next event, the
 * narration the engine's events give, and the "?" key list.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { builtinScenario } from '../../src/scenario/index.ts';
import { openApp, type App, type Page } from './harness/index.ts';

async function currentStep(page: Page): Promise<number> {
  return Number(await page.getByTestId('step-counter').locator('strong').textContent());
}

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function dmaStepsWithEvents(id: string): number[] {
  // The scenario file says which DMAs it expects to fault (its note or an "expect" of a terminated result).
  const s = builtinScenario(id);
  return (s?.steps ?? []).flatMap((step, i) => (step.kind === 'smmu.dma' && JSON.stringify(step).includes('F_') ? [i + 1] : []));
}

describe('timeline', () => {
  it('plays at 4x from the start, pauses on space, and scrubs', async () => {
    app = await openApp({ path: '?scenario=block-2m&step=0' });
    const { page } = app;
    await expect.poll(() => currentStep(page)).toBe(0);
    await page.getByLabel('Speed').selectOption('4');
    await page.getByRole('button', { name: /Play/ }).click();
    await expect.poll(() => currentStep(page), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await page.locator('body').press('Space');
    const paused = await currentStep(page);
    await expect.poll(() => page.getByRole('button', { name: /Play/ }).getAttribute('aria-pressed')).toBe('false');
    // Paused: nothing moves on its own any more, even after a whole 4x interval.
    await page.getByRole('button', { name: /Play/ }).waitFor();
    expect(await currentStep(page)).toBeLessThanOrEqual(paused + 1);
    const slider = page.getByRole('slider', { name: 'Scrub through the steps' });
    await slider.fill('1');
    await expect.poll(() => currentStep(page)).toBe(1);
    await expect.poll(() => page.getByTestId('step-narration').textContent()).toContain('created');
    await app.screenshot('timeline-block-2m');
    expect(app.problems()).toEqual([]);
  });

  it('marks the steps that raised events and jumps to them', async () => {
    app = await openApp({ path: '?scenario=smmu-stage1-dma&step=0' });
    const { page } = app;
    await page.locator('.scrubber-mark').first().waitFor();
    const marked = (await page.locator('.scrubber-mark').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-mark')))));
    const expected = dmaStepsWithEvents('smmu-stage1-dma');
    expect(expected.length).toBeGreaterThan(0);
    expect(marked).toEqual(expect.arrayContaining(expected));
    const first = marked[0] ?? 0;
    await page.getByRole('button', { name: `Next event, step ${first}` }).click();
    await expect.poll(() => currentStep(page)).toBe(first);
    await expect.poll(() => page.getByTestId('step-narration').textContent()).toMatch(/Terminated.*F_/);
    await page.locator('[data-testid="dma-path"][data-reveal="done"]').waitFor();
    await app.screenshot('timeline-event-jump');
    expect(app.problems()).toEqual([]);
  });
});

describe('keyboard help', () => {
  it('opens on ?, traps focus, closes on Escape', async () => {
    app = await openApp({ path: '?scenario=walk-4k-page' });
    const { page } = app;
    await page.getByTestId('step-counter').waitFor();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard' });
    await dialog.waitFor();
    await expect.poll(() => dialog.textContent()).toContain('Play / pause');
    await app.screenshot('key-help');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('[role=dialog]') !== null)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await page.keyboard.press('3');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id ?? '')).toMatch(/stage-panel|smmu-tab-streams/);
    expect(app.problems()).toEqual([]);
  });
});
