/** The runner's result lines for the SMMU kinds, on small scenarios worked out by hand. */
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario, toJsonLine, type StepResult, type UpdateLine } from '../../../src/scenario/index.ts';

function run(steps: unknown[], trace = false): StepResult[] {
  const r = parseScenario({ format: 'iommu-visualizer-scenario', version: 1, title: 't', steps });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return [...runScenario(r.scenario, { trace })];
}

const PROBE = { kind: 'smmu.probe', preset: 'full', streamTable: 'linear' };
const BYPASS = { V: 1, Config: 4, SHCFG: 1 };

describe('SMMU result lines', () => {
  it('probe: where the stream table and queues went, and with --trace every register write', () => {
    const [plain] = run([{ ...PROBE, log2size: 4 }]);
    // 2^4 STEs x 64 bytes = 1KB for the stream table, in the first page of table memory.
    expect(plain).toMatchObject({ kind: 'smmu.probe', preset: 'full', streamTable: { address: '0x40000000', format: 'linear', log2size: 4, bytes: '0x400' }, initialisedStes: 16 });
    expect(plain && 'registers' in plain).toBe(false);
    const [traced] = run([{ ...PROBE, log2size: 4 }], true);
    const registers = traced && 'registers' in traced ? (traced.registers ?? []) : [];
    expect(registers.map((r) => r.register)).toContain('STRTAB_BASE');
    // The last write turns on SMMUEN | EVTQEN | CMDQEN.
    expect(registers.at(-1)).toEqual({ register: 'CR0', old: '0xc', value: '0xd' });
  });

  it('writeSte in a 2-level table: the L1 descriptor is written too; the DMA terminates with C_BAD_STE for an ILLEGAL STE', () => {
    const results = run([
      { ...PROBE, streamTable: '2-level' },
      { kind: 'smmu.writeSte', sid: 0x105, fields: { V: 1, Config: 5, S1CDMax: 21 } },
      { kind: 'smmu.dma', sid: 0x105, address: '0x1000', access: 'write' },
    ]);
    // SID 0x105: L1 index 1 (SPLIT = 8), STE 5 of a fresh L2 table. 8 STE qwords + 1 L1 descriptor
    // + 1 write standing for the 256 abort STEs the new L2 table is filled with.
    // V | Config 0b101 << 1 = 0xb; S1CDMax = 21 in bits [63:59] = 0xa8 << 56.
    expect(results[1]).toMatchObject({ kind: 'smmu.writeSte', sid: 0x105, writes: 10, words: ['0xa80000000000000b', '0x0', '0x0', '0x0', '0x0', '0x0', '0x0', '0x0'] });
    // S1CDMax = 21 asks for more SubstreamID bits than the full preset's SSIDSIZE = 20: the STE is ILLEGAL.
    expect(results[2]).toMatchObject({
      kind: 'smmu.dma',
      result: 'terminated',
      ste: 'fetched',
      event: { name: 'C_BAD_STE', EventID: '0x4', StreamID: 0x105, SSV: 0 },
      recorded: 0,
    });
    const event = results[2] && 'event' in results[2] ? results[2].event : undefined;
    expect(event?.reason).toContain('S1CDMax');
    // Not a translation fault: the record has no S2 field to report.
    expect(event && 'S2' in event).toBe(false);
  });

  it('register writes: CMDQ_PROD makes the SMMU consume; clearing SMMUEN sends DMA by GBPA', () => {
    const results = run([
      PROBE,
      { kind: 'smmu.writeRegister', register: 'CR0', value: '0xc' },
      { kind: 'smmu.dma', sid: 9, address: '0x1234', access: 'read' },
      { kind: 'smmu.writeRegister', register: 'GBPA', value: '0x10_0000' },
      { kind: 'smmu.dma', sid: 9, address: '0x1234', access: 'read' },
    ]);
    expect(results[1]).toEqual({ step: 1, kind: 'smmu.writeRegister', register: 'CR0', old: '0xd', value: '0xc', consumed: [] });
    expect(results[2]).toMatchObject({ result: 'bypassed', output: '0x1234' });
    expect(results[2] && 'ste' in results[2]).toBe(false);
    expect(results[4]).toMatchObject({ result: 'terminated' });
  });

  it('commands: each consumed with what it did; SSec = 1 stops the queue with CERROR_ILL', () => {
    const results = run([
      PROBE,
      { kind: 'smmu.commands', commands: [{ op: 'CMD_CFGI_STE', StreamID: 1, SSec: 1 }, { op: 'CMD_SYNC' }] },
    ]);
    // The probe used queue entries 0-2 (CMD_CFGI_ALL, CMD_TLBI_NSNH_ALL, CMD_SYNC).
    expect(results[1]).toEqual({
      step: 1,
      kind: 'smmu.commands',
      issued: 2,
      prod: { old: '0x3', value: '0x5' },
      consumed: [{ index: 3, op: 'CMD_CFGI_STE', summary: expect.stringMatching(/^CERROR_ILL: SSec = 1/) as unknown as string, invalidated: 0, error: 'CERROR_ILL' }],
      cerror: 'CERROR_ILL',
    });
  });

  it('updates: the sequence and, with --trace, each store and sync', () => {
    const results = run(
      [
        PROBE,
        { kind: 'smmu.updateSte', sid: 2, fields: BYPASS },
        { kind: 'smmu.updateSte', sid: 2, fields: { V: 1, Config: 6, S2T0SZ: 25, S2SL0: 1, S2AA64: 1, S2PS: 5, S2TTB: '0x4100_0000' } },
        { kind: 'smmu.updateSte', sid: 2, fields: BYPASS },
      ],
      true,
    );
    expect(results[1]).toMatchObject({ sequence: ['write qword 1', 'sync', 'write qword 0', 'sync'], hitless: true, syncs: 2 });
    const breaking = results[2];
    expect(breaking).toMatchObject({ kind: 'smmu.updateSte', hitless: false, strategy: 'breaking', criticalQwords: [0, 1] });
    // V cleared (qword 0 = 0), qwords 1-3 while invalid, then qword 0 with V = 1.
    expect(breaking && 'sequence' in breaking && breaking.sequence).toEqual(['write qword 0', 'sync', 'write qword 1', 'write qword 2', 'write qword 3', 'sync', 'write qword 0', 'sync']);
    const trace = (breaking as UpdateLine).trace ?? [];
    expect(trace[0]).toMatchObject({ kind: 'write', qword: 0, value: '0x0' });
    expect(trace[1]).toMatchObject({ kind: 'sync', commands: ['CMD_CFGI_STE', 'CMD_SYNC'] });
    // Writing the same STE again changes nothing: no stores, no syncs.
    const again = run([PROBE, { kind: 'smmu.updateSte', sid: 2, fields: BYPASS }, { kind: 'smmu.updateSte', sid: 2, fields: BYPASS }])[2];
    expect(again).toMatchObject({ writes: 0, syncs: 0, sequence: [] });
  });

  it('updateCd on a stage-1 stream: qword 1 (TTB0) before qword 0 (V), each followed by CMD_CFGI_CD + CMD_SYNC', () => {
    const results = run(
      [
        PROBE,
        { kind: 'smmu.writeSte', sid: 1, fields: { V: 1, Config: 5, S1ContextPtr: '0x9000_0000' } },
        { kind: 'smmu.updateCd', sid: 1, ssid: 0, fields: { T0SZ: 16, EPD1: 1, V: 1, IPS: 5, AA64: 1, ASID: 3, TTB0: '0x4100_0000' } },
      ],
      true,
    );
    expect(results[2]).toMatchObject({ kind: 'smmu.updateCd', sid: 1, ssid: 0, address: '0x90000000', sequence: ['write qword 1', 'sync', 'write qword 0', 'sync'], hitless: true });
    const trace = (results[2] as UpdateLine).trace ?? [];
    expect(trace[1]).toMatchObject({ kind: 'sync', commands: ['CMD_CFGI_CD', 'CMD_SYNC'] });
  });

  it('a step the engine refuses is an error line, and the run goes on', () => {
    const results = run([
      PROBE,
      { kind: 'smmu.writeCd', sid: 1, ssid: 0, fields: { V: 1 } },
      { kind: 'smmu.writeSte', sid: 4096, fields: { V: 1 } },
      { kind: 'smmu.dma', sid: 1, address: '0x0', access: 'read' },
    ]);
    expect(results[1]).toMatchObject({ kind: 'smmu.writeCd', error: 'STE 1 does not enable stage 1, so it has no CD table', field: 'sid' });
    expect(results[2]).toMatchObject({ kind: 'smmu.writeSte', error: expect.stringContaining('beyond the stream table') as unknown as string });
    expect(results[3]).toMatchObject({ kind: 'smmu.dma', result: 'terminated', config: 'abort' });
  });

  it('prints every line as one line of JSON with hex strings', () => {
    for (const r of run([PROBE, { kind: 'smmu.dma', sid: 1, ssid: 2, address: '0x0000_0001_0000_0000', access: 'read' }], true)) {
      const line = toJsonLine(r);
      expect(line).not.toContain('\n');
      expect(JSON.parse(line)).toMatchObject({ step: r.step });
    }
  });
});
