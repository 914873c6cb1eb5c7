/**
 * The cases where an earlier engine disagreed with the SMMUv3 specification
 * (found by the independent test suite), each pinned as a regression test with
 * the section it comes from.
 */
import { describe, expect, it } from 'vitest';
import { issue, issueSync, map, probe, reg, s1Ste, s1Table, s2Fields, s2Table, write64, writeCd, writeReg, writeSte, dma, CD_TABLE } from './helpers/smmu.ts';
import { observe } from './helpers/evtq.ts';
import { nestedStream, IOVA, IPA } from './helpers/nested.ts';
import { s1Cd } from './helpers/smmu.ts';

const PA = 0x8_8000_0000n;

function stage1Stream(e = probe(), sid = 1, ste: Record<string, bigint> = {}) {
  const ttb0 = s1Table(e, `t${sid}`);
  map(e, `t${sid}`, 0x1000n, PA);
  writeSte(e, sid, s1Ste(CD_TABLE, ste));
  writeCd(e, sid, 0, s1Cd(ttb0, 5));
  return e;
}

describe('stream table rules (SMMUv3 7.3.3 C_BAD_STREAMID)', () => {
  it('an L2 index beyond Span is C_BAD_STREAMID, and so is Span > SPLIT + 1', () => {
    const e = probe({ streamTable: '2-level', log2size: 16 });
    writeSte(e, 0x101, { V: 1n, Config: 4n }); // allocates the L2 table for StreamIDs 0x100..0x1ff, Span = 9
    const l1 = smmuL1(e, 1);
    write64(e, l1.address, (l1.value & ~0x1fn) | 2n); // Span = 2: 2 STEs
    expect(observe(e, 0x101, 0x1000n).outcome.result).toBe('bypassed');
    expect(observe(e, 0x102, 0x1000n).outcome.event?.name).toBe('C_BAD_STREAMID');
    write64(e, l1.address, (l1.value & ~0x1fn) | 10n); // Span = 10 > SPLIT + 1
    expect(observe(e, 0x1f0, 0x1000n).outcome.event?.name).toBe('C_BAD_STREAMID');
  });

  it('C_BAD_STREAMID is recorded only while CR2.RECINVSID = 1 (Linux sets it)', () => {
    const e = probe({ log2size: 4 });
    expect(reg(e, 'CR2') & 2n).toBe(2n);
    expect(observe(e, 40, 0x1000n).record?.EventID).toBe(0x02);
    writeReg(e, 'CR0', 0n);
    writeReg(e, 'CR2', 0n);
    writeReg(e, 'CR0', 0b1101n);
    const r = observe(e, 40, 0x1000n);
    expect(r.outcome.event?.name).toBe('C_BAD_STREAMID');
    expect(r.record).toBeUndefined();
  });
});

function smmuL1(e: ReturnType<typeof probe>, index: number) {
  const base = reg(e, 'STRTAB_BASE') & 0x000f_ffff_ffff_ffc0n;
  const address = base + BigInt(index * 8);
  return { address, value: e.readMemory64(address) ?? 0n };
}

describe('SubstreamID rules (7.3.7, 7.3.9, STE.S1DSS)', () => {
  it('SubstreamID 0 with S1DSS = 0b10 is F_STREAM_DISABLED carrying only the StreamID', () => {
    const e = stage1Stream(probe(), 1, { S1CDMax: 2n, S1DSS: 2n });
    const r = observe(e, 1, 0x1000n, { ssid: 0 });
    expect(r.outcome.event?.name).toBe('F_STREAM_DISABLED');
    expect(r.record).toMatchObject({ EventID: 0x06, StreamID: 1, SSV: 0, SubstreamID: 0, RnW: 0, InputAddr: 0n });
  });

  it('a SubstreamID on a bypass or stage-2-only stream is C_BAD_SUBSTREAMID, with SSV RES0', () => {
    const e = probe();
    writeSte(e, 2, { V: 1n, Config: 4n });
    const s2 = s2Table(e, 's2', { S2TG: 0, S2T0SZ: 24, S2SL0: 1 });
    writeSte(e, 3, { V: 1n, Config: 6n, ...s2Fields(s2, { S2TG: 0, S2T0SZ: 24, S2SL0: 1 }) });
    for (const sid of [2, 3]) {
      const r = observe(e, sid, 0x1000n, { ssid: 7 });
      expect(r.outcome.event?.name).toBe('C_BAD_SUBSTREAMID');
      expect(r.record).toMatchObject({ EventID: 0x08, SSV: 0, SubstreamID: 7 });
    }
  });

  it('S1DSS = 0b11 behaves as terminate; S1Fmt = 0b11 as linear; S1Fmt is ignored with S1CDMax = 0', () => {
    const e = stage1Stream(probe(), 1, { S1CDMax: 1n, S1DSS: 3n, S1Fmt: 3n });
    expect(dma(e, 1, 0x1000n).event?.name).toBe('F_STREAM_DISABLED');
    expect(dma(e, 1, 0x1000n, { ssid: 0 }).output).toBe(PA);
    const q = stage1Stream(probe({ preset: 'qemu' }), 2, { S1Fmt: 2n }); // no CD2L, but S1CDMax = 0
    expect(dma(q, 2, 0x1000n).output).toBe(PA);
  });
});

