/**
 * The scenario editor in a real Chromium: a small scenario built from the
 * form (a table, a mapping, a walk), a bad hex value shown next to its field,
 * the work found again after a reload (IndexedDB), undo and redo from the
 * keyboard, and Run showing the walk the engine made of it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openApp, type App, type Page } from './harness/index.ts';

const AXE_SOURCE = readFileSync(fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url)), 'utf8');

/** axe-core's serious and critical findings on the page as it is (evaluated over the DevTools protocol: the CSP forbids inline script). */
async function seriousA11yFindings(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] };
    const axe = (window as unknown as { axe: { run: (d: Document, o: object) => Promise<Result> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${JSON.stringify(v.nodes[0]?.target)}`);
  });
}

/** The form's input for an issue path (src/ui/editor/fieldText.ts domId). */
const domId = (path: string) => `ed-${path.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`)}`;
const field = (page: Page, path: string) => page.locator(`#${domId(path)}`);
const fieldIssues = (page: Page, path: string) => page.locator(`[data-path="${path}"]`).getByTestId('field-issues');
const hex = (text: string | null): bigint => BigInt((text ?? '').replace(/_/g, '').trim());

async function addStep(page: Page, kind: string): Promise<void> {
  await page.getByLabel('New step').selectOption(kind);
  await page.getByRole('button', { name: 'Add step' }).click();
}

/** The current work as IndexedDB holds it: the iova of step 1 of the newest snapshot. */
function storedIova(page: Page): Promise<unknown> {
  return page.evaluate(
    () =>
      new Promise<unknown>((resolve) => {
        const open = indexedDB.open('iommu-visualizer-editor');
        open.onsuccess = () => {
          const get = open.result.transaction('work').objectStore('work').get('current');
          get.onsuccess = () => {
            const work = get.result as { history?: { present?: { steps?: { iova?: unknown }[] } } } | undefined;
            resolve(work?.history?.present?.steps?.[1]?.iova);
            open.result.close();
          };
        };
        open.onerror = () => resolve(undefined);
      }),
  );
}

let app: App | undefined;
afterEach(async () => {
  if (app) expect(app.problems()).toEqual([]);
  await app?.close();
  app = undefined;
});

describe('the scenario editor', () => {
  it('builds a table, a mapping and a walk, survives a reload, undoes and redoes, and runs', async () => {
    app = await openApp();
    const { page } = app;
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Scenario editor' }).waitFor();
    await addStep(page, 'pgtable.create');
    await addStep(page, 'pgtable.map');
    await field(page, 'steps[1].paddr').fill('0x0000_0008_8123_4000');
    await field(page, 'steps[1].iova').fill('0xffff_g000');
    await expect.poll(() => fieldIssues(page, 'steps[1].iova').textContent()).toMatch(/must be a hex string like "0x1000".*\(got "0xffff_g000"\)/);
    expect(await field(page, 'steps[1].iova').inputValue()).toBe('0xffff_g000');
    await app.screenshot('editor-error-light');
    expect(await seriousA11yFindings(page)).toEqual([]);

    await field(page, 'steps[1].iova').fill('0xffff_f000');
    await expect.poll(() => fieldIssues(page, 'steps[1].iova').count()).toBe(0);
    // The work reaches IndexedDB within the autosave delay; a reload (or a crash) after that loses nothing.
    await expect.poll(() => storedIova(page)).toBe('0xffff_f000');
    expect(new URL(page.url()).searchParams.has('edit')).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByTestId('editor-status').textContent()).toMatch(/Restored your unsaved work/);
    await page.getByTestId('editor-step-1').click();
    expect(await field(page, 'steps[1].iova').inputValue()).toBe('0xffff_f000');
    expect(await field(page, 'steps[1].paddr').inputValue()).toBe('0x0000_0008_8123_4000');

    // The undo history came back too: the two edits of iova are one entry, then paddr's.
    await page.keyboard.press('Control+z');
    await expect.poll(() => field(page, 'steps[1].iova').inputValue()).toBe('0x0');
    await page.keyboard.press('Control+z');
    await expect.poll(() => field(page, 'steps[1].paddr').inputValue()).toBe('0x0');
    await page.keyboard.press('Control+Shift+z');
    await page.keyboard.press('Control+y');
    await expect.poll(() => field(page, 'steps[1].iova').inputValue()).toBe('0xffff_f000');
    expect(await field(page, 'steps[1].paddr').inputValue()).toBe('0x0000_0008_8123_4000');

    await addStep(page, 'walk');
    await field(page, 'steps[2].address').fill('0xffff_f800');
    await expect.poll(() => page.getByTestId('editor-summary').textContent()).toMatch(/No problems/);
    await page.getByRole('button', { name: /Run/ }).click();
    await page.locator('svg.walk-svg[data-reveal="done"]').waitFor();
    expect(hex(await page.getByTestId('walk-pa').textContent())).toBe(0x8_8123_4800n);
    expect(new URL(page.url()).searchParams.has('edit')).toBe(false);
    await app.screenshot('editor-ran-walk');
  });

  it('shows an STE field that does not fit, in the dark theme', async () => {
    app = await openApp({ path: '?edit', colorScheme: 'dark' });
    const { page } = app;
    await page.getByRole('heading', { name: 'Scenario editor' }).waitFor();
    await page.getByLabel('Start from').selectOption('smmu-stage1-dma');
    await page.getByTestId('editor-step-3').click();
    await expect.poll(() => page.getByRole('heading', { level: 3 }).first().textContent()).toMatch(/smmu\.writeSte/);
    await field(page, 'steps[3].fields.S1ContextPtr').fill('0x4000_0010');
    await expect.poll(() => fieldIssues(page, 'steps[3].fields.S1ContextPtr').textContent()).toMatch(/must be a multiple of 0x40/);
    await field(page, 'steps[3].fields.S1ContextPtr').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await app.screenshot('editor-error-dark');
    expect(await seriousA11yFindings(page)).toEqual([]);
  });

  it('edits a kernel call by name: a new call keeps the arguments it shares and fills the others', async () => {
    app = await openApp({ path: '?edit' });
    const { page } = app;
    await page.getByLabel('Start from').selectOption('linux-claim-dma-owner');
    await page.getByTestId('editor-step-3').click();
    expect(await field(page, 'steps[3].args.group').inputValue()).toBe('nic0');
    expect(await field(page, 'steps[3].args.owner').inputValue()).toBe('vfio');
    await field(page, 'steps[3].call').selectOption('iommu_attach_group');
    await expect.poll(() => field(page, 'steps[3].args.domain').count()).toBe(1);
    expect(await field(page, 'steps[3].args.group').inputValue()).toBe('nic0');
    expect(await field(page, 'steps[3].args.owner').count()).toBe(0);
    // A domain no step allocated: the cross-step check names it, next to the argument.
    await field(page, 'steps[3].args.domain').fill('no-such-domain');
    await expect.poll(() => fieldIssues(page, 'steps[3].args.domain').textContent()).toMatch(/no domain named "no-such-domain"/);
    await app.screenshot('editor-linux-call');
    await page.getByTestId('editor-step-0').click();
    await expect.poll(() => field(page, 'steps[0].devices[0].bdf').count()).toBe(1);
    await app.screenshot('editor-linux-boot', { fullPage: true });
  });
});
