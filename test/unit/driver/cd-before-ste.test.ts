import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.ts';
import { parseScenario, scenarioToCommands } from '../../../src/scenario/index.ts';

describe('writing a CD before the STE that points at it (the order Linux uses)', () => {
  it('smmu.writeCd with cdTable puts the CD at cdTable + 64 x ssid, and the STE written after finds it', () => {
    const parsed = parseScenario({
      format: 'iommu-visualizer-scenario', version: 1, title: 'CD first',
      steps: [
        { kind: 'pgtable.create', name: 'io', TG0: 0, T0SZ: 16 }, // first, so its root is the first page of table memory
        { kind: 'smmu.probe', preset: 'full', streamTable: 'linear', log2size: 4 },
        { kind: 'pgtable.map', table: 'io', iova: '0x1000', paddr: '0x8_8000_0000', size: '0x1000', prot: 'rw' },
        { kind: 'smmu.writeCd', sid: 3, ssid: 1, cdTable: '0x7000_0000', fields: { V: 1, AA64: 1, R: 1, A: 1, T0SZ: 16, TG0: 0, IPS: 5, EPD1: 1, ASID: 4, TTB0: '0x4000_0000' } },
        { kind: 'smmu.writeSte', sid: 3, fields: { V: 1, Config: 5, S1ContextPtr: '0x7000_0000', S1CDMax: 1, S1DSS: 2 } },
        { kind: 'smmu.dma', sid: 3, ssid: 1, address: '0x1010', access: 'read' },
      ],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const e = new Engine();
    const events = scenarioToCommands(parsed.scenario).map((c) => e.apply(c)[0]);
    expect(events[0]).toMatchObject({ kind: 'pgtable.created', root: { address: 0x4000_0000n } });
    expect(events[3]).toMatchObject({ kind: 'smmu.cdWritten', address: 0x7000_0040n });
    expect(events[5]).toMatchObject({ kind: 'smmu.dma', outcome: { result: 'translated', output: 0x8_8000_0010n } });
  });

  it('refuses a misaligned cdTable, naming it, and writes nothing', () => {
    const e = new Engine();
    e.apply({ kind: 'smmu.probe', preset: 'full', options: { streamTable: 'linear', log2size: 4 } });
    expect(e.apply({ kind: 'smmu.writeCd', sid: 1, ssid: 0, cdTable: 0x7000_0010n, fields: { V: 1n } })[0]).toMatchObject({ kind: 'command.rejected', field: 'cdTable' });
    expect(e.readMemory64(0x7000_0010n)).toBeUndefined();
  });
});
