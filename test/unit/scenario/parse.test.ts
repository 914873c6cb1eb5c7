/**
 * Bad scenarios are refused with a path into the file and a message that
 * says what is wrong; good ones come back unchanged.
 */
import { describe, expect, it } from 'vitest';
import { MAX_STEPS, parseScenario, parseScenarioText, type ScenarioIssue } from '../../../src/scenario/index.ts';

const HEADER = { format: 'iommu-visualizer-scenario', version: 1, title: 'test' } as const;
const CREATE = { kind: 'pgtable.create', name: 'dev0', TG0: 0, T0SZ: 16 };
const MAP = { kind: 'pgtable.map', table: 'dev0', iova: '0x1000', paddr: '0x8_8000_0000', size: '0x1000', prot: 'rw' };
const WALK = { kind: 'walk', table: 'dev0', address: '0x1234', access: 'read' };

function errorsOf(input: unknown): ScenarioIssue[] {
  const r = parseScenario(input);
  if (r.ok) throw new Error('expected the scenario to be refused');
  return r.errors;
}

/** The single issue at `path`. */
function issueAt(input: unknown, path: string): string {
  const at = errorsOf(input).filter((e) => e.path === path);
  expect(at, `issues at ${path}`).toHaveLength(1);
  return (at[0] as ScenarioIssue).message;
}

const withSteps = (...steps: unknown[]) => ({ ...HEADER, steps });

describe('parseScenario accepts', () => {
  it('a minimal scenario and every step kind, keeping the file as written', () => {
    const doc = withSteps(
      { ...CREATE, IPS: 5, TTB0: '0x4000_0000', EPD0: false, AFFD: true, TBI: 1, HAD0: true, note: 'make a table' },
      MAP,
      { ...MAP, iova: '0x2000', prot: { read: true, priv: true } },
      { kind: 'pgtable.unmap', table: 'dev0', iova: '0x1000', size: '0x1000' },
      { ...WALK, privileged: false },
      { kind: 'memory.write', address: '0x8_8000_0000', value: '0xff', size: 1 },
    );
    const r = parseScenario(doc);
    expect(r.ok ? r.scenario : r.errors).toEqual(doc);
  });

  it('an empty step list and a table-memory configuration', () => {
    const doc = { ...HEADER, config: { tableMemory: { base: '0x8000_0000', size: '0x10_0000' } }, steps: [] };
    expect(parseScenario(doc).ok).toBe(true);
  });
});

