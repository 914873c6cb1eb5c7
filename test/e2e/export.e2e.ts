/**
 * Export and open again, in a real Chromium against the built app: the
 * diagram as SVG and PNG through the Export menu (real downloads), each
 * file opened through "Open file" in a fresh page showing another scenario,
 * must come back as the same scenario at the same step with the same SMMU
 * tab. A damaged file gives a message and leaves the open scenario alone.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinScenario, parseScenarioText } from '../../src/scenario/index.ts';
import { decodePayload, PNG_KEYWORD } from '../../src/ui/export/payload.ts';
import { readPngText } from '../../src/ui/export/pngText.ts';
import { type App, openApp, type Page, SCREENSHOT_DIR } from './harness/index.ts';

/** The engine answers in its own time on a loaded machine; this bounds a hang, it is not a speed check. */
const POLL = { timeout: 20_000 };

const dma = builtinScenario('smmu-stage1-dma');
if (!dma) throw new Error('the smmu-stage1-dma built-in is missing');

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function exportFile(page: Page, item: string): Promise<{ name: string; bytes: Buffer }> {
  await page.getByRole('button', { name: /^Export/ }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: item }).click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: await readFile(path) };
}

async function openFile(page: Page, name: string, mimeType: string, bytes: Buffer): Promise<void> {
  await page.getByTestId('open-file-input').setInputFiles({ name, mimeType, buffer: bytes });
}

/** The DMA scenario at step 7 with the event queue tab on show: the state every export must bring back. */
async function showDmaStep(): Promise<App> {
  const opened = await openApp({ path: '?scenario=smmu-stage1-dma&step=7', reducedMotion: 'reduce' });
  await expect.poll(() => opened.page.getByTestId('step-counter').textContent(), POLL).toBe('Step 7 of 9');
  await opened.page.getByRole('tab', { name: /Event queue/ }).click();
  return opened;
}

/** A fresh page on another scenario opens the file: the same scenario, step and tab appear. */
async function expectReopened(name: string, mimeType: string, bytes: Buffer): Promise<App> {
  const other = await openApp({ path: '?scenario=walk-4k-page&step=2' });
  await expect.poll(() => other.page.getByTestId('step-counter').textContent(), POLL).toBe('Step 2 of 7');
  await openFile(other.page, name, mimeType, bytes);
  await expect.poll(() => other.page.getByTestId('step-counter').textContent(), POLL).toBe('Step 7 of 9');
  expect(await other.page.getByTestId('step-label').textContent()).toBe(await labelOfStep(other.page, 7));
  await expect.poll(() => other.page.getByRole('tab', { name: /Event queue/ }).getAttribute('aria-selected'), POLL).toBe('true');
  expect(await other.page.getByLabel('Scenario', { exact: true }).inputValue()).toBe('smmu-stage1-dma');
  return other;
}

async function labelOfStep(page: Page, step: number): Promise<string> {
  return (await page.getByRole('button', { name: new RegExp(`^Go to step ${step}: `) }).first().getAttribute('aria-label'))?.replace(/^Go to step \d+: /, '') ?? '';
}

