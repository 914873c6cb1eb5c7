/**
 * The engine worker dies mid-scenario: the page notices (the heartbeat goes
 * unanswered), says so, starts a new worker, replays the scenario to the
 * step shown, and the step the user asked for arrives. The worker is killed
 * from outside through the page's Worker object, captured by a test-only
 * init script; the app itself has no hook for it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PROBE, workerProbeScript, type ProbeState } from '../../src/bench/ui/worker-probe.ts';
import { openApp, type App, type Page } from './harness/index.ts';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const FIRST_DIAGRAM = `performance.getEntriesByName('first-diagram').length > 0`;
const stepOf = (page: Page) => Number(new URL(page.url()).searchParams.get('step'));

/** The app reloaded with the probe in place; `problems()` of the first load (cut short by the reload) are left out. */
async function openProbed(path: string): Promise<{ app: App; problems: () => string[] }> {
  const opened = await openApp({ path, reducedMotion: 'reduce', viewport: { width: 1400, height: 1000 } });
  await expect.poll(() => opened.page.evaluate(FIRST_DIAGRAM), { timeout: 20_000 }).toBe(true);
  await opened.context.addInitScript({ content: workerProbeScript() });
  await opened.page.reload();
  await expect.poll(() => opened.page.evaluate(FIRST_DIAGRAM), { timeout: 20_000 }).toBe(true);
  const earlier = opened.problems().length;
  return { app: opened, problems: () => opened.problems().slice(earlier) };
}

async function stageAt(page: Page, step: number): Promise<string> {
  await expect.poll(() => stepOf(page), { timeout: 20_000 }).toBe(step);
  await expect.poll(() => page.getByRole('button', { name: `Go to step ${step}:`, exact: false }).first().getAttribute('aria-current')).toBe('step');
  return page.locator('#stage-panel').innerText();
}

describe('a worker that stops', () => {
  it('is restarted and replayed to the same step, and the step asked for meanwhile arrives', async () => {
    const probed = await openProbed('?scenario=smmu-nested&step=6');
    app = probed.app;
    const { page } = app;
    const forward = page.getByRole('button', { name: 'Step forward' });
    await stageAt(page, 6);
    await forward.click();
    const before = await stageAt(page, 7);
    const first = await page.evaluate<ProbeState>(PROBE.state);
    expect(first.started).toBe(1);
    // Once the page has confirmed the worker's answer channel (src/worker/answer-channel.ts), steps come back on it.
    expect(first.viaChannel).toBeGreaterThan(0);

    await page.evaluate(PROBE.kill);
    await forward.click();
    const notice = page.getByText('The engine stopped answering; restarted it and replayed the scenario to step 7.');
    await notice.waitFor({ timeout: 30_000 });
    await stageAt(page, 8);
    expect((await page.evaluate<ProbeState>(PROBE.state)).started).toBe(2);
    await app.screenshot('recovery-notice');

    // The new engine shows what the old one showed: step back to 7 and compare the diagram.
    await page.getByRole('button', { name: 'Step back' }).click();
    expect(await stageAt(page, 7)).toBe(before);
    await forward.click();
    await forward.click();
    await stageAt(page, 9);
    // The restarted worker has its own channel, confirmed again: its step answers use it too.
    expect((await page.evaluate<ProbeState>(PROBE.state)).viaChannel).toBeGreaterThan(first.viaChannel);
    expect(probed.problems()).toEqual([]);
  });
});
