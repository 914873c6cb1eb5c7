/**
 * The SMMU lessons in a real Chromium against the built app: each DMA's
 * path ends at the PA the scenario's own mappings give, or at the event
 * record the step says; the stale IOTLB entry is marked, then gone after the
 * TLBI; the hitless update steps store by store. Expected values come from
 * the scenario files, not from the engine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { builtinScenario, type Scenario } from '../../src/scenario/index.ts';
import { openApp, type App, type Page } from './harness/index.ts';

const hex = (text: string | null): bigint => BigInt((text ?? '').replace(/_/g, '').trim());

function scenario(id: string): Scenario {
  const s = builtinScenario(id);
  if (!s) throw new Error(`no built-in scenario ${id}`);
  return s;
}

const stepsOf = (s: Scenario, kind: string): number[] => s.steps.flatMap((step, i) => (step.kind === kind ? [i + 1] : []));

function dmaSpec(s: Scenario, step: number) {
  const spec = s.steps[step - 1];
  if (spec?.kind !== 'smmu.dma') throw new Error(`step ${step} is not a DMA`);
  return spec;
}

/** paddr + offset of the scenario's map step covering the address (an IOVA, or an IPA for vm0). */
function mapped(s: Scenario, address: bigint): bigint {
  for (const step of s.steps) {
    if (step.kind !== 'pgtable.map') continue;
    const iova = hex(step.iova);
    if (address >= iova && address < iova + hex(step.size)) return hex(step.paddr) + (address - iova);
  }
  throw new Error(`0x${address.toString(16)} is not mapped`);
}

async function currentStep(page: Page): Promise<number> {
  return Number(await page.getByTestId('step-counter').locator('strong').textContent());
}

async function at(page: Page, step: number): Promise<void> {
  await expect.poll(() => currentStep(page)).toBe(step);
}

async function pathDone(page: Page): Promise<void> {
  await page.locator('[data-testid="dma-path"][data-reveal="done"]').waitFor();
}

let app: App | undefined;
afterEach(async () => {
  if (app) expect(app.problems()).toEqual([]);
  await app?.close();
  app = undefined;
});

