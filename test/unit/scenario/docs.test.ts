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
    // pgtable.create is itself a choice between a stage-1 and a stage-2 table.
    type Option = { properties?: { kind: { const: string }; stage?: { const: number } }; oneOf?: Option[] };
    const steps = (committed.properties as Record<string, { items: { oneOf: Option[] } }>).steps;
    const kinds = (steps?.items.oneOf ?? []).map((o) => {
      const consts = new Set((o.oneOf ?? [o]).map((inner) => inner.properties?.kind.const));
      expect(consts.size).toBe(1);
      return [...consts][0];
    });
    expect(kinds).toEqual(STEP_KINDS);
    const create = steps?.items.oneOf[STEP_KINDS.indexOf('pgtable.create')]?.oneOf?.map((o) => o.properties?.stage?.const);
    expect(create).toEqual([1, 2]);
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

  it('shows the last line of smmu-stage1-dma as the runner prints it', () => {
    const shown = /\$ npm run -s scenario -- src\/scenario\/builtin\/smmu-stage1-dma\.json \| tail -1\n([^`]*)```/.exec(markdown)?.[1];
    const scenario = builtinScenarios.find((b) => b.id === 'smmu-stage1-dma')?.scenario;
    expect(shown && scenario).toBeTruthy();
    const last = [...runScenario(scenario as NonNullable<typeof scenario>)].at(-1);
    expect(`${toJsonLine(last)}\n`).toBe(shown);
  });

  it('shows the fourth line of linux-claim-dma-owner as the runner prints it', () => {
    const shown = /\$ npm run -s scenario -- src\/scenario\/builtin\/linux-claim-dma-owner\.json \| sed -n 4p\n([^`]*)```/.exec(markdown)?.[1];
    const scenario = builtinScenarios.find((b) => b.id === 'linux-claim-dma-owner')?.scenario;
    expect(shown && scenario).toBeTruthy();
    const fourth = [...runScenario(scenario as NonNullable<typeof scenario>)][3];
    expect(`${toJsonLine(fourth)}\n`).toBe(shown);
  });

  it('has a section for every step kind', () => {
    for (const kind of STEP_KINDS) expect(markdown).toContain(`### \`${kind}\``);
  });
});
