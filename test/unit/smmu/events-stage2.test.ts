/**
 * Stage-2 faults: S2 = 1, the IPA that faulted (IPA[51:12] in qword 3), and
 * CLASS naming the access that stage 2 was translating — the CD fetch (CD,
 * 0b00), a stage-1 table walk (TT, 0b01) or the input's IPA (IN, 0b10)
 * (SMMUv3 spec, event record CLASS; QEMU SMMU_CLASS_CD/TT/IN). Recorded only
 * when STE.S2R = 1.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_ID, expectNotRecorded, expectRecorded, observe } from './helpers/evtq.ts';
import { CD_IPA, CD_PA, IOVA, IPA, PA, nestedStream } from './helpers/nested.ts';
import { NOWHERE, PA_BASE, RO, map, probe, s2Fields, s2Table, unmap, writeSte } from './helpers/smmu.ts';

const CLASS = { CD: 0, TT: 1, IN: 2 } as const;

describe('nested (Config = 0b111): stage-2 faults by class', () => {
  it('the reference nested stream translates IOVA -> IPA -> PA', () => {
    const n = nestedStream();
    const o = observe(n.e, n.sid, IOVA + 0x24n).outcome;
    expect(o.output).toBe(PA + 0x24n);
    expect(o.trace.cd?.address).toBe(CD_PA);
  });

  it('CLASS = CD: stage 2 does not map the CD table\'s IPA', () => {
    const n = nestedStream();
    unmap(n.e, n.s2Name, CD_IPA);
    const { outcome, record } = expectRecorded(n.e, n.sid, IOVA, 'F_TRANSLATION');
    expect(record).toMatchObject({ S2: 1, CLASS: CLASS.CD, Addr: CD_IPA, InputAddr: IOVA });
    expect(outcome.event).toMatchObject({ S2: true, CLASS: CLASS.CD, IPA: CD_IPA });
  });

  it('CLASS = TT: stage 2 does not map the page holding the guest\'s level-2 table', () => {
    const n = nestedStream();
    const level2 = n.s1Tables[2] as bigint;
    unmap(n.e, n.s2Name, level2);
    const { record } = expectRecorded(n.e, n.sid, IOVA, 'F_TRANSLATION', { kind: 'write' });
    expect(record).toMatchObject({ S2: 1, CLASS: CLASS.TT, Addr: level2, InputAddr: IOVA, RnW: 0 });
  });

  it('CLASS = IN: stage 2 does not map the IPA that stage 1 produced', () => {
    const n = nestedStream();
    unmap(n.e, n.s2Name, IPA);
    const { record } = expectRecorded(n.e, n.sid, IOVA + 0x10n, 'F_TRANSLATION');
    expect(record).toMatchObject({ S2: 1, CLASS: CLASS.IN, Addr: IPA, InputAddr: IOVA + 0x10n });
  });

  it('a stage-2 permission fault on the final IPA (S2AP without write)', () => {
    const n = nestedStream();
    unmap(n.e, n.s2Name, IPA);
    map(n.e, n.s2Name, IPA, PA, 0x1000n, RO);
    // The write comes first, so it is a walk and not an IOTLB hit.
    const { record } = expectRecorded(n.e, n.sid, IOVA + 0x800n, 'F_PERMISSION', { kind: 'write' });
    expect(record).toMatchObject({ S2: 1, CLASS: CLASS.IN, Addr: IPA, RnW: 0 });
    expect(observe(n.e, n.sid, IOVA).outcome.output).toBe(PA);
  });

  it('a stage-1 fault of a nested stream has S2 = 0 and follows CD.R', () => {
    const n = nestedStream();
    const { record } = expectRecorded(n.e, n.sid, IOVA + 0x1000n, 'F_TRANSLATION');
    expect(record.S2).toBe(0);
    const quiet = nestedStream({ cd: { R: 0n } });
    expectNotRecorded(quiet.e, quiet.sid, IOVA + 0x1000n, 'F_TRANSLATION');
  });

  it('with STE.S2R = 0 none of the stage-2 faults is recorded, though each still terminates', () => {
    for (const hole of [CD_IPA, IPA]) {
      const n = nestedStream({ ste: { S2R: 0n } });
      unmap(n.e, n.s2Name, hole);
      const o = expectNotRecorded(n.e, n.sid, IOVA, 'F_TRANSLATION');
      expect(o.event?.S2).toBe(true);
    }
    const tt = nestedStream({ ste: { S2R: 0n } });
    unmap(tt.e, tt.s2Name, tt.s1Tables[1] as bigint);
    expectNotRecorded(tt.e, tt.sid, IOVA, 'F_TRANSLATION');
  });
});

describe('stage 2 only (Config = 0b110)', () => {
  const VTCR = { S2TG: 0, S2T0SZ: 24, S2SL0: 1 }; // 40-bit IPA, start level 1, two concatenated tables
  const stage2Only = (ste: Record<string, bigint> = {}) => {
    const e = probe();
    const t = s2Table(e, 's2', VTCR);
    map(e, 's2', 0x4000_0000n, PA_BASE);
    writeSte(e, 21, { V: 1n, Config: 0b110n, ...s2Fields(t, VTCR, ste) });
    return e;
  };

  it('the input address is the IPA: an unmapped one is F_TRANSLATION, S2 = 1, CLASS = IN, IPA = the input page', () => {
    const e = stage2Only();
    expect(observe(e, 21, 0x4000_0abcn).outcome.output).toBe(PA_BASE + 0xabcn);
    const { record } = expectRecorded(e, 21, 0x4000_1abcn, 'F_TRANSLATION');
    expect(record).toMatchObject({ S2: 1, CLASS: CLASS.IN, Addr: 0x4000_1000n, InputAddr: 0x4000_1abcn, RnW: 1 });
  });

  it('an IPA beyond the 40-bit stage-2 input size is a stage-2 translation fault', () => {
    const e = stage2Only();
    const { record } = expectRecorded(e, 21, 1n << 40n, 'F_TRANSLATION');
    expect(record).toMatchObject({ S2: 1, CLASS: CLASS.IN });
  });

  it('F_ADDR_SIZE when stage 2 outputs a PA beyond S2PS (2 = 40 bits); S2PS = 5 (48 bits) admits it', () => {
    const e = probe();
    const t = s2Table(e, 's2', VTCR);
    map(e, 's2', 0x7000_0000n, 1n << 40n);
    writeSte(e, 21, { V: 1n, Config: 0b110n, ...s2Fields(t, { ...VTCR, S2PS: 2 }) });
    writeSte(e, 22, { V: 1n, Config: 0b110n, ...s2Fields(t, { ...VTCR, S2PS: 5 }) });
    const { record } = expectRecorded(e, 21, 0x7000_0040n, 'F_ADDR_SIZE');
    expect(record).toMatchObject({ S2: 1, CLASS: CLASS.IN, Addr: 0x7000_0000n, InputAddr: 0x7000_0040n });
    expect(observe(e, 22, 0x7000_0040n).outcome.output).toBe((1n << 40n) + 0x40n);
  });

  it('is silent with S2R = 0', () => {
    expectNotRecorded(stage2Only({ S2R: 0n }), 21, 0x4000_1000n, 'F_TRANSLATION');
  });

  it('F_WALK_EABT when S2TTB points at memory that does not exist: S2 = 1 and the descriptor address, S2R = 0 or not', () => {
    for (const S2R of [1n, 0n]) {
      const e = probe();
      writeSte(e, 21, { V: 1n, Config: 0b110n, ...s2Fields({ S2TTB: NOWHERE }, VTCR, { S2R }) });
      const ipa = 0x81_2345_6000n; // inside the 40-bit IPA space
      const { record } = expectRecorded(e, 21, ipa, 'F_WALK_EABT');
      // Level 1 with two concatenated tables: index = IPA[39:30] = 0x204.
      expect(record.Addr).toBe(NOWHERE + 0x204n * 8n);
      expect(record.S2).toBe(1);
      expect(record.EventID).toBe(EVENT_ID.F_WALK_EABT);
    }
  });
});
