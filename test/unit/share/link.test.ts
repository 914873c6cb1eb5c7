/** The share-link codec: round trips, sizes, and a clear typed error for every way a link can be wrong. */
import { describe, expect, it } from 'vitest';
import { canonicalLessons } from '../../../src/lessons/index.ts';
import { builtinScenarios } from '../../../src/scenario/index.ts';
import { decodeBase64url, encodeBase64url } from '../../../src/share/base64url.ts';
import { crc32 } from '../../../src/share/crc32.ts';
import { DICTIONARY_V1_TEXT } from '../../../src/share/dictionary-v1.ts';
import { DICTIONARY_V2_TEXT } from '../../../src/share/dictionary-v2.ts';
import { type DecodeResult, type LinkView, MAX_LINK_CHARS, decodeShareLink, encodeShareLink, looksLikeShareLink } from '../../../src/share/index.ts';
import { SCENARIO, linkBodyOf, linkOf } from './linkBytes.ts';

function encode(scenario: (typeof builtinScenarios)[number]['scenario'], step = 2, view: LinkView = { tab: 'cds', stream: 7 }): string {
  const r = encodeShareLink({ scenario, step, view });
  if (!r.ok) throw new Error(r.message);
  return r.link;
}

function errorOf(result: DecodeResult) {
  if (result.ok) throw new Error('expected the link to be refused');
  return result.error;
}

describe('share links', () => {
  it.each(builtinScenarios.map((b) => [b.id, b.scenario] as const))('carry %s whole, with its step and view', (_id, scenario) => {
    const link = encode(scenario, 3, { tab: 'cds', stream: 7 });
    expect(link).toMatch(/^v2\.[A-Za-z0-9_-]+$/);
    const back = decodeShareLink(`#${link}`);
    expect(back).toEqual({ ok: true, scenario, step: 3, view: { tab: 'cds', stream: 7 }, warnings: [] });
  });

  it.each(canonicalLessons().map((l) => [l.id, l.scenario] as const))('carry lesson %s whole', (_id, scenario) => {
    const link = encode(scenario, 5, { tab: 'events', stream: 3 });
    expect(decodeShareLink(link)).toEqual({ ok: true, scenario, step: 5, view: { tab: 'events', stream: 3 }, warnings: [] });
  });

  it('keep every lesson\'s link under 2,000 characters, and the built-ins\' median well under', () => {
    const hash = (scenario: (typeof builtinScenarios)[number]['scenario']) => encode(scenario, 3, { tab: 'streams' }).length + 1;
    const over = canonicalLessons().map((l) => ({ lesson: l.id, chars: hash(l.scenario) })).filter((l) => l.chars >= 2000);
    expect(over).toEqual([]);
    const builtins = builtinScenarios.map((b) => hash(b.scenario)).sort((a, b) => a - b);
    expect(builtins[Math.floor(builtins.length / 2)]).toBeLessThan(1500);
  });

  it('carry an edited scenario, not just a built-in', () => {
    const edited = { ...builtinScenarios[0]!.scenario, title: 'My own walk' };
    const back = decodeShareLink(encode(edited));
    expect(back.ok && back.scenario.title).toBe('My own walk');
  });

  it('use frozen dictionaries: their bytes never change, or old links would stop opening', () => {
    expect(crc32(new TextEncoder().encode(DICTIONARY_V1_TEXT))).toBe(0x7253_0a22);
    expect(DICTIONARY_V1_TEXT.length).toBe(19_668);
    const v2 = new TextEncoder().encode(DICTIONARY_V2_TEXT);
    expect(crc32(v2)).toBe(0xc0f1_245e);
    // Inside DEFLATE's window (32 KiB), so every byte of it can be referred to.
    expect(v2.length).toBe(32_000);
  });

  it('read version 1 links with version 1\'s dictionary, and version 2 with version 2\'s', () => {
    const payload = JSON.stringify({ s: SCENARIO, n: 0, v: { tab: 'cds' } });
    for (const version of [1, 2]) expect(decodeShareLink(linkOf(payload, { version }))).toMatchObject({ ok: true, scenario: SCENARIO, view: { tab: 'cds' } });
    // Each version needs its own dictionary: the other one's reads as damage, never as another scenario.
    const crossed = [linkOf(payload, { version: 1, dictionary: 2 }), linkOf(payload, { version: 2, dictionary: 1 })];
    for (const link of crossed) expect(['corrupt', 'checksum']).toContain(errorOf(decodeShareLink(link)).kind);
  });

  it('tell a share link from other hashes', () => {
    expect(looksLikeShareLink('#v1.abc')).toBe(true);
    expect(looksLikeShareLink('#v12')).toBe(true);
    expect(looksLikeShareLink('#stage-panel')).toBe(false);
    expect(looksLikeShareLink('')).toBe(false);
  });
});

