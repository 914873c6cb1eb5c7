/**
 * A run of thousands of steps shows how far it got and can be cancelled:
 * Cancel replaces the busy worker with a new one at the step shown before
 * the run, and the page stays usable. The long scenario is handed to the
 * page by a test-only init script that swaps the scenario a load carries.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { longRunScenario } from '../../src/bench/ui/fixtures.ts';
import { PROBE, workerProbeScript, type ProbeState } from '../../src/bench/ui/worker-probe.ts';
import { openApp, type App } from './harness/index.ts';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const DMAS = 8000;

describe('a long run', () => {
  it('shows progress while it runs, and Cancel brings the engine back to the step before it', async () => {
    app = await openApp({ path: '?scenario=smmu-stage1-dma', reducedMotion: 'reduce' });
    const { page } = app;
    // Reload once the first load has its engine (a reload that cuts the worker's script short is a failed request).
    await expect.poll(() => page.getByRole('button', { name: 'Step forward' }).isEnabled(), { timeout: 20_000 }).toBe(true);
    await app.context.addInitScript({ content: workerProbeScript(longRunScenario(DMAS)) });
    // Opening a scenario runs it to the end once (the timeline's event marks): that is the long run.
    await page.reload();
    const bar = page.getByTestId('engine-progress');
    await bar.waitFor({ timeout: 30_000 });
    // What the first load left (its requests cut short by the reload) is not this test's concern.
    const earlier = app.problems().length;
    const count = bar.getByTestId('engine-progress-count');
    const first = await count.textContent();
    expect(first).toMatch(new RegExp(`^[\\d,]+ of ${(DMAS + 9).toLocaleString('en-US')}$`));
    await expect.poll(() => count.textContent(), { timeout: 20_000 }).not.toBe(first);
    expect(Number(await bar.getByRole('progressbar').getAttribute('value'))).toBeGreaterThan(0);
    await app.screenshot('long-run-progress');

    await bar.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Cancelled. The engine was restarted and replayed the scenario to step 0.').waitFor({ timeout: 20_000 });
    await bar.waitFor({ state: 'detached' });
    expect((await page.evaluate<ProbeState>(PROBE.state)).started).toBe(2);
    await page.getByText('Nothing has run yet').waitFor();
    await app.screenshot('long-run-cancelled');

    // The new engine answers at once: the first steps of the scenario, one by one.
    const forward = page.getByRole('button', { name: 'Step forward' });
    for (let step = 1; step <= 3; step++) {
      await forward.click();
      await expect.poll(() => new URL(page.url()).searchParams.get('step')).toBe(String(step));
    }
    expect(app.problems().slice(earlier)).toEqual([]);
  });
});
