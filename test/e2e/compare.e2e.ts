/**
 * The SMMUv3 / VT-d comparison in a real Chromium: opened by link
 * (?view=compare) and by its button, stepped with the timeline; after the
 * SVA bind the SMMU column shows CD 1 and the VT-d column PASID entry 1 with
 * PGTT = first-stage, in the same row. Screenshots in both themes, and
 * axe-core finds nothing serious.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinScenario } from '../../src/scenario/index.ts';
import { openApp, type App, type Page } from './harness/index.ts';

const AXE_SOURCE = readFileSync(fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url)), 'utf8');

async function seriousAxe(page: Page): Promise<{ id: string; nodes: string[] }[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    interface AxeResult { violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResult> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  });
}

const ID = 'compare-smmu-vtd';
const scenario = builtinScenario(ID);
const stepOf = (call: string): number => (scenario?.steps.findIndex((s) => s.kind === 'linux.call' && s.call === call) ?? -1) + 1;
const BIND = stepOf('iommu_sva_bind_device');
const REPLACE = stepOf('iommu_group_replace_domain');

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const counter = (page: Page) => page.getByTestId('step-counter').textContent();

describe('the SMMUv3 / VT-d comparison', () => {
  it.each(['light', 'dark'] as const)('shows CD 1 beside PASID entry 1 after the SVA bind, and follows the timeline (%s)', async (theme) => {
    expect(BIND).toBeGreaterThan(1);
    app = await openApp({ path: `?scenario=${ID}&step=${BIND - 1}&view=compare`, colorScheme: theme, reducedMotion: 'reduce', viewport: { width: 1600, height: 1000 } });
    const { page } = app;
    const compare = page.getByTestId('compare');
    await compare.waitFor();
    // Before the bind: the accelerator has only its RID's row, on both sides.
    await expect.poll(() => compare.locator('tbody[data-device="acc"] tr[data-pasid]').count()).toBe(1);
    await app.screenshot(`compare-top-${theme}`);
    await page.getByRole('button', { name: 'Step forward' }).click();
    await expect.poll(() => counter(page)).toMatch(new RegExp(`^Step ${BIND} of`));
    const row = compare.locator('tbody[data-device="acc"] tr[data-pasid="1"]');
    await row.waitFor();
    await expect.poll(() => row.getByTestId('smmu-cd-512-1').textContent()).toMatch(/^CD 1.*ASID\d+.*TTB00x/);
    await expect.poll(() => row.getByTestId('vtd-pasid-512-1').textContent()).toMatch(/^PASID entry 1first-stage.*PGTT1.*FLPTR0x.*DID1/);
    // Same row: the two cells sit at the same height.
    const a = await row.getByTestId('smmu-cd-512-1').boundingBox();
    const b = await row.getByTestId('vtd-pasid-512-1').boundingBox();
    expect(a && b && Math.abs(a.y - b.y)).toBeLessThan(2);
    expect(a && b && b.x > a.x + a.width).toBe(true);
    await expect.poll(() => page.getByTestId('compare-differences').textContent()).toContain('Where SVA attaches');
    await expect.poll(() => page.getByTestId('compare-kernel-same').textContent()).toMatch(/^The same on both IOMMUs/);
    expect(page.url()).toContain('view=compare');
    await row.scrollIntoViewIfNeeded();
    await app.screenshot(`compare-sva-${theme}`);
    expect(await seriousAxe(page)).toEqual([]);

    // Further on: vf0 on the nesting parent, Config = stage 2 on one side, PGTT = second-stage on the other.
    for (let s = BIND; s < REPLACE; s++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => counter(page)).toMatch(new RegExp(`^Step ${REPLACE} of`));
    await expect.poll(() => compare.getByTestId('smmu-ste-768').textContent()).toMatch(/stage 2.*S2TTB/);
    await expect.poll(() => compare.getByTestId('vtd-pasid-768-0').textContent()).toMatch(/second-stage.*SLPTPTR/);
    await compare.locator('tbody[data-device="vf0"]').scrollIntoViewIfNeeded();
    await app.screenshot(`compare-replace-${theme}`);
    await page.getByTestId('compare-differences').scrollIntoViewIfNeeded();
    await app.screenshot(`compare-panels-${theme}`);
    expect(app.problems()).toEqual([]);
  });

  it('after the nested attach both columns show the guest-owned structure: the CD table at an IPA, PASID entry 0 with PGTT = nested', async () => {
    const vste = stepOf('iommufd_viommu_alloc_hwpt_nested');
    const attach = (scenario?.steps.findIndex((s, i) => i >= vste && s.kind === 'linux.call' && s.call === 'iommu_group_replace_domain') ?? -1) + 1;
    expect(attach).toBeGreaterThan(vste);
    app = await openApp({ path: `?scenario=${ID}&step=${attach - 1}&view=compare`, colorScheme: 'light', reducedMotion: 'reduce', viewport: { width: 1600, height: 1000 } });
    const { page } = app;
    const compare = page.getByTestId('compare');
    await expect.poll(() => compare.getByTestId('smmu-ste-768').textContent({ timeout: 15_000 })).toMatch(/stage 2/);
    await page.getByRole('button', { name: 'Step forward' }).click();
    await expect.poll(() => counter(page)).toMatch(new RegExp(`^Step ${attach} of`));
    await expect.poll(() => compare.getByTestId('smmu-ste-768').textContent()).toMatch(/nested.*S1ContextPtr.*S2TTB/);
    await expect.poll(() => compare.getByTestId('smmu-cdtable-768').textContent()).toMatch(/guest-owned, at an IPA/);
    await expect.poll(() => compare.getByTestId('smmu-cd-768-0').textContent()).toMatch(/TTB00x1002_?0000/);
    await expect.poll(() => compare.getByTestId('vtd-pasid-768-0').textContent()).toMatch(/^PASID entry 0nested.*FLPTR0x1004_?0000/);
    await expect.poll(() => compare.locator('tbody[data-device="vf0"]').textContent()).toMatch(/x86-64 first-stage \(guest\) at GPA 0x1004_0000/);
    await expect.poll(() => page.getByTestId('compare-differences').textContent()).toMatch(/Where a user page table attaches.*Config = nested.*PGTT = nested.*What the guest owns.*What stage 2 translates/);
    expect(await page.getByTestId('compare-findings').count()).toBe(0);
    await compare.locator('tbody[data-device="vf0"]').scrollIntoViewIfNeeded();
    await app.screenshot('compare-guest-nested-light');
    await page.getByTestId('compare-differences').scrollIntoViewIfNeeded();
    await app.screenshot('compare-guest-nested-diff-light');
    expect(app.problems()).toEqual([]);
  });

  it('names where the two runs part on linux-nested-iommufd: the SMMU\'s nested STE, and no nested domain on the VT-d side', async () => {
    const steps = builtinScenario('linux-nested-iommufd')?.steps.length ?? 0;
    app = await openApp({ path: `?scenario=linux-nested-iommufd&step=${steps}&view=compare`, colorScheme: 'dark', reducedMotion: 'reduce', viewport: { width: 1600, height: 1000 } });
    const { page } = app;
    await expect.poll(() => page.getByTestId('smmu-ste-256').textContent({ timeout: 15_000 })).toMatch(/nested.*S1ContextPtr.*S2TTB/);
    await expect.poll(() => page.getByTestId('compare-differences').textContent()).toMatch(/Where a user page table attaches.*holds the one CD of the StreamID.*No PASID entry has PGTT = nested/);
    await expect.poll(() => page.getByTestId('compare-findings').textContent()).toMatch(/refused: no domain named "nested"/);
    await page.getByTestId('compare-differences').scrollIntoViewIfNeeded();
    await app.screenshot('compare-nested-dark');
    expect(await seriousAxe(page)).toEqual([]);
    expect(app.problems()).toEqual([]);
  });

  it('opens from the stage\'s button and closes back to the diagram, keeping the address in step', async () => {
    app = await openApp({ path: `?scenario=${ID}&step=1`, reducedMotion: 'reduce' });
    const { page } = app;
    // The scenario is at step 1 before the button is used (a click during loading would pick the step it is at).
    await expect.poll(() => counter(page)).toMatch(/^Step 1 of/);
    await page.getByTestId('compare-open').click({ timeout: 15_000 });
    await page.getByTestId('compare').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('vtd-context-256').textContent({ timeout: 15_000 })).toMatch(/scalable mode.*PASIDDIRPTR/);
    await expect.poll(() => page.url()).toContain('view=compare');
    await page.getByRole('button', { name: 'Back to the diagram' }).click({ timeout: 15_000 });
    await page.getByTestId('compare-open').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('compare').count()).toBe(0);
    await expect.poll(() => page.url()).not.toContain('view=compare');
    expect(app.problems()).toEqual([]);
  });
});
