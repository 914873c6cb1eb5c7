// @vitest-environment jsdom
/**
 * The STE/CD decoder page: pasting words, a parse error that says where,
 * editing a field in place, and a value too wide for its field. Expected
 * values are worked out from the bit layout in the test (Linux's
 * arm-smmu-v3.h positions), not read back from the engine.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/app/App.tsx';
import { readUrl, withoutDecoder, writeDecoderUrl } from '../../../src/app/url.ts';
import { resetAppStore, useAppStore } from '../../../src/store/appStore.ts';
import { resetDecoderStore } from '../../../src/store/decoderStore.ts';
import { DecoderPage } from '../../../src/ui/decoder/DecoderPage.tsx';
import { hexGrouped } from '../../../src/ui/format.ts';
import { InProcessHost } from '../../../src/worker/in-process-host.ts';

/** Linux's arm_smmu_make_cdtable_ste for a linear table of one CD at 0x8_1234_0000 (V, Config = 0b101, S1CIR/S1COR/S1CSH). */
const LINUX_STE = '0x000000081234000b 0x00000000000000d4 0 0 0 0 0 0';
const WORD0 = 0x000000081234000bn;

beforeEach(() => {
  resetAppStore();
  resetDecoderStore();
});
afterEach(cleanup);

const input = () => screen.getByTestId('decoder-input') as HTMLTextAreaElement;
const paste = (text: string) => fireEvent.change(input(), { target: { value: text } });
const row = (name: string) => {
  const r = screen.getByTestId('entry-fields').querySelector<HTMLElement>(`tr[data-field="${name}"]`);
  if (!r) throw new Error(`no row for ${name}`);
  return r;
};
const field = (name: string) => within(row(name)).getByLabelText(`${name} value`) as HTMLInputElement;
const words = () => input().value.trim().split(/\s+/).map((w) => BigInt(w));

