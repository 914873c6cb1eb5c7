/**
 * Properties over generated input: validation never throws whatever JSON it
 * is given, the hex rule is exactly parseU64's, and the JSON syntax scanner
 * agrees with JSON.parse on what is valid.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseU64 } from '../../../src/engine/index.ts';
import { HEX_PATTERN } from '../../../src/scenario/fields.ts';
import { builtinScenarios, parseScenario, parseScenarioText, scenarioToCommands } from '../../../src/scenario/index.ts';
import { findJsonSyntaxError } from '../../../src/scenario/jsonSyntax.ts';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function acceptedByParseU64(text: string): boolean {
  try {
    parseU64(text);
    return true;
  } catch {
    return false;
  }
}

/** A copy of `doc` with the value at a generated path replaced. */
function mutate(doc: unknown, choices: readonly number[], replacement: unknown): unknown {
  if (choices.length === 0 || doc === null || typeof doc !== 'object') return replacement;
  const [choice, ...rest] = choices as [number, ...number[]];
  if (Array.isArray(doc)) {
    if (doc.length === 0) return replacement;
    const i = choice % doc.length;
    return doc.map((v, k) => (k === i ? mutate(v, rest, replacement) : v));
  }
  const keys = Object.keys(doc);
  if (keys.length === 0) return replacement;
  const key = keys[choice % keys.length] as string;
  return { ...doc, [key]: mutate((doc as Record<string, unknown>)[key], rest, replacement) };
}

const isIssueList = (errors: unknown) =>
  Array.isArray(errors) && errors.length > 0 && errors.every((e) => typeof e.path === 'string' && typeof e.message === 'string' && e.message !== '');

describe('parseScenario on generated input', () => {
  it('never throws on arbitrary JSON values, and a refusal always names something', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const r = parseScenario(value);
        expect(r.ok || isIssueList(r.errors)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws when one part of a real scenario is replaced by arbitrary JSON, and what it accepts converts to commands', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...builtinScenarios.map((b) => b.scenario)),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.jsonValue({ maxDepth: 3 }),
        (scenario, choices, replacement) => {
          const r = parseScenario(mutate(JSON.parse(JSON.stringify(scenario)), choices, replacement));
          if (r.ok) expect(scenarioToCommands(r.scenario)).toHaveLength(r.scenario.steps.length);
          else expect(isIssueList(r.errors)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reads back every built-in from its own JSON unchanged', () => {
    for (const { scenario } of builtinScenarios) {
      expect(parseScenarioText(JSON.stringify(scenario, null, 2))).toEqual({ ok: true, scenario });
    }
  });
});

describe('the hex rule', () => {
  const hexish = fc.string({ unit: fc.constantFrom('0', 'x', 'X', '_', ' ', '\t', 'f', 'A', '9', 'g', '-'), maxLength: 24 });
  const likely = fc
    .tuple(fc.constantFrom('', ' ', '_'), fc.constantFrom('0x', '0_x', 'x', '0X'), fc.string({ unit: fc.constantFrom('1', 'a', 'F', '_'), maxLength: 20 }))
    .map(([pre, prefix, digits]) => `${pre}${prefix}${digits}`);

  it('accepts exactly the strings parseU64 accepts', () => {
    fc.assert(
      fc.property(fc.oneof(hexish, likely, fc.string()), (text) => {
        expect(HEX_PATTERN.test(text)).toBe(acceptedByParseU64(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the JSON syntax scanner', () => {
  it('finds no error in valid JSON, however it is laid out', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
        expect(findJsonSyntaxError(JSON.stringify(value, null, indent))).toBeUndefined();
      }),
    );
  });

  it('finds an error exactly when JSON.parse fails, after a random edit', () => {
    const edited = fc
      .tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', '\\', 'x', '\n', '1', '-', '{', '['))
      .map(([value, at, insert]) => {
        const text = JSON.stringify(value, null, 1) ?? 'null';
        const i = at % (text.length + 1);
        // Replace one character (or insert at the end).
        return text.slice(0, i) + insert + text.slice(i + 1);
      });
    fc.assert(
      fc.property(fc.oneof(edited, fc.string({ maxLength: 12 })), (text) => {
        const error = findJsonSyntaxError(text);
        expect(error === undefined).toBe(parses(text));
        if (error) {
          expect(error.line).toBeGreaterThanOrEqual(1);
          expect(error.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