describe('a DMA through the SMMU', () => {
  it('smmu-stage1-dma: steps to the first DMA, reveals its path row by row, and ends at the PA the mapping gives', async () => {
    const s = scenario('smmu-stage1-dma');
    const [first, second, last] = [stepsOf(s, 'smmu.dma')[0]!, stepsOf(s, 'smmu.dma')[1]!, stepsOf(s, 'smmu.dma').at(-1)!];
    app = await openApp({ path: `?scenario=smmu-stage1-dma&step=${first - 1}` });
    const { page } = app;
    await at(page, first - 1);
    await page.keyboard.press('ArrowRight');
    await at(page, first);
    // With motion allowed the rows appear one after another; the summary waits for the end.
    await expect.poll(() => page.getByTestId('dma-path').getAttribute('data-reveal')).toMatch(/running|done/);
    await pathDone(page);
    expect(hex(await page.getByTestId('dma-pa').textContent())).toBe(mapped(s, hex(dmaSpec(s, first).address)));
    expect(await page.getByTestId('dma-ste').textContent()).toContain('fetched from memory');
    expect(await page.getByTestId('dma-tlb').textContent()).toContain('miss');
    expect(await page.getByTestId('dma-walk').locator('svg.walk-svg[data-reveal="done"]').count()).toBe(1);
    // The engine runs in its worker.
    expect(page.workers().map((w) => w.url())).toEqual([expect.stringMatching(/engine\.worker-.*\.js$/)]);
    await app.screenshot('smmu-dma-translated', { fullPage: true });

    await page.keyboard.press('ArrowRight');
    await at(page, second);
    await pathDone(page);
    expect(await page.getByTestId('dma-tlb').textContent()).toContain('hit');
    expect(await page.getByTestId('dma-walk').textContent()).toContain('not needed: the IOTLB hit');
    expect(hex(await page.getByTestId('dma-pa').textContent())).toBe(mapped(s, hex(dmaSpec(s, second).address)));

    await page.keyboard.press('ArrowRight');
    await at(page, last);
    await pathDone(page);
    expect(await page.getByTestId('dma-event').textContent()).toBe('F_TRANSLATION');
    const record = page.getByRole('table', { name: 'F_TRANSLATION event record' });
    expect(await record.locator('tr[data-field="StreamID"] td').first().textContent()).toBe(String(dmaSpec(s, last).sid));
    expect(await record.locator('tr[data-field="RnW"] td').first().textContent()).toBe(dmaSpec(s, last).access === 'write' ? '0' : '1');
    expect(hex(await record.locator('tr[data-field="InputAddr"] td').first().textContent())).toBe(hex(dmaSpec(s, last).address));
    expect(await page.getByTestId('dma-recorded').textContent()).toMatch(/^Written to the event queue at index 0/);
    await app.screenshot('smmu-dma-fault', { fullPage: true });

    // The event queue holds the record, tied to this step.
    await page.getByRole('button', { name: 'Show the event queue' }).click();
    const queue = page.getByTestId('event-queue');
    expect(await queue.locator('.record-name').first().textContent()).toBe('F_TRANSLATION');
    expect(await queue.getByRole('button', { name: `Go to step ${last}, which raised this F_TRANSLATION` }).count()).toBe(1);
    await page.getByTestId('smmu-panels').scrollIntoViewIfNeeded();
    await app.screenshot('smmu-event-queue');
  });

  it('smmu-stale-iotlb: the IOTLB entry is marked stale after the remap, the DMA hits it, and it is gone after the TLBI', async () => {
    const s = scenario('smmu-stale-iotlb');
    const dmas = stepsOf(s, 'smmu.dma');
    const tlbi = stepsOf(s, 'smmu.commands').at(-1)!;
    const remap = s.steps[stepsOf(s, 'pgtable.map').at(-1)! - 1];
    if (remap?.kind !== 'pgtable.map') throw new Error('a remap');
    const address = hex(dmaSpec(s, dmas[1]!).address);
    const oldPa = mapped(s, address);
    const newPa = hex(remap.paddr) + (address - hex(remap.iova));
    app = await openApp({ path: `?scenario=smmu-stale-iotlb&step=${dmas[1]}`, reducedMotion: 'reduce' });
    const { page } = app;
    await at(page, dmas[1]!);
    await pathDone(page);
    expect(hex(await page.getByTestId('dma-pa').textContent())).toBe(oldPa);
    expect(await page.getByTestId('dma-tlb-stale').textContent()).toContain('Stale');
    await page.getByRole('tab', { name: /Caches/ }).click();
    const stale = page.getByTestId('iotlb').locator('tbody tr[data-stale="true"]');
    await expect.poll(() => stale.count()).toBe(1);
    expect(await stale.textContent()).toContain('stale');
    await app.screenshot('smmu-stale-iotlb-marked', { fullPage: true });

    // Focus is on the tabs, where the arrows move between tabs; the button steps.
    await page.getByRole('button', { name: 'Step forward' }).click();
    await at(page, tlbi);
    await expect.poll(() => page.getByTestId('iotlb').locator('caption').textContent()).toMatch(/^IOTLB: 0 entries/);
    await app.screenshot('smmu-stale-iotlb-gone', { fullPage: true });

    await page.getByRole('button', { name: 'Step forward' }).click();
    await at(page, dmas[2]!);
    await pathDone(page);
    expect(hex(await page.getByTestId('dma-pa').textContent())).toBe(newPa);
    await expect.poll(() => page.getByTestId('iotlb').locator('tbody tr[data-stale="false"]').count()).toBe(1);
  });

  it('smmu-nested: the nested walk counts its reads, the DMA reaches the PA through both stages, and the stage-2 fault is S2 = 1', async () => {
    const s = scenario('smmu-nested');
    const walk = stepsOf(s, 'walk')[0]!;
    const [dma, fault] = [stepsOf(s, 'smmu.dma')[0]!, stepsOf(s, 'smmu.dma').at(-1)!];
    app = await openApp({ path: `?scenario=smmu-nested&step=${walk}`, viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
    const { page } = app;
    await at(page, walk);
    // 3 stage-1 levels, each table page reached by a 3-level stage-2 walk, and the output IPA's 2-level stage-2 walk.
    await expect.poll(() => page.getByTestId('walk-reads').textContent()).toBe(`${3 * (3 + 1) + 2} descriptor reads`);
    const spec = dmaSpec(s, dma);
    const ipa = mapped(s, hex(spec.address));
    expect(hex((await page.getByTestId('walk-ipa').textContent())?.replace('IPA', '') ?? '')).toBe(ipa);
    expect(hex(await page.getByTestId('walk-pa').textContent())).toBe(mapped(s, ipa));
    await app.screenshot('smmu-nested-walk', { fullPage: true });

    await page.keyboard.press('ArrowRight');
    await at(page, dma);
    await pathDone(page);
    expect(hex(await page.getByTestId('dma-pa').textContent())).toBe(mapped(s, ipa));
    expect(await page.getByTestId('dma-cd').textContent()).toContain('stage 2');
    await app.screenshot('smmu-nested-dma', { fullPage: true });

    await page.keyboard.press('ArrowRight');
    await at(page, fault);
    await pathDone(page);
    const record = page.getByRole('table', { name: 'F_TRANSLATION event record' });
    expect(await record.locator('tr[data-field="S2"] td').first().textContent()).toBe('1');
    expect(await record.locator('tr[data-field="CLASS"]').textContent()).toContain('input address');
  });

  it('smmu-hitless-update: steps through the stores and syncs of the update, highlighting each stored qword', async () => {
    const s = scenario('smmu-hitless-update');
    const update = stepsOf(s, 'smmu.updateSte')[0]!;
    app = await openApp({ path: `?scenario=smmu-hitless-update&step=${update}`, colorScheme: 'dark' });
    const { page } = app;
    await at(page, update);
    const plan = page.getByTestId('update-plan');
    expect(await plan.getByTestId('update-hitless').textContent()).toBe('hitless: V never cleared');
    await plan.getByRole('button', { name: /before/ }).click();
    expect(await plan.getByTestId('update-position').textContent()).toBe('Before the first store');
    expect(await plan.getByTestId('update-seen').textContent()).toContain('abort');
    await plan.getByRole('button', { name: 'Next store or sync' }).click();
    expect(await plan.getByTestId('update-position').textContent()).toMatch(/^Store: step 1 of/);
    expect(await plan.locator('tr.is-written').count()).toBe(1);
    // The first store leaves the STE abort: the SMMU does not use the qword it wrote.
    expect(await plan.getByTestId('update-seen').textContent()).toContain('abort');
    await app.screenshot('smmu-hitless-update-dark', { fullPage: true });
    // The timeline's arrow keys still step the scenario, not the plan.
    await page.keyboard.press('ArrowRight');
    await at(page, update + 1);
  });

  it('selects an STE in the stream table and shows it in the inspector', async () => {
    const s = scenario('smmu-stage1-dma');
    const write = stepsOf(s, 'smmu.writeSte')[0]!;
    const ste = s.steps[write - 1];
    if (ste?.kind !== 'smmu.writeSte') throw new Error('an STE step');
    app = await openApp({ path: `?scenario=smmu-stage1-dma&step=${write}` });
    const { page } = app;
    await at(page, write);
    await page.locator(`.ste-row[data-sid="${ste.sid}"]`).click();
    const inspector = page.getByTestId('entry-inspector');
    await expect.poll(() => inspector.getByRole('heading', { level: 3 }).textContent()).toBe(`STE ${ste.sid} in the stream table`);
    expect(hex(await inspector.locator('tr[data-field="S1ContextPtr"] td.value-cell').textContent())).toBe(hex(String(ste.fields.S1ContextPtr)));
    await app.screenshot('smmu-stream-table-inspector', { fullPage: true });
  });
});
