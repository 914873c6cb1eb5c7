import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/share/crc32.ts';
import { readPngChunks, writePngChunks, type PngChunk } from '../../../src/ui/export/pngChunks.ts';
import { iTxtChunk, readPngText, withPngText } from '../../../src/ui/export/pngText.ts';

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** A 1x1 RGBA PNG: IHDR, one IDAT (filter byte + one pixel), IEND. */
function tinyPng(): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, 1);
  view.setUint32(4, 1);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return writePngChunks([
    { type: 'IHDR', data: ihdr },
    { type: 'IDAT', data: zlibSync(Uint8Array.of(0, 47, 91, 211, 255)) },
    { type: 'IEND', data: new Uint8Array(0) },
  ]);
}

describe('crc32', () => {
  it('matches the published check value and the CRC of a real IEND chunk', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    // Every PNG ends with 00 00 00 00 49 45 4E 44 AE 42 60 82.
    expect(crc32(ascii('IEND'))).toBe(0xae426082);
    expect(crc32(ascii('IE'), ascii('ND'))).toBe(0xae426082);
  });
});

describe('PNG chunks', () => {
  it('reads back what it wrote, chunk for chunk', () => {
    const png = tinyPng();
    const read = readPngChunks(png);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(writePngChunks(read.chunks)).toEqual(png);
    expect([...png.subarray(png.length - 12)]).toEqual([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
  });

  it('names what is wrong with a damaged file', () => {
    const png = tinyPng();
    const flipped = png.slice();
    flipped[png.length - 20] = flipped[png.length - 20]! ^ 0x40; // inside IDAT's data
    expect(readPngChunks(flipped)).toEqual({ ok: false, problem: expect.stringMatching(/chunk IDAT at byte \d+ is damaged/) });
    expect(readPngChunks(png.subarray(0, png.length - 12))).toEqual({ ok: false, problem: 'it is cut short: it has no IEND chunk' });
    expect(readPngChunks(png.subarray(0, 30))).toEqual({ ok: false, problem: expect.stringContaining('chunk IHDR at byte 8 says it holds 13 bytes') });
    expect(readPngChunks(ascii('GIF89a and more'))).toEqual({ ok: false, problem: 'it does not start with the PNG signature' });
    const noHeader = writePngChunks([{ type: 'IEND', data: new Uint8Array(0) }]);
    expect(readPngChunks(noHeader)).toEqual({ ok: false, problem: 'its first chunk is IEND, not IHDR' });
  });
});

describe('PNG text (iTXt)', () => {
  const text = JSON.stringify({ note: 'Unicode survives: “STE” → CD, 0x8000_0000 <&> ]]> \u0000 end', n: [1, 2, 3] });

  it('round-trips UTF-8 text placed just before IEND, leaving the other chunks as they were', () => {
    const png = tinyPng();
    const out = withPngText(png, 'iommu-visualizer', text);
    expect(readPngText(out, 'iommu-visualizer')).toEqual({ ok: true, text });
    const read = readPngChunks(out);
    if (!read.ok) throw new Error(read.problem);
    expect(read.chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'iTXt', 'IEND']);
    const original = readPngChunks(png);
    if (!original.ok) throw new Error(original.problem);
    expect(read.chunks[1]).toEqual(original.chunks[1]);
  });

  it('replaces an older chunk with the same keyword and keeps others', () => {
    const once = withPngText(withPngText(tinyPng(), 'Software', 'someone else'), 'iommu-visualizer', 'old');
    const twice = withPngText(once, 'iommu-visualizer', 'new');
    const read = readPngChunks(twice);
    if (!read.ok) throw new Error(read.problem);
    expect(read.chunks.filter((c) => c.type === 'iTXt')).toHaveLength(2);
    expect(readPngText(twice, 'iommu-visualizer')).toEqual({ ok: true, text: 'new' });
    expect(readPngText(twice, 'Software')).toEqual({ ok: true, text: 'someone else' });
  });

  it('tells a PNG without the chunk from a damaged one', () => {
    expect(readPngText(tinyPng(), 'iommu-visualizer')).toEqual({ ok: false, missing: true, problem: 'it has no "iommu-visualizer" text chunk' });
    const out = withPngText(tinyPng(), 'iommu-visualizer', text);
    const damaged = out.slice();
    damaged[out.length - 30] = damaged[out.length - 30]! ^ 1;
    const result = readPngText(damaged, 'iommu-visualizer');
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problem).toMatch(/chunk iTXt at byte \d+ is damaged/);
  });

  it('reports a compressed body that does not inflate, even when its CRC is right', () => {
    const good = iTxtChunk('iommu-visualizer', text);
    const broken: PngChunk = { type: 'iTXt', data: good.data.slice(0, good.data.length - 8) };
    const read = readPngChunks(tinyPng());
    if (!read.ok) throw new Error(read.problem);
    const png = writePngChunks([read.chunks[0]!, read.chunks[1]!, broken, read.chunks[2]!]);
    const result = readPngText(png, 'iommu-visualizer');
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problem).toMatch(/does not decompress/);
  });

  it('reads an uncompressed iTXt and a Latin-1 tEXt chunk written by another tool', () => {
    const read = readPngChunks(tinyPng());
    if (!read.ok) throw new Error(read.problem);
    const plain = Uint8Array.from([...ascii('iommu-visualizer'), 0, 0, 0, ...ascii('de'), 0, 0, ...new TextEncoder().encode('grüß')]);
    const withPlain = writePngChunks([read.chunks[0]!, { type: 'iTXt', data: plain }, read.chunks[1]!, read.chunks[2]!]);
    expect(readPngText(withPlain, 'iommu-visualizer')).toEqual({ ok: true, text: 'grüß' });
    const latin = Uint8Array.from([...ascii('Comment'), 0, 0x63, 0x61, 0x66, 0xe9]);
    const withLatin = writePngChunks([read.chunks[0]!, { type: 'tEXt', data: latin }, read.chunks[1]!, read.chunks[2]!]);
    expect(readPngText(withLatin, 'Comment')).toEqual({ ok: true, text: 'café' });
  });

  it('refuses a keyword PNG does not allow', () => {
    expect(() => iTxtChunk('', 'x')).toThrow(/not a valid PNG keyword/);
    expect(() => iTxtChunk(' lead', 'x')).toThrow(/not a valid PNG keyword/);
    expect(() => iTxtChunk('k'.repeat(80), 'x')).toThrow(/not a valid PNG keyword/);
  });
});