describe('a bad link says what is wrong and where', () => {
  const good = encode(builtinScenarios[0]!.scenario);

  it('empty, not a link, or another link version', () => {
    expect(errorOf(decodeShareLink('#')).kind).toBe('empty');
    expect(errorOf(decodeShareLink('#hello')).message).toContain('does not start with a link version');
    expect(errorOf(decodeShareLink('#v1')).kind).toBe('not-a-link');
    const v3 = errorOf(decodeShareLink(`#v3.${good.slice(3)}`));
    expect(v3.kind).toBe('version');
    expect(v3.message).toBe('The link is version 3, but this app reads link versions 1 and 2. It may come from a newer IOMMU Visualizer.');
    expect(errorOf(decodeShareLink(`#v0.${good.slice(3)}`)).message).toBe('The link is version 0, but this app reads link versions 1 and 2.');
  });

  it('a character that is not base64url, by its position', () => {
    const bad = `${good.slice(0, 40)}%${good.slice(41)}`;
    const error = errorOf(decodeShareLink(bad));
    expect(error.kind).toBe('base64');
    expect(error.message).toContain(`at character 41 of ${bad.length.toLocaleString('en-US')}: "%" is not a base64url character`);
  });

  it('a link cut off anywhere is reported as cut off or damaged, never opened', () => {
    for (let keep = 4; keep < good.length; keep += 7) {
      const error = errorOf(decodeShareLink(good.slice(0, keep)));
      expect(['truncated', 'checksum', 'corrupt']).toContain(error.kind);
    }
    expect(errorOf(decodeShareLink(good.slice(0, Math.floor(good.length / 2)))).message).toMatch(/cut off/);
  });

  it('a changed character is caught by the checksum or the decompressor', () => {
    for (let at = 3; at < good.length; at += 11) {
      const swapped = good[at] === 'A' ? 'B' : 'A';
      const result = decodeShareLink(good.slice(0, at) + swapped + good.slice(at + 1));
      expect(result.ok).toBe(false);
    }
    const last = good.length - 2;
    expect(errorOf(decodeShareLink(good.slice(0, last) + (good[last] === 'A' ? 'B' : 'A') + good.slice(last + 1))).kind).toBe('checksum');
  });

  it('regression (found by fuzzing): a flipped BFINAL bit leaves the payload as it was, so a link opens identically or not at all', () => {
    let opened = 0;
    for (const b of builtinScenarios) {
      const link = encode(b.scenario);
      const decoded = decodeBase64url(link.slice(3));
      if (!decoded.ok) throw new Error('a made link must decode');
      const bytes = decoded.bytes.slice();
      bytes[0]! ^= 1;
      const result = decodeShareLink(`v2.${encodeBase64url(bytes)}`);
      if (result.ok) {
        opened++;
        expect(result).toEqual(decodeShareLink(link));
      } else expect(['truncated', 'corrupt', 'checksum']).toContain(result.error.kind);
    }
    // The fuzzer's counterexample was one of these: some do open (unchanged), which the CRC-32 allows.
    expect(opened).toBeGreaterThan(0);
  });

  it('a link longer than the limit is refused before decoding', () => {
    const error = errorOf(decodeShareLink(`v1.${'A'.repeat(MAX_LINK_CHARS)}`));
    expect(error.kind).toBe('too-long');
  });

  it.each([1, 2])('a version %i link that inflates past the limit is refused while inflating', (version) => {
    const bomb = linkOf(' '.repeat(20_000_000), { version });
    expect(bomb.length).toBeLessThan(MAX_LINK_CHARS);
    const error = errorOf(decodeShareLink(bomb));
    expect(error.kind).toBe('too-large');
    expect(error.message).toBe('The link was refused while decompressing: it expands past 1,052,672 bytes, the most a link may hold.');
  });

  it('invalid JSON inside, by line and column', () => {
    const error = errorOf(decodeShareLink(linkOf('{"s": {"format": "iommu-visualizer-scenario",\n "version": 1,, "title": "x"}}')));
    expect(error).toEqual({ kind: 'json', message: 'The link holds invalid JSON at line 2, column 15: expected a property name in double quotes, found ",".' });
  });

  it('text that is not UTF-8', () => {
    const link = `v2.${encodeBase64url(linkBodyOf(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])))}`;
    expect(errorOf(decodeShareLink(link))).toEqual({ kind: 'encoding', message: 'The link is damaged: what it holds is not UTF-8 text.' });
  });

  it('CRC-32 is the standard one (zlib and PNG agree on "hello")', () => {
    expect(crc32(new TextEncoder().encode('hello'))).toBe(0x3610_a686);
  });

  it('a payload without a scenario, or with a bad step', () => {
    expect(errorOf(decodeShareLink(linkOf('[1,2]'))).message).toBe('The link holds no scenario: its content is not a JSON object.');
    expect(errorOf(decodeShareLink(linkOf('{"n": 1}'))).message).toBe('The link holds no scenario (its "s" is missing).');
    expect(errorOf(decodeShareLink(linkOf(JSON.stringify({ s: SCENARIO, n: -1 })))).message).toBe('The link\'s step ("n") must be a whole number from 0 to 10,000.');
  });

  it('scenario problems with their paths', () => {
    const scenario = { ...SCENARIO, steps: [...SCENARIO.steps, { kind: 'pgtable.map', table: 'd', iova: 'nope', paddr: '0x1000', size: '0x1000', prot: 'rw' }] };
    const error = errorOf(decodeShareLink(linkOf(JSON.stringify({ s: scenario, n: 1 }))));
    expect(error.kind).toBe('scenario');
    expect(error.issues?.map((i) => i.path)).toContain('steps[1].iova');
    expect(error.message).toMatch(/^The link's scenario is not valid: steps\[1\]\.iova: must be a hex string/);
  });

  it('a scenario from a newer format version', () => {
    const error = errorOf(decodeShareLink(linkOf(JSON.stringify({ s: { ...SCENARIO, version: 99 }, n: 0 }))));
    expect(error.message).toContain('version: version 99 is newer than this app');
  });

  it('an unknown view is dropped with a warning; the scenario still opens', () => {
    const back = decodeShareLink(linkOf(JSON.stringify({ s: SCENARIO, n: 1, v: { tab: 'hologram', sid: -4 } })));
    expect(back.ok && back.view).toEqual({ tab: 'streams' });
    expect(back.ok && back.warnings).toEqual([
      'The link asks for a view "hologram" this app does not have; the stream table is shown.',
      'The link\'s selected StreamID is not a 32-bit whole number; no stream is selected.',
    ]);
  });
});

describe('base64url', () => {
  it('round-trips every length and refuses a dangling character', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n) & 0xff);
      const back = decodeBase64url(encodeBase64url(bytes));
      expect(back.ok && [...back.bytes]).toEqual([...bytes]);
    }
    expect(decodeBase64url('AAAAA')).toMatchObject({ ok: false, reason: 'cut-off', at: 5 });
    expect(Buffer.from(encodeBase64url(new TextEncoder().encode('share?>>')), 'base64url').toString()).toBe('share?>>');
  });
});
