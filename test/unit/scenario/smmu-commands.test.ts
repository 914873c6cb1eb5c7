/** SMMU steps to engine commands, and their timeline labels. */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.ts';
import { parseScenario, scenarioToCommands, stepLabel, stepLabelAfter, type Scenario } from '../../../src/scenario/index.ts';

function scenario(steps: unknown[]): Scenario {
  const r = parseScenario({ format: 'iommu-visualizer-scenario', version: 1, title: 't', steps });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}

const PROBE = { kind: 'smmu.probe', preset: 'full', streamTable: 'linear' };

describe('scenarioToCommands for the SMMU kinds', () => {
  it('turns each step into its engine command, values as bigints and defaults filled in', () => {
    const s = scenario([
      { ...PROBE, preset: 'qemu', streamTable: '2-level', log2size: 10, evtqLog2: 4, features: { stage2: true, granules: { g16k: false } } },
      { kind: 'smmu.writeRegister', register: 'GBPA', value: '0x0010_0000' },
      { kind: 'smmu.writeSte', sid: 3, fields: { V: 1, Config: 5, S1ContextPtr: '0x9000_0000' } },
      { kind: 'smmu.updateSte', sid: 3, fields: { V: '0x1', Config: 4 } },
      { kind: 'smmu.writeCd', sid: 3, ssid: 2, fields: { ASID: 7, TTB0: '0x4000_6000' } },
      { kind: 'smmu.updateCd', sid: 3, ssid: 0, fields: { V: 0 } },
      {
        kind: 'smmu.commands',
        commands: [{ op: 'CMD_CFGI_STE', StreamID: 5, Leaf: 1 }, { op: 'CMD_CFGI_ALL' }, { op: 'CMD_TLBI_NH_VA', ASID: 1, Address: '0x1000_0000' }, { op: 'CMD_SYNC' }],
      },
      { kind: 'smmu.dma', sid: 3, address: '0x1000_0123', access: 'read' },
      { kind: 'smmu.dma', sid: 3, ssid: 9, address: '0x1000', access: 'write', privileged: false },
      { kind: 'pgtable.create', name: 'vm0', stage: 2, S2TG: 0, S2T0SZ: 25, S2SL0: 1, S2AFFD: true },
      { kind: 'pgtable.create', name: 'dev0', stage: 1, TG0: 0, T0SZ: 16 },
      { kind: 'walk', table: 'dev0', address: '0x1000', access: 'read', stage2: 'vm0' },
    ]);
    expect(scenarioToCommands(s)).toEqual([
      {
        kind: 'smmu.probe',
        preset: 'qemu',
        // Granules the file leaves out keep the preset's value: the engine replaces the whole object.
        features: { stage2: true, granules: { g4k: true, g16k: false, g64k: true } },
        options: { streamTable: '2-level', log2size: 10, evtqLog2: 4 },
      },
      { kind: 'smmu.writeRegister', register: 'GBPA', value: 0x10_0000n },
      { kind: 'smmu.writeSte', sid: 3, fields: { V: 1n, Config: 5n, S1ContextPtr: 0x9000_0000n } },
      { kind: 'smmu.updateSte', sid: 3, fields: { V: 1n, Config: 4n } },
      { kind: 'smmu.writeCd', sid: 3, ssid: 2, fields: { ASID: 7n, TTB0: 0x4000_6000n } },
      { kind: 'smmu.updateCd', sid: 3, ssid: 0, fields: { V: 0n } },
      {
        kind: 'smmu.issueCommands',
        commands: [
          { op: 'CMD_CFGI_STE', fields: { StreamID: 5n, Leaf: 1n } },
          { op: 'CMD_CFGI_STE_RANGE', fields: { Range: 31n } },
          { op: 'CMD_TLBI_NH_VA', fields: { ASID: 1n, Address: 0x1000_0000n } },
          { op: 'CMD_SYNC', fields: {} },
        ],
      },
      { kind: 'smmu.dma', sid: 3, address: 0x1000_0123n, access: { kind: 'read', privileged: true } },
      { kind: 'smmu.dma', sid: 3, ssid: 9, address: 0x1000n, access: { kind: 'write', privileged: false } },
      { kind: 'pgtable.create', name: 'vm0', stage: 2, config: { S2TG: 0, S2T0SZ: 25, S2SL0: 1, S2AFFD: true } },
      { kind: 'pgtable.create', name: 'dev0', config: { TG0: 0, T0SZ: 16 } },
      { kind: 'walk', table: 'dev0', address: 0x1000n, access: { kind: 'read', privileged: true }, stage2: 'vm0' },
    ]);
  });

  it('gives the engine commands it accepts: the probe follows the options and CMD_CFGI_ALL invalidates everything', () => {
    const s = scenario([
      { ...PROBE, streamTable: '2-level', log2size: 12, cmdqLog2: 5 },
      { kind: 'smmu.writeSte', sid: 300, fields: { V: 1, Config: 4 } },
      { kind: 'smmu.dma', sid: 300, address: '0x8000', access: 'read' },
      { kind: 'smmu.commands', commands: [{ op: 'CMD_CFGI_ALL' }, { op: 'CMD_SYNC' }] },
    ]);
    const engine = new Engine();
    const events = scenarioToCommands(s).map((c) => engine.apply(c));
    expect(events.flat().filter((e) => e.kind === 'command.rejected')).toEqual([]);
    const probe = events[0]?.[0];
    expect(probe?.kind === 'smmu.probed' && probe.result.streamTable).toMatchObject({ fmt: '2-level', log2size: 12 });
    expect(probe?.kind === 'smmu.probed' && probe.result.cmdq.log2size).toBe(5);
    expect(engine.smmu?.configCache).toBeDefined();
    const issued = events[3]?.[0];
    // The DMA cached STE 300; the range-31 invalidation removes it.
    expect(issued?.kind === 'smmu.commandsIssued' && issued.consumed.map((c) => [c.command?.op, c.command?.fields.Range, c.invalidated])).toEqual([
      ['CMD_CFGI_STE_RANGE', 31n, 1],
      ['CMD_SYNC', undefined, 0],
    ]);
  });
});

