/** From scenario steps to engine commands, engine options and timeline labels. */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.ts';
import { engineOptionsOf, parseScenario, scenarioToCommands, stepLabel, type Scenario } from '../../../src/scenario/index.ts';

function scenario(steps: unknown[], config?: unknown): Scenario {
  const r = parseScenario({ format: 'iommu-visualizer-scenario', version: 1, title: 't', ...(config ? { config } : {}), steps });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}

const CREATE = { kind: 'pgtable.create', name: 'dev0', TG0: 0, T0SZ: 16 };

describe('scenarioToCommands', () => {
  it('makes one command per step, in order, with hex strings as bigints and defaults filled in', () => {
    const s = scenario([
      { ...CREATE, IPS: 2, TTB0: '0x4000_0000', AFFD: true, note: 'n' },
      { kind: 'pgtable.map', table: 'dev0', iova: '0x0000_0080_0000_0000', paddr: '0x8_8000_0000', size: '0x20_0000', prot: 'rxp' },
      { kind: 'pgtable.map', table: 'dev0', iova: '0x1000', paddr: '0x2000', size: '0x1000', prot: { write: true } },
      { kind: 'pgtable.unmap', table: 'dev0', iova: '0x1000', size: '0x1000' },
      { kind: 'walk', table: 'dev0', address: ' 0xDEAD_BEEF ', access: 'exec' },
      { kind: 'walk', table: 'dev0', address: '0x0', access: 'write', privileged: false },
      { kind: 'memory.write', address: '0x10', value: '0xffff_ffff_ffff_ffff' },
    ]);
    expect(scenarioToCommands(s)).toEqual([
      { kind: 'pgtable.create', name: 'dev0', config: { TG0: 0, T0SZ: 16, IPS: 2, TTB0: 0x4000_0000n, AFFD: true } },
      { kind: 'pgtable.map', table: 'dev0', iova: 0x80_0000_0000n, paddr: 0x8_8000_0000n, size: 0x20_0000n, prot: { read: true, write: false, exec: true, priv: true } },
      { kind: 'pgtable.map', table: 'dev0', iova: 0x1000n, paddr: 0x2000n, size: 0x1000n, prot: { read: false, write: true, exec: false, priv: false } },
      { kind: 'pgtable.unmap', table: 'dev0', iova: 0x1000n, size: 0x1000n },
      { kind: 'walk', table: 'dev0', address: 0xdead_beefn, access: { kind: 'exec', privileged: true } },
      { kind: 'walk', table: 'dev0', address: 0n, access: { kind: 'write', privileged: false } },
      { kind: 'memory.write', address: 0x10n, value: 0xffff_ffff_ffff_ffffn, size: 8 },
    ]);
  });

  it('passes every given CD field to the engine, which keeps it', () => {
    const fields = { TG0: 2, T0SZ: 20, IPS: 3, EPD0: false, TTB1: '0x5000_0000', T1SZ: 25, TG1: 1, EPD1: false, AFFD: true, TBI: 3, HAD0: true, HAD1: true };
    const [command] = scenarioToCommands(scenario([{ kind: 'pgtable.create', name: 'x', ...fields }]));
    const engine = new Engine();
    engine.apply(command as NonNullable<typeof command>);
    expect(engine.tableConfig('x')).toMatchObject({ ...fields, TTB1: 0x5000_0000n });
  });
});

describe('engineOptionsOf', () => {
  it('gives the table memory when the scenario sets it, and nothing otherwise', () => {
    expect(engineOptionsOf(scenario([]))).toEqual({});
    expect(engineOptionsOf(scenario([], { tableMemory: { base: '0x9000_0000', size: '0x100_0000' } }))).toEqual({
      tableMemoryBase: 0x9000_0000n,
      tableMemorySize: 0x100_0000n,
    });
  });

  it('is where the engine then allocates the first table', () => {
    const s = scenario([CREATE], { tableMemory: { base: '0x9000_0000', size: '0x100_0000' } });
    const engine = new Engine(engineOptionsOf(s));
    for (const c of scenarioToCommands(s)) engine.apply(c);
    expect(engine.tableConfig('dev0')?.TTB0).toBe(0x9000_0000n);
  });
});

describe('stepLabel', () => {
  it('says what each step does in a few words', () => {
    const s = scenario([
      CREATE,
      { kind: 'pgtable.create', name: 'big', TG0: 1, T0SZ: 22 },
      { kind: 'pgtable.map', table: 'dev0', iova: '0x0000_0080_8060_4000', paddr: '0x8_8ab0_0000', size: '0x2000', prot: 'rw' },
      { kind: 'pgtable.map', table: 'dev0', iova: '0x4000_0000', paddr: '0x8000_0000', size: '0x4000_0000', prot: '' },
      { kind: 'pgtable.unmap', table: 'dev0', iova: '0x20_0000', size: '0x1234' },
      { kind: 'walk', table: 'dev0', address: '0x0000_0080_8060_4123', access: 'read' },
      { kind: 'walk', table: 'dev0', address: '0x1000', access: 'write', privileged: false },
      { kind: 'memory.write', address: '0x8_8000_0000', value: '0x1', size: 4 },
    ]);
    expect(s.steps.map(stepLabel)).toEqual([
      'create dev0: 4KB granule, 48-bit input',
      'create big: 64KB granule, 42-bit input',
      'map dev0 0x80_8060_4000 → 0x8_8ab0_0000, 8KB rw',
      'map dev0 0x4000_0000 → 0x8000_0000, 1GB no access',
      'unmap dev0 0x20_0000, 0x1234 bytes',
      'walk dev0 0x80_8060_4123: read',
      'walk dev0 0x1000: unprivileged write',
      'write 0x1 to 0x8_8000_0000 (4 bytes)',
    ]);
  });
});
