/**
 * Every STE.Config value, and the SMMU with translation disabled (SMMUv3
 * spec, STE.Config and SMMU_GBPA): 0b000-0b011 abort without an event,
 * 0b100 bypass, 0b101 stage 1, 0b110 stage 2, 0b111 both; with
 * CR0.SMMUEN = 0 the STEs are not consulted and GBPA.ABORT decides.
 */
import { describe, expect, it } from 'vitest';
import { observe } from './helpers/evtq.ts';
import { IOVA, IPA, PA, nestedStream } from './helpers/nested.ts';
import { CD_TABLE, PA_BASE, map, probe, reg, s1Cd, s1Ste, s1Table, s2Fields, s2Table, writeCd, writeReg, writeSte } from './helpers/smmu.ts';

const ADDRESS = 0x3_4567_8abcn;

describe('STE.Config', () => {
  it.each([0, 1, 2, 3])('Config = %i (0b0xx, abort): terminated, nothing recorded', (config) => {
    const e = probe();
    writeSte(e, 7, { V: 1n, Config: BigInt(config), S1ContextPtr: CD_TABLE });
    const r = observe(e, 7, ADDRESS, { kind: 'write' });
    expect(r.outcome.result).toBe('terminated');
    expect(r.outcome.output).toBeUndefined();
    expect(r.outcome.event).toBeUndefined();
    expect(r.record).toBeUndefined();
    expect(r.outcome.trace.ste?.config).toBe('abort');
  });

  it('0b100 (bypass): the output address is the input address', () => {
    const e = probe();
    writeSte(e, 7, { V: 1n, Config: 0b100n });
    for (const a of [0n, ADDRESS, 0xffff_ffff_f000n]) {
      const o = observe(e, 7, a).outcome;
      expect(o.result).toBe('bypassed');
      expect(o.output).toBe(a);
    }
  });

  it('0b101 (stage 1 only): the CD\'s table translates the address', () => {
    const e = probe();
    const ttb0 = s1Table(e, 't');
    map(e, 't', 0x3_4567_8000n, PA_BASE + 0x9000n);
    writeSte(e, 7, s1Ste(CD_TABLE));
    writeCd(e, 7, 0, s1Cd(ttb0, 1));
    const o = observe(e, 7, ADDRESS).outcome;
    expect(o).toMatchObject({ result: 'translated', output: PA_BASE + 0x9abcn });
    expect(o.trace.ste?.config).toBe('stage 1');
    expect(o.trace.walk?.steps.length).toBe(4);
  });

  it('0b110 (stage 2 only): the input is an IPA, translated by the STE\'s stage-2 table; no CD is read', () => {
    const e = probe();
    const vtcr = { S2TG: 0, S2T0SZ: 24, S2SL0: 1 };
    const t = s2Table(e, 's2', vtcr);
    map(e, 's2', 0x3_4567_8000n, PA_BASE + 0x2000n);
    writeSte(e, 7, { V: 1n, Config: 0b110n, S1ContextPtr: CD_TABLE, ...s2Fields(t, vtcr) });
    const o = observe(e, 7, ADDRESS).outcome;
    expect(o).toMatchObject({ result: 'translated', output: PA_BASE + 0x2abcn });
    expect(o.trace.ste?.config).toBe('stage 2');
    expect(o.trace.cd).toBeUndefined();
    expect(o.trace.walk?.steps.map((s) => s.level)).toEqual([1, 2, 3]);
  });

  it('0b111 (nested): stage 1 gives the IPA, stage 2 the PA', () => {
    const n = nestedStream();
    const o = observe(n.e, n.sid, IOVA + 0x5a8n).outcome;
    expect(o).toMatchObject({ result: 'translated', output: PA + 0x5a8n });
    expect(o.trace.ste?.config).toBe('nested');
    expect(o.trace.walk?.stage2?.steps.length).toBe(4);
    expect(IPA).not.toBe(PA); // the two stages really map differently
  });
});

describe('CR0.SMMUEN = 0', () => {
  const disabled = (gbpa: bigint) => {
    const e = probe();
    writeSte(e, 7, { V: 0n }); // would be C_BAD_STE if the SMMU looked
    writeReg(e, 'CR0', 0b1100n);
    writeReg(e, 'GBPA', gbpa);
    return e;
  };

  it('GBPA.ABORT = 0: every transaction bypasses, the stream table is not read', () => {
    const e = disabled(0n);
    const r = observe(e, 7, ADDRESS);
    expect(r.outcome).toMatchObject({ result: 'bypassed', output: ADDRESS });
    expect(r.outcome.trace.ste).toBeUndefined();
    expect(r.record).toBeUndefined();
    // Even a StreamID the stream table does not cover.
    expect(observe(e, 1 << 20, ADDRESS).outcome.result).toBe('bypassed');
  });

  it('GBPA.ABORT = 1 (bit 20): every transaction is terminated without an event', () => {
    const e = disabled(1n << 20n);
    expect(Number((reg(e, 'GBPA') >> 20n) & 1n)).toBe(1);
    const r = observe(e, 7, ADDRESS);
    expect(r.outcome.result).toBe('terminated');
    expect(r.outcome.event).toBeUndefined();
    expect(r.record).toBeUndefined();
  });

  it('re-enabling SMMUEN brings the STE back into force', () => {
    const e = disabled(0n);
    writeReg(e, 'CR0', 0b1101n);
    expect(observe(e, 7, ADDRESS).outcome.event?.name).toBe('C_BAD_STE');
  });
});
