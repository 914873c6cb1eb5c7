/**
 * Validation of the SMMUv3 step kinds and the stage-2 pgtable.create: good
 * steps come back unchanged; bad ones are refused with a path and a message
 * naming what is wrong, and field widths agree with the engine's encoder.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CD_FIELDS } from '../../../src/engine/hw/smmu/cd-fields.ts';
import { COMMANDS } from '../../../src/engine/hw/smmu/command.ts';
import { encodeFields } from '../../../src/engine/hw/smmu/fields.ts';
import { STE_FIELDS } from '../../../src/engine/hw/smmu/ste-fields.ts';
import { parseScenario, type ScenarioIssue } from '../../../src/scenario/index.ts';

const HEADER = { format: 'iommu-visualizer-scenario', version: 1, title: 'smmu' } as const;
const PROBE = { kind: 'smmu.probe', preset: 'full', streamTable: 'linear' };
const withSteps = (...steps: unknown[]) => ({ ...HEADER, steps });

function errorsOf(input: unknown): ScenarioIssue[] {
  const r = parseScenario(input);
  if (r.ok) throw new Error('expected the scenario to be refused');
  return r.errors;
}

function issueAt(input: unknown, path: string): string {
  const at = errorsOf(input).filter((e) => e.path === path);
  expect(at, `issues at ${path}: ${JSON.stringify(errorsOf(input))}`).toHaveLength(1);
  return (at[0] as ScenarioIssue).message;
}

describe('SMMU steps that are right', () => {
  it('parse and come back exactly as written', () => {
    const doc = withSteps(
      { ...PROBE, log2size: 6, cmdqLog2: 5, evtqLog2: 5, features: { ssidBits: 8, oasBits: 44, granules: { g64k: false } }, note: 'probe' },
      { kind: 'smmu.writeRegister', register: 'GBPA', value: '0x0010_0000' },
      { kind: 'smmu.writeSte', sid: 3, fields: { V: 1, Config: '0x5', S1ContextPtr: '0x9000_0040', S1CDMax: 31 } },
      { kind: 'smmu.updateSte', sid: 3, fields: { V: 1, Config: 4, SHCFG: 1 } },
      { kind: 'smmu.writeCd', sid: 3, ssid: 1, fields: { V: 1, ASID: 0xffff, TTB0: '0x4000_6000', MAIR0: '0xf404_ff44' } },
      { kind: 'smmu.updateCd', sid: 3, ssid: 1, fields: { V: 0 } },
      { kind: 'smmu.commands', commands: [{ op: 'CMD_CFGI_CD', StreamID: 3, SubstreamID: 1, Leaf: 1 }, { op: 'CMD_CFGI_ALL' }, { op: 'CMD_SYNC', CS: 0 }] },
      { kind: 'smmu.dma', sid: 3, ssid: 1, address: '0x1000', access: 'exec', privileged: false },
      { kind: 'pgtable.create', name: 'vm0', stage: 2, S2TG: 1, S2T0SZ: 22, S2SL0: 2, S2PS: 6, S2AFFD: true, S2TTB: '0x4100_0000' },
      { kind: 'pgtable.create', name: 'dev0', stage: 1, TG0: 0, T0SZ: 16 },
      { kind: 'walk', table: 'dev0', address: '0x0', access: 'read', stage2: 'vm0' },
    );
    const r = parseScenario(doc);
    expect(r.ok ? r.scenario : r.errors).toEqual(doc);
  });
});

describe('SMMU steps that are wrong', () => {
  it('an STE or CD field name the specification does not have, suggesting the one meant', () => {
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeSte', sid: 0, fields: { S1CtxPtr: '0x0' } }), 'steps[1].fields.S1CtxPtr')).toBe(
      'is not a field of an STE; did you mean "S1ContextPtr"?',
    );
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.updateSte', sid: 0, fields: { config: 4 } }), 'steps[1].fields.config')).toBe(
      'is not a field of an STE; did you mean "Config"?',
    );
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeCd', sid: 0, ssid: 0, fields: { TOSZ: 16 } }), 'steps[1].fields.TOSZ')).toBe(
      'is not a field of a CD; did you mean "T0SZ"?',
    );
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeCd', sid: 0, ssid: 0, fields: { Zzzzzz: 1 } }), 'steps[1].fields.Zzzzzz')).toMatch(
      /^is not a field of a CD; its fields are T0SZ, TG0, .*, AMAIR1$/,
    );
  });

  it('a value too wide for its field, with the width and bits', () => {
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeSte', sid: 4, fields: { S1CDMax: 40 } }), 'steps[1].fields.S1CDMax')).toBe(
      '40 does not fit in 5 bits [63:59] (at most 31)',
    );
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeSte', sid: 4, fields: { V: '0x2' } }), 'steps[1].fields.V')).toBe('0x2 does not fit in 1 bit [0] (at most 1)');
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeSte', sid: 4, fields: { S2T0SZ: 1.5 } }), 'steps[1].fields.S2T0SZ')).toBe(
      'must be a whole number or a hex string like "0x1f" (got 1.5)',
    );
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeSte', sid: 4, fields: { S2T0SZ: true } }), 'steps[1].fields.S2T0SZ')).toBe(
      'must be a whole number or a hex string like "0x1f" (got true)',
    );
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeCd', sid: 4, ssid: 0, fields: { ASID: 65536 } }), 'steps[1].fields.ASID')).toBe(
      '65536 does not fit in 16 bits [63:48] (at most 65535)',
    );
  });

  it('an address field that is misaligned, too high, or not a hex string', () => {
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeSte', sid: 0, fields: { S1ContextPtr: '0x9000_0010' } }), 'steps[1].fields.S1ContextPtr')).toBe(
      '0x9000_0010 does not fit: S1ContextPtr holds address bits [51:6], so the address must be a multiple of 0x40',
    );
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeSte', sid: 0, fields: { S2TTB: '0x10_0000_0000_0000' } }), 'steps[1].fields.S2TTB')).toBe(
      '0x10_0000_0000_0000 does not fit: S2TTB holds address bits [51:4], so the address must be below 2^52',
    );
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeCd', sid: 0, ssid: 0, fields: { TTB0: 4096 } }), 'steps[1].fields.TTB0')).toBe(
      'TTB0 is an address: write it as a hex string like "0x4000_0000" (got 4096)',
    );
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeCd', sid: 0, ssid: 0, fields: { TTB0: 4097 } }), 'steps[1].fields.TTB0')).toBe(
      'TTB0 is an address: write it as a hex string like "0x4000_0000" (got 4097)',
    );
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeCd', sid: 0, ssid: 0, fields: { TTB0: '0x12g' } }), 'steps[1].fields.TTB0')).toBe(
      'must be a hex string like "0x4000_0000", with at most 16 hex digits (got "0x12g")',
    );
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeSte', sid: 0, fields: { Config: -1 } }), 'steps[1].fields.Config')).toBe(
      '-1 does not fit in 3 bits [3:1] (at most 7)',
    );
  });

  it('an unknown command, and a field that command does not have', () => {
    const cmds = (...commands: unknown[]) => withSteps(PROBE, { kind: 'smmu.commands', commands });
    expect(issueAt(cmds({ op: 'CMD_CFGI_STEE', StreamID: 5 }), 'steps[1].commands[0].op')).toBe('unknown command "CMD_CFGI_STEE"; did you mean "CMD_CFGI_STE"?');
    expect(issueAt(cmds({ op: 'CMD_FLUSH' }), 'steps[1].commands[0].op')).toMatch(/^unknown command "CMD_FLUSH"; the commands are CMD_PREFETCH_CONFIG, .*, CMD_CFGI_ALL$/);
    expect(issueAt(cmds({ StreamID: 5 }), 'steps[1].commands[0].op')).toBe('is required: every command has an op, such as "CMD_SYNC"');
    expect(issueAt(cmds({ op: 'CMD_SYNC' }, { op: 'CMD_CFGI_STE', StreamID: 5, Range: 1 }), 'steps[1].commands[1].Range')).toBe(
      'is not a field of CMD_CFGI_STE; its fields are op, SSec, StreamID, Leaf',
    );
    expect(issueAt(cmds({ op: 'CMD_TLBI_NH_VA', ASID: 1, Adress: '0x1000' }), 'steps[1].commands[0].Adress')).toBe('is not a field of CMD_TLBI_NH_VA; did you mean "Address"?');
    expect(issueAt(cmds({ op: 'CMD_TLBI_NH_VA', Address: '0x1000_0800' }), 'steps[1].commands[0].Address')).toBe(
      '0x1000_0800 does not fit: Address holds address bits [63:12], so the address must be a multiple of 0x1000',
    );
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.commands', commands: [] }), 'steps[1].commands')).toBe('must hold at least one command');
  });

  it('an unknown register, a read-only one, and a value wider than the register', () => {
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeRegister', register: 'CRO', value: '0x1' }), 'steps[1].register')).toBe('unknown register "CRO"; did you mean "CR0"?');
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeRegister', register: 'SMMU_CR0', value: '0x1' }), 'steps[1].register')).toMatch(
      /^unknown register "SMMU_CR0"; the writable registers are CR0, CR1, CR2, GBPA, /,
    );
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeRegister', register: 'IDR0', value: '0x1' }), 'steps[1].register')).toMatch(/^IDR0 is read-only/);
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeRegister', register: 'CR0', value: '0x1_0000_0000' }), 'steps[1].value')).toBe('does not fit: CR0 is a 32-bit register');
    expect(parseScenario(withSteps(PROBE, { kind: 'smmu.writeRegister', register: 'STRTAB_BASE', value: '0x4000_0000_4000_0000' })).ok).toBe(true);
  });

  it('an SMMU step before the probe, and a second probe', () => {
    const dma = { kind: 'smmu.dma', sid: 0, address: '0x0', access: 'read' };
    expect(issueAt(withSteps(dma), 'steps[0].kind')).toBe('there is no SMMU yet: an smmu.probe step must come before this one');
    expect(issueAt(withSteps(dma, PROBE), 'steps[0].kind')).toBe('there is no SMMU yet: an smmu.probe step must come before this one (it comes later, at steps[1])');
    expect(issueAt(withSteps(PROBE, PROBE), 'steps[1].kind')).toBe('the SMMU was already probed at steps[0]; a scenario has one SMMU, probed once');
  });

  it('probe options and features out of range', () => {
    expect(issueAt(withSteps({ ...PROBE, preset: 'max' }), 'steps[0].preset')).toBe('must be "full" or "qemu" (got "max")');
    expect(issueAt(withSteps({ ...PROBE, streamTable: 'two-level' }), 'steps[0].streamTable')).toBe('must be "linear" or "2-level" (got "two-level")');
    expect(issueAt(withSteps({ ...PROBE, features: { oasBits: 50 } }), 'steps[0].features.oasBits')).toBe('must be one of 32, 36, 40, 42, 44, 48, 52 (got 50)');
    expect(issueAt(withSteps({ ...PROBE, features: { sidBit: 8 } }), 'steps[0].features.sidBit')).toBe('is not a field of features; did you mean "sidBits"?');
    expect(issueAt(withSteps({ ...PROBE, features: { granules: { g8k: true } } }), 'steps[0].features.granules.g8k')).toBe('is not a field of granules; did you mean "g4k"?');
  });

  it('StreamIDs, SubstreamIDs and accesses out of range', () => {
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.dma', sid: 2 ** 32, address: '0x0', access: 'read' }), 'steps[1].sid')).toContain('from 0 to 4294967295');
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.dma', sid: 0, ssid: 2 ** 20, address: '0x0', access: 'read' }), 'steps[1].ssid')).toContain('a 20-bit SubstreamID');
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.dma', sid: 0, address: '0x0', access: 'fetch' }), 'steps[1].access')).toBe('must be "read" or "write" or "exec" (got "fetch")');
    expect(issueAt(withSteps(PROBE, { kind: 'smmu.writeCd', sid: 0, fields: {} }), 'steps[1].ssid')).toBe('is required');
  });

  it('stage-1 and stage-2 fields mixed in one pgtable.create, and a bad stage', () => {
    const s2 = { kind: 'pgtable.create', name: 'vm0', stage: 2, S2TG: 0, S2T0SZ: 25, S2SL0: 1 };
    expect(issueAt(withSteps({ ...s2, TG0: 0 }), 'steps[0].TG0')).toBe(
      'is a stage-1 (CD) field, but this table has "stage": 2; a stage-2 table takes the STE\'s fields S2TG, S2T0SZ, S2SL0, S2PS, S2AFFD, S2TTB',
    );
    expect(issueAt(withSteps({ kind: 'pgtable.create', name: 'dev0', TG0: 0, T0SZ: 16, S2SL0: 1 }), 'steps[0].S2SL0')).toMatch(
      /^is a stage-2 \(STE\) field, but this table is stage 1; add "stage": 2/,
    );
    expect(issueAt(withSteps({ ...s2, stage: 3 }), 'steps[0].stage')).toBe('must be 1 (a stage-1 table, the default) or 2 (a stage-2 table) (got 3)');
    expect(issueAt(withSteps({ ...s2, S2SL0: 3 }), 'steps[0].S2SL0')).toContain('S2SL0 = 3 is reserved');
    const { S2T0SZ: _, ...noT0SZ } = s2;
    expect(issueAt(withSteps(noT0SZ), 'steps[0].S2T0SZ')).toBe('is required');
  });

  it('a nested walk through a table that is not a stage-2 table made earlier', () => {
    const s1 = { kind: 'pgtable.create', name: 'dev0', TG0: 0, T0SZ: 16 };
    const s2 = { kind: 'pgtable.create', name: 'vm0', stage: 2, S2TG: 0, S2T0SZ: 25, S2SL0: 1 };
    const walk = { kind: 'walk', table: 'dev0', address: '0x0', access: 'read', stage2: 'vm0' };
    expect(issueAt(withSteps(s1, walk, s2), 'steps[1].stage2')).toBe('no page table named "vm0" was created before this step');
    expect(issueAt(withSteps(s1, s2, { ...walk, stage2: 'dev0' }), 'steps[2].stage2')).toMatch(/^"dev0" is a stage-1 table; a nested walk goes through a stage-2 table/);
    expect(issueAt(withSteps(s1, s2, { ...walk, table: 'vm0' }), 'steps[2].table')).toBe('"vm0" is a stage-2 table; only a stage-1 walk nests through stage 2');
  });
});

describe('field widths', () => {
  const tables = [
    ['STE', STE_FIELDS, (f: Record<string, unknown>) => ({ kind: 'smmu.writeSte', sid: 0, fields: f })],
    ['CD', CD_FIELDS, (f: Record<string, unknown>) => ({ kind: 'smmu.writeCd', sid: 0, ssid: 0, fields: f })],
    ['CMD_TLBI_NH_VA', COMMANDS.CMD_TLBI_NH_VA.fields, (f: Record<string, unknown>) => ({ kind: 'smmu.commands', commands: [{ op: 'CMD_TLBI_NH_VA', ...f }] })],
  ] as const;

  for (const [name, specs, step] of tables) {
    it(`accept a ${name} value exactly when the engine's encoder can store it`, () => {
      const value = fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: 0xffffn }), fc.constantFrom(0n, 1n, 0x4000_0000n, 0x9000_0040n));
      fc.assert(
        fc.property(fc.constantFrom(...specs), value, (f, v) => {
          const accepted = parseScenario(withSteps(PROBE, step({ [f.name]: `0x${v.toString(16)}` }))).ok;
          let encodes = true;
          try {
            encodeFields({ [f.name]: v }, specs, 8);
          } catch {
            encodes = false;
          }
          expect(accepted, `${f.name} = 0x${v.toString(16)}`).toBe(encodes);
        }),
        { numRuns: 400 },
      );
    });
  }
});

describe('SMMU field values on generated input', () => {
  it('never throw, whatever JSON stands where a field value or a command belongs', () => {
    const steps = (v: unknown) => [
      PROBE,
      { kind: 'smmu.writeSte', sid: 1, fields: { V: v, S1ContextPtr: v } },
      { kind: 'smmu.writeCd', sid: 1, ssid: 0, fields: { TTB0: v, ASID: v } },
      { kind: 'smmu.commands', commands: [{ op: 'CMD_TLBI_NH_VA', Address: v, ASID: v }, v] },
      { kind: 'smmu.writeRegister', register: v, value: v },
    ];
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('', ' ', '0x', '_', '0x_', 'x1', '-1', 1.5, -1, 2 ** 60)), (v) => {
        const r = parseScenario(withSteps(...steps(v)));
        if (!r.ok) for (const e of r.errors) expect(e.message).not.toBe('');
      }),
      { numRuns: 500 },
    );
  });
});
