/**
 * The share-link codec on hostile input: random text, valid links (version
 * 2 as made today, version 1 as pinned) with characters changed, inserted
 * or removed, cut off anywhere, bit flips in the compressed bytes, and huge
 * repeats. It must answer every one with a typed
 * result (never throw), and whatever it accepts must be a valid scenario.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalLessons } from '../../../src/lessons/index.ts';
import { builtinScenarios, parseScenario } from '../../../src/scenario/index.ts';
import { decodeBase64url, encodeBase64url } from '../../../src/share/base64url.ts';
import { type DecodeResult, decodeShareLink, encodeShareLink, LINK_TABS } from '../../../src/share/index.ts';
import { counted, reportRuns } from './runs.ts';

reportRuns('link codec');

const made = [...builtinScenarios, ...canonicalLessons()].map((b, i) => {
  const r = encodeShareLink({ scenario: b.scenario, step: i, view: { tab: LINK_TABS[i % LINK_TABS.length]!, stream: i } });
  if (!r.ok) throw new Error(r.message);
  return r.link;
});
// Version 1 links are only read now: the pinned ones stand for every v1 link out there.
const FIXTURES = join(import.meta.dirname, '../../fixtures/links');
const pinnedV1 = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(join(FIXTURES, f), 'utf8').trim().slice(1)).filter((l) => l.startsWith('v1.'));
const links = [...made, ...pinnedV1];

function wellFormed(result: DecodeResult): void {
  if (result.ok) {
    expect(parseScenario(result.scenario).ok).toBe(true);
    expect(Number.isInteger(result.step)).toBe(true);
  } else {
    expect(result.error.message.length).toBeGreaterThan(10);
    expect(typeof result.error.kind).toBe('string');
  }
}

const link = fc.constantFrom(...links);

// Bounded inputs keep each property to seconds; the generous timeout only catches a hang on a loaded machine.
const FUZZ_TIMEOUT = 90_000;

describe('decodeShareLink under fuzzing', () => {
  it('there are links of both versions to mutate', () => {
    expect(made.every((l) => l.startsWith('v2.'))).toBe(true);
    expect(pinnedV1.length).toBeGreaterThanOrEqual(5);
  });

  const prefix = fc.constantFrom('', 'v1.', 'v2.', 'v3.');

  it('random text, with and without a version prefix', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), prefix, counted('random text', (text: string, head: string) => wellFormed(decodeShareLink(head + text)))), { numRuns: 2_000 });
  }, FUZZ_TIMEOUT);

  it('random base64url bodies, for each version', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.constantFrom('v1.', 'v2.'), counted('random bytes as base64url', (bytes: Uint8Array, head: string) => wellFormed(decodeShareLink(head + encodeBase64url(bytes))))), { numRuns: 2_000 });
  }, FUZZ_TIMEOUT);

  it('valid links with characters replaced, inserted or deleted', () => {
    const edit = fc.tuple(fc.nat(), fc.constantFrom('replace', 'insert', 'delete'), fc.string({ minLength: 1, maxLength: 3 }));
    fc.assert(
      fc.property(link, fc.array(edit, { minLength: 1, maxLength: 4 }), counted('mutated valid links', (base: string, edits: [number, string, string][]) => {
        let text = base;
        for (const [n, op, s] of edits) {
          const at = n % (text.length + 1);
          text = op === 'insert' ? text.slice(0, at) + s + text.slice(at) : op === 'delete' ? text.slice(0, at) + text.slice(at + s.length) : text.slice(0, at) + s + text.slice(at + s.length);
        }
        wellFormed(decodeShareLink(text));
      })),
      { numRuns: 1_500 },
    );
  }, FUZZ_TIMEOUT);

  it('valid links cut off at any length', () => {
    fc.assert(
      fc.property(link, fc.nat(), counted('truncated links', (base: string, n: number) => {
        const cut = n % base.length;
        const result = decodeShareLink(base.slice(0, cut));
        wellFormed(result);
        // A cut link never opens as something else.
        expect(result.ok).toBe(false);
      })),
      { numRuns: 1_500 },
    );
  }, FUZZ_TIMEOUT);

  it('bit flips in the compressed bytes', () => {
    fc.assert(
      fc.property(link, fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), counted('bit flips', (base: string, flips: number[]) => {
        const decoded = decodeBase64url(base.slice(3));
        if (!decoded.ok) throw new Error('a made link must decode');
        const bytes = decoded.bytes.slice();
        for (const f of flips) bytes[(f >> 3) % bytes.length]! ^= 1 << (f & 7);
        const result = decodeShareLink(base.slice(0, 3) + encodeBase64url(bytes));
        wellFormed(result);
        // The CRC-32 catches every change of up to 3 bits in what the link holds. A flip that leaves the
        // inflated payload as it was (the BFINAL bit, say) may open, but only to exactly the same view.
        if (result.ok) expect(result).toEqual(decodeShareLink(base));
      })),
      { numRuns: 1_500 },
    );
  }, FUZZ_TIMEOUT);

  it('huge repeats are refused by length or while inflating, quickly', () => {
    fc.assert(
      fc.property(fc.constantFrom('A', 'AAAA', '_-', 'v1.', 'v2.', links[0]!, pinnedV1[0]!), fc.constantFrom('v1.', 'v2.'), fc.integer({ min: 1_000, max: 400_000 }), counted('huge repeats', (unit: string, head: string, length: number) => {
        const result = decodeShareLink(head + unit.repeat(Math.ceil(length / unit.length)));
        wellFormed(result);
        expect(result.ok).toBe(false);
      })),
      { numRuns: 60 },
    );
  }, FUZZ_TIMEOUT);
});
