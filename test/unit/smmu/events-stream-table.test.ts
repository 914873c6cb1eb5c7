/**
 * Events raised while finding and checking a stream's STE: C_BAD_STREAMID,
 * F_STE_FETCH and C_BAD_STE (SMMUv3 spec 7.3.3-7.3.5, and 5.2 for what makes
 * an STE ILLEGAL; QEMU's smmu_find_ste / decode_ste agree). Configuration
 * errors are recorded whatever the R bits say.
 */
import { describe, expect, it } from 'vitest';
import { expectRecorded, observe } from './helpers/evtq.ts';
import { CD_TABLE, NOWHERE, probe, reg, s1Ste, s2Fields, s2Table, write64, writeReg, writeSte } from './helpers/smmu.ts';

const L1_ADDR_MASK = 0x000f_ffff_ffff_ffc0n; // STRTAB_BASE.ADDR [51:6], L1STD.L2Ptr [51:6]
const VTCR_4K_40 = { S2TG: 0, S2T0SZ: 24, S2SL0: 1 };

function dmaResult(e: ReturnType<typeof probe>, sid: number): string {
  return observe(e, sid, 0x1000n).outcome.result;
}

describe('C_BAD_STREAMID', () => {
  it('is raised for a StreamID at or beyond 2^LOG2SIZE of a linear table, and not for the last one inside', () => {
    const e = probe({ streamTable: 'linear', log2size: 8 });
    // SID 255 is inside: the probe left it an abort STE, which terminates silently.
    const inside = observe(e, 255, 0x1000n);
    expect(inside.outcome.result).toBe('terminated');
    expect(inside.outcome.event).toBeUndefined();
    expect(inside.record).toBeUndefined();

    const { record } = expectRecorded(e, 256, 0x1000n, 'C_BAD_STREAMID');
    expect(record.SSV).toBe(0);
  });

  it('carries the SubstreamID of a transaction that had one', () => {
    const e = probe({ streamTable: 'linear', log2size: 6 });
    const { record } = expectRecorded(e, 64, 0x2000n, 'C_BAD_STREAMID', { ssid: 0x1234 });
    expect(record.SSV).toBe(1);
    expect(record.SubstreamID).toBe(0x1234);
  });

  it('is raised by a 2-level table whose L1 descriptor has Span = 0 (no L2 table)', () => {
    const e = probe({ streamTable: '2-level' });
    writeSte(e, 5, { V: 1n, Config: 0b100n });
    expect(dmaResult(e, 5)).toBe('bypassed');
    // SID 0x305 selects L1 descriptor 3 (SPLIT = 8), which nothing has written: Span = 0.
    expectRecorded(e, 0x305, 0x1000n, 'C_BAD_STREAMID');
  });

  it('leaves the StreamIDs inside a smaller Span usable (Span = 2: 2^(2-1) = 2 STEs)', () => {
    const e = probe({ streamTable: '2-level' });
    writeSte(e, 0x101, { V: 1n, Config: 0b100n });
    const l1 = reg(e, 'STRTAB_BASE') & L1_ADDR_MASK;
    const desc = e.readMemory64(l1 + 8n) as bigint;
    expect(desc & 0x1fn).toBe(9n); // Linux writes Span = SPLIT + 1
    write64(e, l1 + 8n, (desc & L1_ADDR_MASK) | 2n);
    expect(dmaResult(e, 0x101)).toBe('bypassed');
  });

  it('is raised by a 2-level table for a StreamID beyond LOG2SIZE', () => {
    const e = probe({ streamTable: '2-level', log2size: 12 });
    expectRecorded(e, 1 << 12, 0x1000n, 'C_BAD_STREAMID');
  });
});

