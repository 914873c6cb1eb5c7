/**
 * Every parser of untrusted text or JSON on random and mutated input: the
 * scenario validator (random JSON, built-ins with parts replaced, removed or
 * duplicated), the migrations, the JSON syntax reporter and the STE/CD word
 * parser. None may throw or hang; sizes are bounded so each run is short.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEntryWords } from '../../../src/engine/hw/smmu/decoder.ts';
import { builtinScenarios, migrateToCurrent, parseScenario, parseScenarioText } from '../../../src/scenario/index.ts';
import { findJsonSyntaxError } from '../../../src/scenario/jsonSyntax.ts';
import { counted, reportRuns } from './runs.ts';

reportRuns('parsers');

const issueList = (errors: readonly { path: string; message: string }[]) => errors.length > 0 && errors.every((e) => typeof e.path === 'string' && e.message.length > 0);

/** A copy of `doc` with the node at a generated path replaced, removed, or doubled. */
function mutate(doc: unknown, choices: readonly number[], op: 'replace' | 'remove' | 'double', replacement: unknown): unknown {
  if (doc === null || typeof doc !== 'object') return op === 'replace' ? replacement : doc;
  const [choice = 0, ...rest] = choices;
  if (Array.isArray(doc)) {
    if (doc.length === 0) return op === 'replace' ? replacement : doc;
    const i = choice % doc.length;
    if (rest.length === 0 && op === 'remove') return doc.filter((_, k) => k !== i);
    if (rest.length === 0 && op === 'double') return [...doc.slice(0, i + 1), doc[i], ...doc.slice(i + 1)];
    return doc.map((v, k) => (k === i ? mutate(v, rest, op, replacement) : v));
  }
  const keys = Object.keys(doc);
  if (keys.length === 0) return op === 'replace' ? replacement : doc;
  const key = keys[choice % keys.length] as string;
  const record = doc as Record<string, unknown>;
  if (rest.length === 0 && op === 'remove') return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
  if (rest.length === 0 && op === 'double') return { ...record, [`${key}2`]: record[key] };
  return { ...record, [key]: mutate(record[key], rest, op, replacement) };
}

// Bounded inputs keep each property to seconds; the generous timeout only catches a hang on a loaded machine.
const FUZZ_TIMEOUT = 90_000;

const builtin = fc.constantFrom(...builtinScenarios.map((b) => b.scenario));
const odd = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('0x1_0000_0000_0000_0000', '0xffff_ffff_ffff_ffff', -1, 1e308, '', '<img src=x onerror=alert(1)>', 'x'.repeat(5000), null));

describe('the scenario validator', () => {
  it('random JSON values', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), counted('parseScenario: random JSON', (value: unknown) => {
      const r = parseScenario(value);
      expect(r.ok || issueList(r.errors)).toBe(true);
    })), { numRuns: 1_500 });
  }, FUZZ_TIMEOUT);

  it('built-ins with a part replaced, removed or doubled', () => {
    fc.assert(
      fc.property(builtin, fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.constantFrom('replace', 'remove', 'double') as fc.Arbitrary<'replace' | 'remove' | 'double'>, odd, counted('parseScenario: mutated built-ins', (doc: unknown, path: number[], op: 'replace' | 'remove' | 'double', value: unknown) => {
        const r = parseScenario(mutate(doc, path, op, value));
        expect(r.ok || issueList(r.errors)).toBe(true);
      })),
      { numRuns: 1_500 },
    );
  }, FUZZ_TIMEOUT);

  it('random and damaged text', () => {
    const damaged = fc.tuple(builtin, fc.nat(), fc.nat()).map(([doc, a, b]) => {
      const text = JSON.stringify(doc, null, 1);
      return text.slice(0, a % text.length) + text.slice((a % text.length) + (b % 7));
    });
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 500 }), damaged), counted('parseScenarioText: random and damaged text', (text: string) => {
      const r = parseScenarioText(text);
      expect(r.ok || issueList(r.errors)).toBe(true);
    })), { numRuns: 1_500 });
  }, FUZZ_TIMEOUT);
});

describe('the migrations', () => {
  it('any value, and scenario-like objects of any version', () => {
    const versioned = fc.record({ format: fc.constantFrom('iommu-visualizer-scenario', 'other', undefined), version: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(undefined)) }, { requiredKeys: [] });
    fc.assert(fc.property(fc.oneof(fc.jsonValue({ maxDepth: 3 }), versioned), counted('migrateToCurrent', (value: unknown) => {
      const r = migrateToCurrent(value);
      expect(r.ok || issueList(r.errors)).toBe(true);
    })), { numRuns: 1_500 });
  }, FUZZ_TIMEOUT);
});

describe('the JSON syntax reporter', () => {
  it('random text and deep nesting', () => {
    const nested = fc.tuple(fc.constantFrom('[', '{"a":', '[{"b":['), fc.integer({ min: 1, max: 5_000 })).map(([open, n]) => open.repeat(n));
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 500 }), nested), counted('findJsonSyntaxError', (text: string) => {
      const found = findJsonSyntaxError(text);
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      expect(found === undefined).toBe(parses);
      if (found) expect(found.line >= 1 && found.column >= 1).toBe(true);
    })), { numRuns: 1_500 });
  }, FUZZ_TIMEOUT);
});

describe('the STE/CD word parser', () => {
  it('random text and word-like tokens', () => {
    const token = fc.oneof(fc.stringMatching(/^(0x)?[0-9a-fA-F_]{1,20}$/), fc.string({ maxLength: 6 }));
    const words = fc.tuple(fc.array(token, { minLength: 6, maxLength: 18 }), fc.constantFrom(' ', ',', '\n', ': ', '\t')).map(([t, sep]) => t.join(sep));
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 400 }), words), counted('parseEntryWords', (text: string) => {
      const r = parseEntryWords(text);
      if (r.ok) {
        expect(r.words).toHaveLength(8);
        expect(r.words.every((w) => w >= 0n && w < 1n << 64n)).toBe(true);
      } else expect(r.message.length).toBeGreaterThan(0);
    })), { numRuns: 2_000 });
  }, FUZZ_TIMEOUT);
});
