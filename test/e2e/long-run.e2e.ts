/**
 * A run of thousands of steps shows how far it got and can be cancelled:
 * Cancel replaces the busy worker with a new one at the step shown before
 * the run, and the page stays usable. The long scenario is handed to the
 * page by a test-only init script that swaps the scenario a load carries.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { burstRunScenario } from '../../src/bench/ui/fixtures.ts';
import { builtinScenario } from '../../src/scenario/index.ts';
import { PROBE, workerProbeScript, type ProbeState } from '../../src/bench/ui/worker-probe.ts';
import { openApp, type App } from './harness/index.ts';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The most one burst may make: seconds of work even for a fast engine on a fast machine. */
const DMAS = 100_000_000;

describe('a long run', () => {
  it('shows progress while it runs, and Cancel brings the engine back to the step before it', async () => {
    app = await openApp({ path: '?scenario=smmu-stage1-dma', reducedMotion: 'reduce' });
    const { page } = app;
    // Reload once the first load has its engine (a reload that cuts the worker's script short is a failed request).
    await expect.poll(() => page.getByRole('button', { name: 'Step forward' }).isEnabled(), { timeout: 20_000 }).toBe(true);
    await app.context.addInitScript({ content: workerProbeScript(burstRunScenario(DMAS)) });
    // Opening a scenario runs it to the end once (the timeline's event marks): that is the long run.
    await page.reload();
    const bar = page.getByTestId('engine-progress');
    await bar.waitFor({ timeout: 30_000 });
    // What the first load left (its requests cut short by the reload) is not this test's concern.
    const earlier = app.problems().length;
    const count = bar.getByTestId('engine-progress-count');
    // The survey run at open reaches the last step, the burst, at once: its DMAs count up within the step.
    const steps = (builtinScenario('smmu-stage1-dma')?.steps.length ?? 0) + 1;
    const inBurst = new RegExp(`^${steps - 1} of ${steps}; step ${steps}: [\\d,]+ of ${DMAS.toLocaleString('en-US')} DMAs$`);
    await expect.poll(() => count.textContent(), { timeout: 20_000 }).toMatch(inBurst);
    const first = await count.textContent();
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
      // The address follows once stepping pauses (src/app/addressBar.ts).
      await expect.poll(() => new URL(page.url()).searchParams.get('step'), { timeout: 10_000 }).toBe(String(step));
    }
    expect(app.problems().slice(earlier)).toEqual([]);
  });
});
