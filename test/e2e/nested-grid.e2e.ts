/**
 * The two-dimensional nested walk in a real Chromium: the grid's cells and
 * its total are the memory accesses the engine's trace holds (stage-1 and
 * stage-2 descriptor reads, and the CD fetch's stage-2 walk), and the reads
 * animate in order to the end.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { builtinScenario } from '../../src/scenario/index.ts';
import { EngineSession } from '../../src/worker/session.ts';
import { openApp, type App } from './harness/index.ts';

/** Each nested DMA of a scenario, with the number of reads its trace records, from the engine session the worker runs. */
function nestedDmaReads(id: string): { step: number; reads: number }[] {
  const scenario = builtinScenario(id);
  if (!scenario) throw new Error(`no built-in ${id}`);
  const session = new EngineSession();
  session.load(1, scenario);
  const r = session.goTo(2, scenario.steps.length);
  if (r.kind !== 'state') throw new Error('goTo failed');
  return r.log.flatMap((events, i) => events.flatMap((e) => {
    if (e.kind !== 'smmu.dma' && e.kind !== 'linux.dma') return [];
    const t = e.outcome.trace;
    if (t.ste?.config !== 'nested' || !t.walk?.steps.some((s) => s.s2)) return [];
    const s1 = t.walk.steps.filter((s) => !s.s2?.fault).length;
    const s2 = t.walk.steps.reduce((n, s) => n + (s.s2?.steps.length ?? 0), 0) + (t.walk.stage2?.steps.length ?? 0);
    return [{ step: i + 1, reads: s1 + s2 + (t.cd?.s2?.steps.length ?? 0) }];
  }));
}

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('nested walk grid', () => {
  for (const id of ['smmu-nested', 'linux-nested-iommufd']) {
    it(`shows ${id}'s nested DMAs as grids counting the trace's reads`, async () => {
      const dmas = nestedDmaReads(id);
      expect(dmas.length).toBeGreaterThan(0);
      for (const { step, reads } of dmas) {
        app = await openApp({ path: `?scenario=${id}&step=${step}`, viewport: { width: 1600, height: 1000 } });
        const { page } = app;
        const grid = page.getByTestId('nested-grid');
        await grid.waitFor();
        // The reads light up in order, then the grid is done.
        await page.locator('.nested-grid-svg[data-reveal="done"]').waitFor({ timeout: 20_000 });
        expect(Number(await grid.getByTestId('nested-grid-total').locator('strong').textContent())).toBe(reads);
        expect(await grid.locator('g.grid-cell').count()).toBe(reads);
        const orders = await grid.locator('g.grid-cell').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-order'))));
        expect(orders).toEqual(Array.from({ length: reads }, (_, i) => i + 1));
        await grid.scrollIntoViewIfNeeded();
        await app.screenshot(`nested-grid-${id}-step${step}`);
        expect(app.problems()).toEqual([]);
        await app.close();
        app = undefined;
      }
    });
  }
});