describe('stepLabel for the SMMU kinds', () => {
  const s = scenario([
    PROBE,
    { kind: 'smmu.writeRegister', register: 'CR0', value: '0xd' },
    { kind: 'smmu.writeSte', sid: 3, fields: { V: 1, Config: 5 } },
    { kind: 'smmu.writeSte', sid: 4, fields: { Config: 4 } },
    { kind: 'smmu.updateSte', sid: 3, fields: { V: 1, Config: 7 } },
    { kind: 'smmu.writeCd', sid: 3, ssid: 0, fields: { V: 1, ASID: 1, TTB0: '0x4000_6000' } },
    { kind: 'smmu.updateCd', sid: 3, ssid: 2, fields: { V: 1, ASID: 2 } },
    {
      kind: 'smmu.commands',
      commands: [{ op: 'CMD_TLBI_NH_VA', ASID: 1, Address: '0x1000_0000' }, { op: 'CMD_CFGI_STE', StreamID: 3 }, { op: 'CMD_TLBI_S12_VMALL', VMID: 2 }, { op: 'CMD_SYNC' }, { op: 'CMD_SYNC' }],
    },
    { kind: 'smmu.dma', sid: 3, address: '0x4000_1234', access: 'read' },
    { kind: 'smmu.dma', sid: 3, ssid: 5, address: '0x1000', access: 'exec', privileged: false },
    { kind: 'pgtable.create', name: 'vm0', stage: 2, S2TG: 1, S2T0SZ: 24, S2SL0: 1 },
    { kind: 'pgtable.create', name: 'dev0', TG0: 0, T0SZ: 16 },
    { kind: 'walk', table: 'dev0', address: '0x1000', access: 'write', stage2: 'vm0' },
  ]);

  it('says what each step does in a few words', () => {
    expect(s.steps.map((step) => stepLabel(step))).toEqual([
      'probe the SMMU (full): linear stream table',
      'CR0 ← 0xd',
      'STE 3 ← stage 1',
      'STE 4 ← invalid (V = 0)',
      'STE 3 ← nested (driver update)',
      'CD 0 of STE 3 ← ASID 1, TTB0 0x4000_6000',
      'CD 2 of STE 3 ← ASID 2 (driver update)',
      'CMD_TLBI_NH_VA ASID 1 0x1000_0000, CMD_CFGI_STE 3, CMD_TLBI_S12_VMALL VMID 2 and 2 more',
      'DMA sid 3 read 0x4000_1234',
      'DMA sid 3 ssid 5 unprivileged exec 0x1000',
      'create vm0: stage 2, 64KB granule, 40-bit IPA',
      'create dev0: 4KB granule, 48-bit input',
      'walk dev0 0x1000 nested in vm0: write',
    ]);
  });

  it('adds how an update went once its events are known', () => {
    const steps = scenario([PROBE, { kind: 'smmu.updateSte', sid: 3, fields: { V: 1, Config: 4, SHCFG: 1 } }, { kind: 'smmu.updateSte', sid: 3, fields: { V: 1, Config: 6, S2T0SZ: 25, S2SL0: 1, S2AA64: 1, S2PS: 5, S2TTB: '0x4100_0000' } }]).steps;
    const engine = new Engine();
    const commands = scenarioToCommands(scenario([PROBE, ...steps.slice(1)]));
    const events = commands.map((c) => engine.apply(c));
    // Abort -> bypass: qword 1 then qword 0, two syncs. Bypass -> stage 2: Config (qword 0) and SHCFG (qword 1, used by
    // both, 1 -> 0) must change together, so V is cleared, qwords 1-3 written, qword 0 restored: a sync after each.
    const [, toBypass, toStage2] = steps;
    if (!toBypass || !toStage2) throw new Error('two updates');
    expect(stepLabelAfter(toBypass, events[1] ?? [])).toBe('STE 3 ← bypass (hitless, 2 syncs)');
    expect(stepLabelAfter(toStage2, events[2] ?? [])).toBe('STE 3 ← stage 2 (not hitless: V cleared, 3 syncs)');
    // Before it runs, or for a step that is not an update, the label is stepLabel's.
    expect(stepLabel(toBypass)).toBe('STE 3 ← bypass (driver update)');
    const probe = steps[0];
    expect(probe && stepLabelAfter(probe, events[0] ?? [])).toBe(probe && stepLabel(probe));
    // stepLabel takes only the step, so it can be passed to map() directly.
    expect(steps.map(stepLabel)).toHaveLength(3);
  });
});
