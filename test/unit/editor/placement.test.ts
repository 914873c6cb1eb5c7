import { describe, expect, it } from 'vitest';
import { argRole, LINUX_CALL_TABLE, parseScenario, STEP_KINDS } from '../../../src/scenario/index.ts';
import { formatPath } from '../../../src/scenario/issues.ts';
import { blankScenario, insertStep, setAt, stepsOf, type Draft } from '../../../src/ui/editor/draft.ts';
import { formPaths, parsePath, placeIssues } from '../../../src/ui/editor/issuePlacement.ts';
import { stepFields } from '../../../src/ui/editor/schemaFields.ts';
import { defaultStep } from '../../../src/ui/editor/stepDefaults.ts';

const VSTE_CALL = Object.keys(LINUX_CALL_TABLE).find((call) => argRole(call, 'vste') === 'ste-fields') ?? 'none';

/** Adds a default step of each kind in turn, as the editor's "Add step" does. */
function build(kinds: readonly string[]): Draft {
  let draft = blankScenario();
  for (const kind of kinds) draft = insertStep(draft, stepsOf(draft).length, defaultStep(kind, draft, stepsOf(draft).length));
  return draft;
}

function placed(draft: Draft) {
  const parsed = parseScenario(draft);
  expect(parsed.ok).toBe(false);
  return placeIssues(parsed.ok ? [] : parsed.errors, formPaths(draft));
}

describe('issue paths to form fields', () => {
  it('reads back every path formatPath writes', () => {
    for (const path of [['steps', 3, 'iova'], ['steps', 0, 'args', 'a b'], ['config', 'tableMemory', 'base'], ['steps', 12, 'commands', 1, 'StreamID']]) {
      expect(parsePath(formatPath(path))).toEqual(path);
    }
    expect(parsePath('')).toEqual([]);
  });

  it('a default pgtable.create, pgtable.map and walk make a valid scenario', () => {
    const parsed = parseScenario(build(['pgtable.create', 'pgtable.map', 'walk']));
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  });

  it('puts a bad hex value next to its input, an unknown field next to its row, a too-wide STE field next to the field', () => {
    let draft = build(['pgtable.create', 'pgtable.map', 'walk', 'smmu.probe', 'smmu.writeSte']);
    draft = setAt(draft, ['steps', 1, 'iova'], '0x12g4');
    draft = setAt(draft, ['steps', 0, 'TOSZ'], 16);
    draft = setAt(draft, ['steps', 4, 'fields', 'S1CDMax'], 40);
    const map = placed(draft);
    expect(map.get('steps[1].iova')?.[0]?.message).toMatch(/must be a hex string like "0x1000"/);
    expect(map.get('steps[0].TOSZ')?.[0]?.message).toMatch(/did you mean "T0SZ"/);
    expect(map.get('steps[4].fields.S1CDMax')?.[0]?.message).toMatch(/does not fit in 5 bits \[63:59\]/);
    expect(map.get('')).toBeUndefined();
  });

  it('puts a name that no earlier step made next to the field that names it', () => {
    const draft = setAt(build(['pgtable.create', 'walk']), ['steps', 1, 'table'], 'nope');
    const map = placed(draft);
    expect(map.get('steps[1].table')?.[0]?.message).toMatch(/nope/);
  });

  it('places a missing call argument, an unknown command and a stage-2 field in a stage-1 table', () => {
    let draft = build(['linux.boot', 'linux.call', 'smmu.commands', 'pgtable.create']);
    draft = setAt(draft, ['steps', 1, 'args', 'dev'], undefined);
    draft = setAt(draft, ['steps', 2, 'commands', 0, 'op'], 'CMD_SYNK');
    draft = setAt(draft, ['steps', 3, 'S2TG'], 0);
    const map = placed(draft);
    expect(map.get('steps[1].args.dev')?.[0]?.message).toMatch(/is required: iommu_paging_domain_alloc\(dev, name\)/);
    expect(map.get('steps[2].commands[0].op')?.[0]?.message).toMatch(/did you mean "CMD_SYNC"/);
    expect(map.get('steps[3].S2TG')?.[0]?.message).toMatch(/stage-2 \(STE\) field/);
  });

  it('sends an issue with no input of its own to the nearest field above it, or the summary', () => {
    const shown = new Set(['steps[2]', 'steps[2].prot']);
    const map = placeIssues([
      { path: 'steps[2].prot.reed', message: 'x' },
      { path: 'steps[2].nothing.deep', message: 'y' },
      { path: 'version', message: 'z' },
    ], shown);
    expect(map.get('steps[2].prot')?.map((i) => i.message)).toEqual(['x']);
    expect(map.get('steps[2]')?.map((i) => i.message)).toEqual(['y']);
    expect(map.get('')?.map((i) => i.message)).toEqual(['z']);
  });
});

describe('the form read off the schema', () => {
  it('has a form for every step kind, and a new step of each kind holds only fields the kind has', () => {
    for (const kind of STEP_KINDS) {
      const step = defaultStep(kind, blankScenario(), 0);
      const fields = stepFields(step);
      expect(fields, kind).toBeDefined();
      const declared = new Set(['kind', ...(fields ?? []).map((d) => d.key)]);
      for (const key of Object.keys(step)) expect(declared.has(key), `${kind}.${key}`).toBe(true);
      for (const d of fields ?? []) if (!d.optional) expect(step[d.key], `${kind}.${d.key}`).not.toBeUndefined();
    }
  });

  it('reads hex, ranges, choices and the STE field table from the schemas', () => {
    const create = stepFields({ kind: 'pgtable.create' }) ?? [];
    expect(create.find((d) => d.key === 'T0SZ')?.control).toEqual({ kind: 'int', min: 16, max: 39 });
    expect(create.find((d) => d.key === 'TTB0')?.control.kind).toBe('hex');
    expect(stepFields({ kind: 'pgtable.create', stage: 2 })?.map((d) => d.key)).toContain('S2SL0');
    expect(stepFields({ kind: 'walk' })?.find((d) => d.key === 'access')?.control).toEqual({ kind: 'choice', options: ['read', 'write', 'exec'] });
    const ste = stepFields({ kind: 'smmu.writeSte' })?.find((d) => d.key === 'fields')?.control;
    expect(ste?.kind === 'entry' && ste.specs.find((f) => f.name === 'S1ContextPtr')).toMatchObject({ msb: 51, lsb: 6, kind: 'address' });
    const args = stepFields({ kind: 'linux.call', call: 'iommu_attach_group' })?.find((d) => d.key === 'args')?.control;
    expect(args?.kind === 'object' && args.fields.map((d) => [d.key, d.control.kind])).toEqual([['domain', 'name'], ['group', 'scalar']]);
    // A guest's vSTE is an STE too, field by field from the same table.
    const vste = stepFields({ kind: 'linux.call', call: VSTE_CALL })?.find((d) => d.key === 'args')?.control;
    expect(vste?.kind === 'object' && vste.fields.find((d) => d.key === 'vste')?.control.kind).toBe('entry');
  });
});