describe('parseScenario refuses', () => {
  it('a value of the wrong type', () => {
    expect(issueAt(withSteps({ ...CREATE, T0SZ: '16' }), 'steps[0].T0SZ')).toBe(
      'must be a whole number from 16 to 39 (the input size 64 - T0SZ is 25 to 48 bits), got "16"',
    );
    expect(issueAt(withSteps(CREATE, { ...WALK, privileged: 'yes' }), 'steps[1].privileged')).toBe('must be true or false (got "yes")');
    expect(issueAt({ ...HEADER, steps: {} }, 'steps')).toBe('must be an array of steps (got {})');
  });

  it('a number where a hex string belongs, and bad hex', () => {
    expect(issueAt(withSteps(CREATE, { ...MAP, iova: 4096 }), 'steps[1].iova')).toBe('must be a hex string like "0x1000" (got 4096)');
    expect(issueAt(withSteps(CREATE, { ...MAP, paddr: '0x12g4' }), 'steps[1].paddr')).toMatch(/^must be a hex string like "0x1000".*\(got "0x12g4"\)$/);
    expect(issueAt(withSteps(CREATE, { ...MAP, size: '4096' }), 'steps[1].size')).toMatch(/^must be a hex string like "0x1000"/);
    // 17 digits do not fit in 64 bits.
    expect(issueAt(withSteps(CREATE, { ...WALK, address: '0x1_0000_0000_0000_0000' }), 'steps[1].address')).toContain('at most 16 hex digits');
  });

  it('out-of-range CD fields', () => {
    expect(issueAt(withSteps({ ...CREATE, T0SZ: 40 }), 'steps[0].T0SZ')).toContain('from 16 to 39');
    expect(issueAt(withSteps({ ...CREATE, T0SZ: 15 }), 'steps[0].T0SZ')).toContain('got 15');
    expect(issueAt(withSteps({ ...CREATE, TG0: 3 }), 'steps[0].TG0')).toBe('must be a whole number from 0 to 2 (0 = 4KB, 1 = 64KB, 2 = 16KB), got 3');
    expect(issueAt(withSteps({ ...CREATE, IPS: 7 }), 'steps[0].IPS')).toContain('from 0 to 6');
    expect(issueAt(withSteps({ kind: 'memory.write', address: '0x0', value: '0x0', size: 3 }), 'steps[0].size')).toBe('must be 1, 2, 4 or 8 bytes (got 3)');
  });

  it('an unknown step kind, or none', () => {
    expect(issueAt(withSteps({ kind: 'dma.read' }), 'steps[0].kind')).toBe(
      'unknown step kind "dma.read"; expected one of "memory.write", "pgtable.create", "pgtable.map", "pgtable.unmap", "walk", ' +
        '"smmu.probe", "smmu.writeRegister", "smmu.writeSte", "smmu.updateSte", "smmu.writeCd", "smmu.updateCd", "smmu.commands", "smmu.dma", "smmu.dmaBurst", ' +
        '"linux.boot", "linux.call", "linux.dma", ' +
        '"vtd.probe", "vtd.writeRegister", "vtd.clearFault", "vtd.writeContext", "vtd.writePasidEntry", "vtd.createPgtable", "vtd.map", "vtd.unmap", "vtd.invalidate", "vtd.dma"',
    );
    expect(issueAt(withSteps({ table: 'dev0' }), 'steps[0].kind')).toMatch(/^is required: every step has a kind/);
  });

  it('an unknown field, suggesting the one meant', () => {
    const { T0SZ: _, ...noT0SZ } = CREATE;
    const errors = errorsOf(withSteps({ ...noT0SZ, TOSZ: 16 }));
    expect(errors).toContainEqual({ path: 'steps[0].TOSZ', message: 'is not a field of a "pgtable.create" step; did you mean "T0SZ"?' });
    expect(errors).toContainEqual({ path: 'steps[0].T0SZ', message: 'is required' });
    expect(issueAt(withSteps(CREATE, { ...MAP, prot: { read: true, all: true } }), 'steps[1].prot.all')).toBe(
      'is not a field of prot; its fields are read, write, exec, priv',
    );
    // A slip of a letter or two, or an abbreviation, still finds the field.
    expect(issueAt(withSteps(CREATE, { ...MAP, prot: { read: true, exe: true } }), 'steps[1].prot.exe')).toBe('is not a field of prot; did you mean "exec"?');
    expect(issueAt(withSteps({ ...CREATE, AFD: true }), 'steps[0].AFD')).toBe('is not a field of a "pgtable.create" step; did you mean "AFFD"?');
  });

  it('a table name that no earlier step created', () => {
    expect(issueAt(withSteps(CREATE, MAP, MAP, WALK, { ...WALK, table: 'dev1' }), 'steps[4].table')).toBe(
      'no page table named "dev1" was created before this step',
    );
    expect(issueAt(withSteps(WALK, CREATE), 'steps[0].table')).toBe('no page table named "dev0" was created before this step (it is created later, at steps[1])');
    expect(issueAt(withSteps(CREATE, CREATE), 'steps[1].name')).toBe('a page table named "dev0" was already created at steps[0]');
  });

  it('names, notes and prot strings that break the rules', () => {
    expect(issueAt(withSteps({ ...CREATE, name: 'x'.repeat(65) }), 'steps[0].name')).toContain('1 to 64');
    expect(issueAt(withSteps({ ...CREATE, name: 'my table' }), 'steps[0].name')).toContain('(got "my table")');
    expect(issueAt(withSteps({ ...CREATE, note: 'n'.repeat(2001) }), 'steps[0].note')).toBe('must be at most 2000 characters (got 2001)');
    expect(issueAt(withSteps(CREATE, { ...MAP, prot: 'rwr' }), 'steps[1].prot')).toContain('each at most once');
    expect(issueAt(withSteps(CREATE, { ...MAP, prot: 'rwz' }), 'steps[1].prot')).toContain('(got "rwz")');
  });

  it('values that do not fit, empty ranges and misplaced table memory', () => {
    expect(issueAt(withSteps({ kind: 'memory.write', address: '0x0', value: '0x1_0000', size: 2 }), 'steps[0].value')).toBe('does not fit in 2 bytes (size is 2)');
    expect(issueAt(withSteps(CREATE, { ...MAP, size: '0x0' }), 'steps[1].size')).toBe('must not be 0');
    expect(issueAt(withSteps(CREATE, { ...MAP, iova: '0xffff_ffff_ffff_f000', size: '0x2000' }), 'steps[1].size')).toContain('past the top');
    expect(issueAt({ ...HEADER, config: { tableMemory: { base: '0x4000_1000', size: '0x1000' } }, steps: [] }, 'config.tableMemory.base')).toBe(
      'must be aligned to 64KB (0x1_0000)',
    );
  });

  it(`more than ${MAX_STEPS} steps, with one message`, () => {
    const steps = [CREATE, ...Array.from({ length: MAX_STEPS }, () => WALK)];
    expect(errorsOf(withSteps(...steps))).toEqual([{ path: 'steps', message: 'has 10,001 steps; a scenario may have at most 10,000' }]);
    expect(parseScenario(withSteps(...steps.slice(0, MAX_STEPS))).ok).toBe(true);
  });

  it('something that is not a scenario, or a version it does not know', () => {
    expect(errorsOf([])).toEqual([{ path: '', message: 'a scenario must be a JSON object with "format": "iommu-visualizer-scenario" (got an array)' }]);
    expect(issueAt({ ...HEADER, format: 'other' }, 'format')).toContain('this is not an IOMMU Visualizer scenario');
    expect(issueAt({ ...HEADER, version: 2, steps: [] }, 'version')).toBe(
      'version 2 is newer than this app, which reads scenario format version 1; open it in a newer IOMMU Visualizer',
    );
    const { version: _, ...noVersion } = HEADER;
    expect(issueAt({ ...noVersion, steps: [] }, 'version')).toBe('is required: this app reads scenario format version 1');
  });

  it('reports every problem at once, in file order', () => {
    const errors = errorsOf(withSteps({ ...WALK, access: 'fetch' }, { ...CREATE, TG0: 9 }, { kind: 'nope' }));
    expect(errors.map((e) => e.path)).toEqual(['steps[0].access', 'steps[0].table', 'steps[1].TG0', 'steps[2].kind']);
  });
});

describe('parseScenarioText', () => {
  it('reports a JSON syntax error with its line and column', () => {
    const text = '{\n  "format": "iommu-visualizer-scenario",\n  "steps": [1, 2,]\n}';
    expect(parseScenarioText(text)).toEqual({
      ok: false,
      errors: [{ path: '', message: 'invalid JSON at line 3, column 18: a "," before "]" is not allowed in JSON (trailing comma)' }],
    });
    expect(parseScenarioText('{"title": "x" "steps": []}')).toMatchObject({ ok: false, errors: [{ path: '', message: 'invalid JSON at line 1, column 15: expected "," or "}", found "\\""' }] });
    expect(parseScenarioText('')).toMatchObject({ ok: false, errors: [{ message: 'the file is empty: expected a JSON scenario object' }] });
  });

  it('validates what parses, and ignores a byte-order mark', () => {
    const text = `\uFEFF${JSON.stringify(withSteps(CREATE, { ...MAP, iova: 1 }))}`;
    expect(parseScenarioText(text)).toMatchObject({ ok: false, errors: [{ path: 'steps[1].iova' }] });
  });
});
