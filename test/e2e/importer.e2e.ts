/**
 * The import page in a real Chromium: open it by link and from the header,
 * paste a real machine's groups and see the boxes and what they mean, paste
 * a broken dump and see the bad lines by number beside what still parsed,
 * and read VT-d tables down to a page walk. Light and dark screenshots.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openApp, type App, type Page } from './harness/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');
const DESKTOP = read('src/importers/samples/groups-desktop.txt');
const MALFORMED = read('test/fixtures/importers/groups-malformed.txt');
const AXE_SOURCE = read('node_modules/axe-core/axe.min.js');
const groupIds = (text: string) => new Set([...text.matchAll(/^\/sys\/kernel\/iommu_groups\/(\d+)\/devices\//gm)].map((m) => m[1]));

/** axe-core's serious and critical findings on the page as it is. */
async function seriousAxeFindings(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    interface AxeResult { violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResult> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
  });
}

let app: App | undefined;
afterEach(async () => {
  if (app) expect(app.problems()).toEqual([]);
  await app?.close();
  app = undefined;
});

describe('the import page', () => {
  it('opens from ?import, reads a pasted groups listing and says what must go together', async () => {
    app = await openApp({ path: '?import' });
    const { page } = app;
    await page.getByRole('heading', { name: 'Import from a real machine' }).waitFor();
    await expect.poll(() => page.getByTestId('import-detected').textContent()).toBe('Nothing pasted yet.');
    await page.getByLabel('The dump').fill(DESKTOP);
    await expect.poll(() => page.getByTestId('import-detected').textContent()).toMatch(/^Recognised: IOMMU groups \(find \/sys\/kernel\/iommu_groups\), lspci -nn device list\./);
    expect(await page.getByTestId('import-group').count()).toBe(groupIds(DESKTOP).size);
    const group1 = page.locator('[data-testid=import-group][data-group="1"]');
    expect(await group1.getByRole('heading', { name: 'Group 1' }).count()).toBe(1);
    expect(await group1.textContent()).toContain('NVIDIA Corporation TU106 [GeForce RTX 2070]');
    expect(await group1.textContent()).toContain('must go together');
    expect(await page.locator('[data-testid=import-group][data-group="11"]').textContent()).toContain('can be passed to a VM by itself');
    expect(await page.getByTestId('import-consequences').textContent()).toContain('which driver each device is bound to');
    expect(await page.getByTestId('import-problems').count()).toBe(0);
    await app.screenshot('importer-groups-light', { fullPage: true });
    await group1.scrollIntoViewIfNeeded();
    await app.screenshot('importer-groups-view-light');
  });

  it('lists the lines of a malformed dump by number and content, and still shows what parsed', async () => {
    app = await openApp({ path: '?import' });
    const { page } = app;
    await page.getByLabel('The dump').fill(MALFORMED);
    const problems = page.getByTestId('import-problems');
    await problems.waitFor();
    expect(await problems.getByRole('heading').textContent()).toContain('4 lines could not be read');
    const line3 = problems.locator('li[data-line="3"]');
    expect(await line3.textContent()).toContain('line 3');
    expect(await line3.locator('code').textContent()).toBe('Segmentation fault (core dumped)');
    expect(await line3.textContent()).toContain('not a line of any accepted format');
    expect(await problems.locator('li[data-line="10"]').textContent()).toContain('already in group 1');
    // The good part: two groups, the GPU named by its lspci line.
    expect(await page.getByTestId('import-group').count()).toBe(2);
    expect(await page.locator('[data-testid=import-group][data-group="1"]').textContent()).toContain('GeForce RTX 2070');
    await app.screenshot('importer-malformed-light');
  });

  it('opens from the header, loads the scalable VT-d sample in the dark theme and shows a page walk', async () => {
    app = await openApp({ colorScheme: 'dark' });
    const { page } = app;
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Import from a real machine' }).waitFor();
    expect(new URL(page.url()).searchParams.has('import')).toBe(true);
    await page.getByRole('button', { name: 'VT-d scalable mode' }).click();
    await expect.poll(() => page.getByTestId('import-detected').textContent()).toMatch(/^Recognised: VT-d dmar_translation_struct, VT-d domain_translation_struct\./);
    const dmar1 = page.locator('[data-testid=import-dmar-table][data-unit="dmar1"]');
    expect(await dmar1.locator(':scope > caption').textContent()).toContain('scalable mode');
    // 6a:01.0: PASID 0 for DMA, 1 and 2 bound by SVA.
    expect(await dmar1.getByTestId('import-pasid-row').count()).toBe(4);
    expect(await dmar1.getByTestId('import-pasid-row').first().textContent()).toContain('first-stage translation only');
    const vm = page.locator('[data-testid=import-domain][data-device="0000:17:00.1"]');
    expect(await vm.textContent()).toContain('second-stage table');
    expect(await vm.textContent()).toContain('1GB');
    const nic = page.locator('[data-testid=import-domain][data-device="0000:17:00.0"]');
    await nic.getByRole('button', { name: /^Show the walk for IOVA 0xffff_f000/ }).click();
    const walk = nic.getByTestId('import-walk');
    expect(await walk.textContent()).toContain('PML4E');
    expect(await walk.textContent()).toContain('XD');
    await app.screenshot('importer-vtd-scalable-dark', { fullPage: true });
    await walk.scrollIntoViewIfNeeded();
    await app.screenshot('importer-walk-dark');
    await dmar1.scrollIntoViewIfNeeded();
    await app.screenshot('importer-dmar-dark');
    // Open a context entry's full field list.
    await page.getByLabel('All fields of the context entry of 6a:01.0').click();
    expect(await page.locator('[data-testid=import-context-row][data-bdf="6a:01.0"] tr[data-field="PDTS"]').textContent()).toContain('PASIDs 0 to 1048575');
    // Leaving the page takes ?import out of the link.
    await page.getByRole('button', { name: 'Scenarios' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.has('import')).toBe(false);
  });

  it('opens a sample from the link (?import=vtd: the legacy sample)', async () => {
    app = await openApp({ path: '?import=vtd' });
    const { page } = app;
    await expect.poll(() => page.getByTestId('import-detected').textContent()).toMatch(/^Recognised: VT-d dmar_translation_struct/);
    expect(await page.locator('[data-testid=import-dmar-table][data-unit="dmar1"] > caption').textContent()).toContain('legacy mode');
    expect(await page.locator('[data-testid=import-context-row][data-bdf="00:16.0"]').textContent()).toContain('pass-through');
    await app.screenshot('importer-vtd-legacy-light', { fullPage: true });
  });

  it.each(['light', 'dark'] as const)('has nothing serious for axe in the %s theme: groups, problems, tables, a walk and a field list', async (theme) => {
    app = await openApp({ path: '?import=vtd-scalable', colorScheme: theme, reducedMotion: 'reduce' });
    const { page } = app;
    await page.getByTestId('import-vtd').waitFor();
    await page.getByLabel('The dump').fill(`${DESKTOP}\n%% not a dump line %%\n${read('src/importers/samples/vtd-scalable.txt')}`);
    await page.getByTestId('import-problems').waitFor();
    await page.getByRole('button', { name: /^Show the walk for IOVA 0xffff_f000 of 0000:17:00.0/ }).click();
    await page.getByLabel('All fields of PASID 1 of 6a:01.0').click();
    expect(await seriousAxeFindings(page)).toEqual([]);
  });
});
