/**
 * The STE/CD decoder in a real Chromium: one click from the start page, a
 * real STE pasted, a field edited in place, a value that does not fit, and a
 * link that reopens what is on screen. Expected values are worked out from
 * the bit layout here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openApp, type App, type Page } from './harness/index.ts';

/** Linux's arm_smmu_make_cdtable_ste: V, Config = 0b101, a linear CD table at 0x8_1234_0000; S1CIR/S1COR/S1CSH in qword 1. */
const LINUX_STE = '0x000000081234000b 0x00000000000000d4 0 0 0 0 0 0';
const WORD0 = 0x000000081234000bn;
/** The CD the smmu-stage1-dma lesson writes: ASID 1, TTB0 0x4000_6000, T0SZ 16, 4KB, IPS 48 bits. */
const STAGE1_CD = '0x0001_6205_c000_3510 0x4000_6000 0 0xf404_ff44 0 0 0 0';

const hex = (text: string | null): bigint => BigInt((text ?? '').replace(/_/g, '').trim());
const words = async (page: Page) => (await page.getByTestId('decoder-input').inputValue()).trim().split(/\s+/).map((w) => BigInt(w));
const fieldInput = (page: Page, name: string) => page.locator(`tr[data-field="${name}"]`).getByLabel(`${name} value`);

let app: App | undefined;
afterEach(async () => {
  if (app) expect(app.problems()).toEqual([]);
  await app?.close();
  app = undefined;
});

describe('the STE/CD decoder', () => {
  it('opens from the header, decodes a pasted STE, and edits a field in place', async () => {
    app = await openApp();
    const { page } = app;
    await page.getByRole('button', { name: 'Decode STE/CD' }).click();
    await page.getByRole('heading', { name: 'STE / CD decoder' }).waitFor();
    await page.getByTestId('decoder-input').fill(LINUX_STE);
    await expect.poll(() => page.getByTestId('decoder-verdict').textContent()).toMatch(/^Valid STE\. stage 1/);
    // Config = bits [3:1] of qword 0; S1ContextPtr = bits [51:6], the address in place.
    expect(await fieldInput(page, 'Config').inputValue()).toBe(`0b${((WORD0 >> 1n) & 7n).toString(2)}`);
    expect(await page.locator('tr[data-field="Config"]').textContent()).toContain('stage 1 translate');
    expect(hex(await fieldInput(page, 'S1ContextPtr').inputValue())).toBe(WORD0 & 0x000f_ffff_ffff_ffc0n);
    await app.screenshot('decoder-linux-ste', { fullPage: true });

    // S1CDMax is bits [63:59]: 4 there sets qword 0's top bits, nothing else.
    await fieldInput(page, 'S1CDMax').fill('4');
    await fieldInput(page, 'S1CDMax').press('Enter');
    await expect.poll(async () => (await words(page))[0]).toBe(WORD0 | (4n << 59n));
    expect((await words(page))[1]).toBe(0xd4n);
    // The link now carries the words.
    expect(new URL(page.url()).searchParams.get('decode')).toBe('ste');
    expect(BigInt(new URL(page.url()).searchParams.get('words')?.split(' ')[0] ?? '0')).toBe(WORD0 | (4n << 59n));

    // Too wide for the field: the message beside it, the text kept, the words unchanged.
    await fieldInput(page, 'S1CDMax').fill('40');
    await fieldInput(page, 'S1CDMax').press('Enter');
    const alert = page.locator('tr[data-field="S1CDMax"]').getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/5 bits wide \[63:59\]; 40 does not fit/);
    expect(await fieldInput(page, 'S1CDMax').inputValue()).toBe('40');
    expect((await words(page))[0]).toBe(WORD0 | (4n << 59n));
    await page.locator('tr[data-field="S1CDMax"]').scrollIntoViewIfNeeded();
    await app.screenshot('decoder-too-wide');
  });

  it('names the word and where it is when the paste does not parse', async () => {
    app = await openApp({ path: '?decode=ste' });
    const { page } = app;
    await page.getByTestId('decoder-input').fill('0x000000081234000b\n0x12g4 0 0 0 0 0 0');
    await expect.poll(() => page.getByTestId('decoder-error').textContent()).toContain('word 2 "0x12g4" is not a hex number');
    expect(await page.getByTestId('decoder-error').textContent()).toContain('line 2, column 1');
  });

  it('opens a CD from a link, in the dark theme, and says what it configures', async () => {
    app = await openApp({ path: `?decode=cd&words=${encodeURIComponent(STAGE1_CD)}`, colorScheme: 'dark' });
    const { page } = app;
    await expect.poll(() => page.getByTestId('decoder-verdict').textContent()).toMatch(/^Valid CD\. ASID 1, 4KB granule, 48-bit input/);
    expect(await page.getByLabel('CD (Context Descriptor)').isChecked()).toBe(true);
    expect(hex(await fieldInput(page, 'TTB0').inputValue())).toBe(0x4000_6000n);
    await app.screenshot('decoder-cd-dark', { fullPage: true });
    // Back to the scenarios, and the decoder's parameters leave the link.
    await page.getByRole('button', { name: 'Scenarios' }).click();
    await page.getByTestId('step-counter').waitFor();
    await expect.poll(() => new URL(page.url()).searchParams.get('decode')).toBeNull();
  });
});