describe('record fields (7.3)', () => {
  it('configuration errors leave RnW, InD, PnU and InputAddr RES0', () => {
    const e = probe();
    writeSte(e, 4, { V: 0n });
    const r = observe(e, 4, 0x4000n, { kind: 'exec', privileged: true });
    expect(r.record).toMatchObject({ EventID: 0x04, RnW: 0, InD: 0, PnU: 0, InputAddr: 0n });
  });

  it('stage-1 walk faults are CLASS = IN; a stage-1 external abort is CLASS = TT with the descriptor address', () => {
    const e = stage1Stream(probe(), 1, {});
    expect(observe(e, 1, 0x5000n).record).toMatchObject({ EventID: 0x10, S2: 0, CLASS: 2 });
    const ttb0 = e.tableConfig('t1')?.TTB0 as bigint;
    write64(e, ttb0, 0x7700_0003n); // level-0 table descriptor to memory that does not exist
    issueSync(e, { op: 'CMD_TLBI_NSNH_ALL' });
    expect(observe(e, 1, 0x1000n).record).toMatchObject({ EventID: 0x0b, S2: 0, CLASS: 1, Addr: 0x7700_0000n });
  });

  it('an external abort in the stage-2 walk of a CD fetch reports the stage-2 descriptor address', () => {
    const n = nestedStream();
    write64(n.e, n.s2.S2TTB, 0x6600_0003n); // stage-2 level-0 entry -> missing table (nothing is cached yet)
    const r = observe(n.e, n.sid, IOVA);
    expect(r.outcome.event?.name).toBe('F_WALK_EABT');
    expect(r.record).toMatchObject({ S2: 1, CLASS: 0, Addr: 0x6600_0000n });
  });

  it('a stage-2 permission fault from an IOTLB hit carries the IPA', () => {
    const RO = { read: true, write: false, exec: false, priv: true };
    // Stage 2 only: the IPA is the input address.
    const e = probe();
    const vtcr = { S2TG: 0, S2T0SZ: 24, S2SL0: 1 };
    const s2 = s2Table(e, 's2', vtcr);
    map(e, 's2', 0x4000_0000n, PA, 0x1000n, RO);
    writeSte(e, 3, { V: 1n, Config: 6n, ...s2Fields(s2, vtcr) });
    expect(dma(e, 3, 0x4000_0010n).output).toBe(PA + 0x10n);
    const hit = observe(e, 3, 0x4000_0010n, { kind: 'write' });
    expect(hit.outcome.trace.tlb?.hit).toBe(true);
    expect(hit.record).toMatchObject({ EventID: 0x13, S2: 1, CLASS: 2, Addr: 0x4000_0000n });
    // Nested: the IPA is what stage 1 produced.
    const n = nestedStream();
    const ipa = 0x90_0000_0000n;
    map(n.e, n.s2Name, ipa, 0x9_0000_0000n, 0x1000n, RO);
    const m = map(n.e, n.s1Name, 0x13_0000_0000n, ipa);
    for (const t of m.tables) map(n.e, n.s2Name, t.address, t.address); // the guest's new tables live in IPA space too
    expect(dma(n.e, n.sid, 0x13_0000_0000n).output).toBe(0x9_0000_0000n);
    const r = observe(n.e, n.sid, 0x13_0000_0008n, { kind: 'write' });
    expect(r.outcome.trace.tlb?.hit).toBe(true);
    expect(r.record).toMatchObject({ EventID: 0x13, S2: 1, CLASS: 2, Addr: ipa });
    expect(dma(n.e, n.sid, IOVA).output).toBeDefined();
    expect(IPA).not.toBe(ipa);
  });
});