describe('F_STE_FETCH', () => {
  it('is raised when the linear stream table is in memory that does not exist, with the STE address', () => {
    const e = probe();
    // Re-point the stream table while translation is off, as the driver must (STRTAB_BASE_CFG is frozen while SMMUEN = 1).
    writeReg(e, 'CR0', 0b1100n);
    writeReg(e, 'STRTAB_BASE', NOWHERE);
    writeReg(e, 'STRTAB_BASE_CFG', 8n);
    writeReg(e, 'CR0', 0b1101n);
    const { record } = expectRecorded(e, 3, 0x1000n, 'F_STE_FETCH');
    expect(record.Addr).toBe(NOWHERE + 3n * 64n);
  });

  it('is raised when a 2-level L1 table cannot be read, with the L1 descriptor address', () => {
    const e = probe();
    writeReg(e, 'CR0', 0b1100n);
    writeReg(e, 'STRTAB_BASE', NOWHERE);
    writeReg(e, 'STRTAB_BASE_CFG', (1n << 16n) | (8n << 6n) | 16n); // FMT = 2-level, SPLIT = 8, LOG2SIZE = 16
    writeReg(e, 'CR0', 0b1101n);
    const { record } = expectRecorded(e, 0x1234, 0x1000n, 'F_STE_FETCH');
    expect(record.Addr).toBe(NOWHERE + 0x12n * 8n);
  });

  it('is raised when an L1 descriptor points at an L2 table that does not exist, with the STE address', () => {
    const e = probe({ streamTable: '2-level' });
    const l1 = reg(e, 'STRTAB_BASE') & L1_ADDR_MASK;
    write64(e, l1 + 2n * 8n, NOWHERE | 9n); // L2Ptr = NOWHERE, Span = 9 (256 STEs)
    const { record } = expectRecorded(e, 0x2a7, 0x1000n, 'F_STE_FETCH');
    expect(record.Addr).toBe(NOWHERE + 0xa7n * 64n);
  });
});

describe('C_BAD_STE', () => {
  const bad = (fields: Record<string, bigint>, preset: 'full' | 'qemu' = 'full') => {
    const e = probe({ preset });
    writeSte(e, 9, fields);
    return expectRecorded(e, 9, 0x4000n, 'C_BAD_STE').record;
  };

  it('V = 0, even with an otherwise usable Config', () => {
    expect(bad({ V: 0n, Config: 0b100n }).SSV).toBe(0);
  });

  it('S1CDMax larger than IDR1.SSIDSIZE (20 on the full preset), while S1CDMax = SSIDSIZE is legal', () => {
    bad(s1Ste(CD_TABLE, { S1CDMax: 21n, S1DSS: 1n }));
    const e = probe();
    writeSte(e, 9, s1Ste(CD_TABLE, { S1CDMax: 20n, S1DSS: 1n }));
    expect(observe(e, 9, 0x4000n).outcome.result).toBe('bypassed'); // S1DSS = bypass for traffic without a SubstreamID
  });

  it('S2TG = 3 (reserved granule), recorded even with S2R = 0', () => {
    const e = probe();
    const t = s2Table(e, 's2', VTCR_4K_40);
    writeSte(e, 9, { V: 1n, Config: 0b110n, ...s2Fields(t, VTCR_4K_40, { S2TG: 3n, S2R: 0n }) });
    expectRecorded(e, 9, 0x4000n, 'C_BAD_STE');
  });

  it('S2SL0 = 3 (reserved without FEAT_TTST)', () => {
    const e = probe();
    const t = s2Table(e, 's2', VTCR_4K_40);
    writeSte(e, 9, { V: 1n, Config: 0b110n, ...s2Fields(t, VTCR_4K_40, { S2SL0: 3n }) });
    expectRecorded(e, 9, 0x4000n, 'C_BAD_STE');
  });

  it('more than 16 concatenated start-level tables (4KB, 44-bit IPA, level 1: 32 tables); 43 bits (16 tables) is legal', () => {
    const e = probe();
    const ok = { S2TG: 0, S2T0SZ: 21, S2SL0: 1 };
    const t = s2Table(e, 's2', ok);
    expect(t.concatenated).toBe(16);
    writeSte(e, 9, { V: 1n, Config: 0b110n, ...s2Fields(t, ok) });
    // Legal: the walk runs and finds nothing mapped, a stage-2 translation fault, not C_BAD_STE.
    expect(observe(e, 9, 0x4000n).outcome.event?.name).toBe('F_TRANSLATION');
    writeSte(e, 10, { V: 1n, Config: 0b110n, ...s2Fields(t, ok, { S2T0SZ: 20n }) });
    expectRecorded(e, 10, 0x4000n, 'C_BAD_STE');
  });

  it('stage 2 or nested on the QEMU preset, which implements stage 1 only (IDR0.S2P = 0)', () => {
    const e = probe({ preset: 'qemu' });
    expect(Number(reg(e, 'IDR0') & 1n)).toBe(0);
    writeSte(e, 9, { V: 1n, Config: 0b110n, S2AA64: 1n, S2T0SZ: 24n, S2SL0: 1n, S2PS: 2n, S2TTB: 0x4000_0000n });
    expectRecorded(e, 9, 0x4000n, 'C_BAD_STE');
    writeSte(e, 10, { V: 1n, Config: 0b111n, S1ContextPtr: CD_TABLE, S2AA64: 1n, S2T0SZ: 24n, S2SL0: 1n, S2PS: 2n, S2TTB: 0x4000_0000n });
    expectRecorded(e, 10, 0x4000n, 'C_BAD_STE');
  });

});