describe('export and open again', () => {
  it('SVG: carries the scenario in <metadata>, renders in the browser, and opens at the same step and view', async () => {
    app = await showDmaStep();
    const { name, bytes } = await exportFile(app.page, 'Diagram as SVG');
    expect(name).toBe('smmu-stage1-dma-step-7.svg');
    const text = bytes.toString('utf8');
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(text).toContain('<foreignObject');
    expect(text).not.toMatch(/https?:\/\/(?!www\.w3\.org\/)/); // no reference to any host but namespace names
    const metadata = /<iv:scenario[^>]*>([^<]*)<\/iv:scenario>/.exec(text)?.[1] ?? '';
    const unescaped = metadata.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const decoded = decodePayload(JSON.parse(unescaped));
    expect(decoded).toEqual({ ok: true, payload: { scenario: dma, step: 7, view: { smmuTab: 'events' }, scenarioId: 'smmu-stage1-dma' } });

    // Opened on its own, the file draws the diagram: a DMA path with its result.
    const page = app.page;
    const url = await page.evaluate((svg) => URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' })), text);
    const viewer = await app.context.newPage();
    await viewer.setViewportSize({ width: 1320, height: 1100 });
    await viewer.goto(url);
    expect(await viewer.evaluate(() => document.documentElement.localName)).toBe('svg');
    const shown = await viewer.evaluate(() => document.querySelector('foreignObject')?.textContent ?? '');
    expect(shown).toContain('0x1000_0123');
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await viewer.screenshot({ path: join(SCREENSHOT_DIR, 'export-svg-opened.png') });
    await viewer.close();
    expect(app.problems()).toEqual([]);
    await app.close();

    app = await expectReopened(name, 'image/svg+xml', bytes);
    expect(app.problems()).toEqual([]);
  });

  it('SVG of a Linux topology: every url(#id) the copy uses points inside the file, and it draws in the dark theme', async () => {
    app = await openApp({ path: '?scenario=linux-claim-dma-owner&step=6', colorScheme: 'dark', reducedMotion: 'reduce' });
    await expect.poll(() => app?.page.getByTestId('step-counter').textContent(), POLL).toBe('Step 6 of 15');
    await app.page.getByTestId('topology').first().waitFor();
    const { bytes } = await exportFile(app.page, 'Diagram as SVG');
    const text = bytes.toString('utf8');
    const refs = [...text.matchAll(/url\((?:&quot;|["'])?#([^"')&]+)/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0); // the topology's arrowheads
    for (const id of new Set(refs)) expect(text, id).toContain(`id="${id}"`);
    const url = await app.page.evaluate((svg) => URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' })), text);
    const viewer = await app.context.newPage();
    await viewer.setViewportSize({ width: 1320, height: 900 });
    await viewer.goto(url);
    expect(await viewer.evaluate(() => document.querySelector('foreignObject')?.textContent ?? '')).toContain('arm_smmu_blocked_domain');
    await viewer.screenshot({ path: join(SCREENSHOT_DIR, 'export-svg-topology-dark.png') });
    await viewer.close();
    expect(app.problems()).toEqual([]);
  });

  it('PNG: a real image with the scenario in an iTXt chunk, opening at the same step and view', async () => {
    app = await showDmaStep();
    const { name, bytes } = await exportFile(app.page, 'Diagram as PNG');
    expect(name).toBe('smmu-stage1-dma-step-7.png');
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await writeFile(join(SCREENSHOT_DIR, 'export-png-file.png'), bytes);
    const text = readPngText(new Uint8Array(bytes), PNG_KEYWORD);
    if (!text.ok) throw new Error(text.problem);
    expect(decodePayload(JSON.parse(text.text))).toEqual({ ok: true, payload: { scenario: dma, step: 7, view: { smmuTab: 'events' }, scenarioId: 'smmu-stage1-dma' } });
    // The browser decodes it: a canvas that drew the foreignObject was not tainted, and the pixels are the diagram's size.
    const size = await app.page.evaluate(async (b64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${b64}`;
      await image.decode();
      const stage = document.getElementById('stage-panel')?.getBoundingClientRect();
      return { width: image.naturalWidth, height: image.naturalHeight, stage: stage ? Math.ceil(stage.width) : 0 };
    }, bytes.toString('base64'));
    expect(size.width).toBe(2 * (size.stage + 32));
    expect(size.height).toBeGreaterThan(200);
    expect(app.problems()).toEqual([]);
    await app.close();

    app = await expectReopened(name, 'image/png', bytes);
    expect(app.problems()).toEqual([]);
  });

  it('exports the scenario as a .json scenario file that opens at its first walk', async () => {
    app = await showDmaStep();
    const { name, bytes } = await exportFile(app.page, 'Scenario as JSON');
    expect(name).toBe('smmu-stage1-dma.json');
    const parsed = parseScenarioText(bytes.toString('utf8'));
    expect(parsed).toEqual({ ok: true, scenario: dma });
    await app.close();
    app = await openApp({ path: '?scenario=walk-4k-page&step=2' });
    await openFile(app.page, name, 'application/json', bytes);
    await expect.poll(() => app?.page.getByLabel('Scenario', { exact: true }).inputValue(), POLL).toBe('smmu-stage1-dma');
    expect(app.problems()).toEqual([]);
  });

  it('a damaged or foreign file gives a message naming it, and the open scenario stays', async () => {
    app = await showDmaStep();
    const { bytes } = await exportFile(app.page, 'Diagram as PNG');
    await app.page.getByRole('button', { name: 'Step back' }).click();
    await expect.poll(() => app?.page.getByTestId('step-counter').textContent(), POLL).toBe('Step 6 of 9');
    await openFile(app.page, 'cut.png', 'image/png', bytes.subarray(0, bytes.length - 40));
    await app.page.getByText(/“cut.png” is a damaged PNG: /).waitFor();
    await openFile(app.page, 'notes.svg', 'image/svg+xml', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>'));
    await app.page.getByText('“notes.svg” is an SVG image, but not one exported by the IOMMU Visualizer: it holds no IOMMU Visualizer scenario in its <metadata>.').waitFor();
    expect(await app.page.getByTestId('step-counter').textContent()).toBe('Step 6 of 9');
    expect(await app.page.getByLabel('Scenario', { exact: true }).inputValue()).toBe('smmu-stage1-dma');
    await app.screenshot('export-open-damaged');
    expect(app.problems()).toEqual([]);
  });
});