describe('address size of untranslated traffic (3.4)', () => {
  it('bypass with an input beyond OAS is F_ADDR_SIZE; while disabled it is terminated silently', () => {
    const e = probe(); // full preset: 48-bit OAS
    writeSte(e, 2, { V: 1n, Config: 4n });
    expect(dma(e, 2, 1n << 48n).event).toMatchObject({ name: 'F_ADDR_SIZE', S2: false, CLASS: 2 });
    expect(dma(e, 2, (1n << 48n) - 8n).output).toBe((1n << 48n) - 8n);
    writeReg(e, 'CR0', 0b1100n);
    expect(dma(e, 2, 1n << 48n)).toMatchObject({ result: 'terminated' });
    expect(dma(e, 2, 1n << 48n).event).toBeUndefined();
  });

  it('with stage 1 bypassed, an input beyond IAS is a stage-1 F_ADDR_SIZE before stage 2', () => {
    const e = probe();
    const s2 = s2Table(e, 's2', { S2TG: 0, S2T0SZ: 24, S2SL0: 1 });
    writeSte(e, 3, { V: 1n, Config: 6n, ...s2Fields(s2, { S2TG: 0, S2T0SZ: 24, S2SL0: 1 }) });
    expect(dma(e, 3, 1n << 48n).event).toMatchObject({ name: 'F_ADDR_SIZE', S2: false, CLASS: 2 });
    expect(dma(e, 3, 1n << 41n).event).toMatchObject({ name: 'F_TRANSLATION', S2: true });
  });
});

describe('ILLEGAL structures', () => {
  it('a CD whose TTB0 lies beyond the effective IPS is C_BAD_CD', () => {
    const e = probe();
    writeSte(e, 1, s1Ste(CD_TABLE));
    writeCd(e, 1, 0, s1Cd(1n << 40n, 5, { IPS: 2n })); // 40-bit IPS, TTB0 at 2^40
    expect(dma(e, 1, 0x1000n).event).toMatchObject({ name: 'C_BAD_CD', reason: expect.stringMatching(/TTB0/) });
  });

  it('S2T0SZ is bounded by the input address size, not by S2PS', () => {
    const e = probe();
    const s2 = s2Table(e, 's2', { S2TG: 0, S2T0SZ: 16, S2SL0: 2, S2PS: 2 });
    writeSte(e, 3, { V: 1n, Config: 6n, ...s2Fields(s2, { S2TG: 0, S2T0SZ: 16, S2SL0: 2, S2PS: 2 }) });
    expect(dma(e, 3, 0x1000n).event?.name).toBe('F_TRANSLATION');
  });
});

describe('queues', () => {
  it('OVFLG toggles only when the previous overflow was acknowledged', () => {
    const e = probe({ evtqLog2: 1 });
    writeSte(e, 5, { V: 0n });
    for (let i = 0; i < 2; i++) dma(e, 5, 0x1000n);
    dma(e, 5, 0x1000n);
    expect((reg(e, 'EVTQ_PROD') >> 31n) & 1n).toBe(1n);
    dma(e, 5, 0x1000n);
    expect((reg(e, 'EVTQ_PROD') >> 31n) & 1n).toBe(1n);
    writeReg(e, 'EVTQ_CONS', (reg(e, 'EVTQ_CONS') & 0xfffffn) | (1n << 31n)); // acknowledge
    dma(e, 5, 0x1000n);
    expect((reg(e, 'EVTQ_PROD') >> 31n) & 1n).toBe(0n);
  });

  it('stage-2 TLB commands are CERROR_ILL on an SMMU without stage 2', () => {
    const e = probe({ preset: 'qemu' });
    const r = issue(e, [{ op: 'CMD_TLBI_S12_VMALL', fields: { VMID: 1n } }, { op: 'CMD_SYNC' }]);
    expect(r.consumed.map((c) => c.error)).toEqual(['CERROR_ILL']);
    expect((reg(e, 'CMDQ_CONS') >> 24n) & 0x7fn).toBe(1n);
  });
});
