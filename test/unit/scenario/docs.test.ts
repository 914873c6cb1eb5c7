/**
 * The docs stay true: docs/scenario.schema.json is the zod schema's JSON
 * Schema (regenerate it with `npm run -s scenario -- --schema`), and the
 * example in docs/scenario-format.md gives the output printed there.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinScenarios, parseScenarioText, runScenario, scenarioJsonSchema, STEP_KINDS, toJsonLine } from '../../../src/scenario/index.ts';

const committed = JSON.parse(readFileSync(new URL('../../../docs/scenario.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('docs/scenario.schema.json', () => {
  it('equals the schema generated from the zod schema (run `npm run -s scenario -- --schema > docs/scenario.schema.json` after a change)', () => {
    expect(committed).toEqual(scenarioJsonSchema());
  });

  it('describes every step kind', () => {
    const steps = (committed.properties as Record<string, { items: { oneOf: { properties: { kind: { const: string } } }[] } }>).steps;
    expect(steps?.items.oneOf.map((o) => o.properties.kind.const)).toEqual(STEP_KINDS);
  });

  it('carries the hex pattern, which every hex field of the built-ins matches', () => {
    type Node = { properties: Record<string, Node>; pattern: string };
    const base = (committed as unknown as Node).properties.config?.properties.tableMemory?.properties.base;
    const pattern = new RegExp(base?.pattern ?? '(?!)');
    const hexValues = builtinScenarios.flatMap(({ scenario }) =>
      scenario.steps.flatMap((s) => Object.entries(s).filter(([k]) => ['iova', 'paddr', 'size', 'address'].includes(k)).map(([, v]) => v)),
    );
    expect(hexValues.length).toBeGreaterThan(10);
    for (const v of hexValues) expect(v).toMatch(pattern);
    expect('4096').not.toMatch(pattern);
  });
});

describe('docs/scenario-format.md', () => {
  const markdown = readFileSync(new URL('../../../docs/scenario-format.md', import.meta.url), 'utf8');

  it('shows an example whose output is what the runner prints', () => {
    const example = /## An example\n\n```json\n([^`]*)```/.exec(markdown)?.[1];
    const shown = /\$ npm run -s scenario -- read-only\.json\n([^`]*)```/.exec(markdown)?.[1];
    expect(example && shown).toBeTruthy();
    const parsed = parseScenarioText(example ?? '');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const printed = [...runScenario(parsed.scenario)].map((r) => `${toJsonLine(r)}\n`).join('');
    expect(printed).toBe(shown);
  });

  it('has a section for every step kind', () => {
    for (const kind of STEP_KINDS) expect(markdown).toContain(`### \`${kind}\``);
  });
});