describe('the decoder', () => {
  it('decodes Linux\'s cdtable STE: Config stage 1, S1ContextPtr, the bit ranges, and which fields are used', () => {
    render(<DecoderPage />);
    paste(LINUX_STE);
    expect(screen.getByTestId('decoder-verdict').textContent).toMatch(/^Valid STE\. stage 1/);
    // Config is bits [3:1] of qword 0; S1ContextPtr is the address in bits [51:6], in place.
    expect(row('Config').textContent).toContain('[3:1]');
    expect(field('Config').value).toBe(`0b${((WORD0 >> 1n) & 7n).toString(2)}`);
    expect(row('Config').textContent).toContain('stage 1 translate, stage 2 bypass');
    expect(field('S1ContextPtr').value).toBe(hexGrouped(WORD0 & 0x000f_ffff_ffff_ffc0n));
    expect(row('S1ContextPtr').textContent).toContain('STE[51:6]');
    // Qword 2's stage-2 fields are unused by a stage-1 STE: greyed and labelled.
    expect(row('S2TTB').className).toContain('is-unused');
    expect(row('S2TTB').textContent).toContain('not used');
    expect(row('S1CDMax').className).toContain('is-used');
  });

  it('reads sixteen 32-bit words (low word first) as the same STE', () => {
    render(<DecoderPage />);
    paste('0x1234000b 0x00000008 0xd4 0 0 0 0 0 0 0 0 0 0 0 0 0');
    expect(field('S1ContextPtr').value).toBe(hexGrouped(WORD0 & 0x000f_ffff_ffff_ffc0n));
    expect(screen.getByTestId('decoder-words').textContent).toContain('0x0000_0008_1234_000b');
  });

  it('names the word and where it is when one does not parse', () => {
    render(<DecoderPage />);
    paste('0x000000081234000b\n0x00zz 0 0 0 0 0 0');
    const error = screen.getByTestId('decoder-error').textContent ?? '';
    expect(error).toContain('word 2 "0x00zz" is not a hex number');
    expect(error).toContain('line 2, column 1');
    expect(input().getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByTestId('entry-fields')).toBeNull();
    paste('0 0 0');
    expect(screen.getByTestId('decoder-error').textContent).toContain('found 3 words');
  });

  it('edits a field in place: the words change, and only the field\'s bits', () => {
    render(<DecoderPage />);
    paste(LINUX_STE);
    fireEvent.change(field('S1CDMax'), { target: { value: '4' } });
    fireEvent.keyDown(field('S1CDMax'), { key: 'Enter' });
    // S1CDMax is qword 0 bits [63:59].
    expect(words()[0]).toBe(WORD0 | (4n << 59n));
    expect(words()[1]).toBe(0xd4n);
    expect(field('S1CDMax').value).toBe('4');
    // Edit an address field, hex with underscores, committed on blur.
    fireEvent.change(field('S1ContextPtr'), { target: { value: '0x9000_0040' } });
    fireEvent.blur(field('S1ContextPtr'));
    expect(words()[0]).toBe((WORD0 | (4n << 59n)) & ~0x000f_ffff_ffff_ffc0n | 0x9000_0040n);
  });

  it('refuses a value too wide for its field: the message beside the field, the typed value kept, the words unchanged', () => {
    render(<DecoderPage />);
    paste(LINUX_STE);
    fireEvent.change(field('S1CDMax'), { target: { value: '40' } });
    fireEvent.keyDown(field('S1CDMax'), { key: 'Enter' });
    const message = within(row('S1CDMax')).getByRole('alert').textContent ?? '';
    expect(message).toMatch(/S1CDMax is 5 bits wide \[63:59\]; 40 does not fit/);
    expect(field('S1CDMax').value).toBe('40');
    expect(field('S1CDMax').getAttribute('aria-invalid')).toBe('true');
    expect(words()[0]).toBe(WORD0);
    // An address that is not aligned to its field's low bit is refused too.
    fireEvent.change(field('S1ContextPtr'), { target: { value: '0x1001' } });
    fireEvent.keyDown(field('S1ContextPtr'), { key: 'Enter' });
    expect(within(row('S1ContextPtr')).getByRole('alert').textContent).toMatch(/S1ContextPtr holds address bits \[51:6\]/);
    fireEvent.change(field('S1DSS'), { target: { value: 'two' } });
    fireEvent.keyDown(field('S1DSS'), { key: 'Enter' });
    expect(within(row('S1DSS')).getByRole('alert').textContent).toMatch(/"two" is not a number/);
    expect(words()[0]).toBe(WORD0);
  });

  it('gives the verdict for the chosen SMMU: a nested STE is C_BAD_STE on QEMU\'s stage-1-only SMMU, blaming Config', () => {
    render(<DecoderPage />);
    // V = 1, Config = 0b111 (nested); S2AA64 in qword 2 bit 51, a 4KB granule, S2T0SZ 25, S2SL0 1, S2PS 5.
    const q2 = (1n << 51n) | (5n << 48n) | (1n << 38n) | (25n << 32n) | 1n;
    paste(`0x${(0x8010_0000n | 0xfn).toString(16)} 0 0x${q2.toString(16)} 0x40006000 0 0 0 0`);
    expect(screen.getByTestId('decoder-verdict').textContent).toMatch(/^Valid STE\. .*stage 2 \(VMID 1/);
    fireEvent.change(screen.getByLabelText('SMMU the verdict assumes'), { target: { value: 'qemu' } });
    expect(screen.getByTestId('decoder-verdict').textContent).toMatch(/C_BAD_STE.*stage 2.*does not implement/);
    expect(row('Config').className).toContain('is-culprit');
  });

  it('flags set bits no field covers, and decodes the same words as a CD', () => {
    render(<DecoderPage />);
    // STE bits [58:56] are RES0: no field covers them.
    paste('0x0200000000000000 0 0 0 0 0 0 0');
    expect(screen.getByTestId('entry-fields').querySelector('tr[data-unnamed="0"]')?.textContent).toContain('0x0200_0000_0000_0000');
    fireEvent.click(screen.getByLabelText('CD (Context Descriptor)'));
    // A CD with V (bit 31) = 0 is C_BAD_CD.
    expect(screen.getByTestId('decoder-verdict').textContent).toMatch(/C_BAD_CD/);
    expect(row('V').className).toContain('is-culprit');
  });
});

describe('the decoder in the app and the URL', () => {
  it('reads ?decode= and &words=, and writes them back as the words change', () => {
    expect(readUrl('?decode=cd&words=0x1,0x2')).toMatchObject({ decode: 'CD', words: '0x1 0x2' });
    expect(readUrl('?decode=ste')).toMatchObject({ decode: 'STE' });
    const odd = readUrl('?decode=pte');
    expect(odd.decode).toBe('STE');
    expect(odd.problems[0]).toMatch(/"decode=pte" in the link is neither/);
    expect(readUrl('?scenario=walk-4k-page').decode).toBeUndefined();
    const written = writeDecoderUrl('?scenario=smmu-nested&step=3', 'CD', [0x10n, 0n]);
    expect(new URLSearchParams(written).get('words')).toBe('0x10 0x0');
    expect(new URLSearchParams(written).get('scenario')).toBe('smmu-nested');
    expect(withoutDecoder(written)).toBe('?scenario=smmu-nested&step=3');
  });

  it('opens from the header button and from a link, and goes back to the scenario', async () => {
    window.history.replaceState(null, '', `/?decode=ste&words=${encodeURIComponent(LINUX_STE)}`);
    render(<App createHost={() => new InProcessHost()} />);
    expect(await screen.findByRole('heading', { name: 'STE / CD decoder' })).toBeTruthy();
    expect(words()[0]).toBe(WORD0);
    fireEvent.click(screen.getByRole('button', { name: 'Scenarios' }));
    await waitFor(() => expect(screen.getByTestId('step-counter')).toBeTruthy());
    expect(new URLSearchParams(window.location.search).get('decode')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Decode STE/CD' }));
    expect(useAppStore.getState().mode).toBe('decoder');
    expect(screen.getByRole('button', { name: 'Decode STE/CD' }).getAttribute('aria-current')).toBe('page');
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('decode')).toBe('ste'));
  });
});
