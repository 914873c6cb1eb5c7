/**
 * Events raised between the STE and the walk: F_STREAM_DISABLED,
 * C_BAD_SUBSTREAMID, F_CD_FETCH and C_BAD_CD (SMMUv3 spec 5.2 STE.S1CDMax /
 * S1DSS, 5.4 CD validity, 7.3.7-7.3.11 event records). Each case sits next
 * to the nearest legal configuration, so a check that is too strict fails too.
 */
import { describe, expect, it } from 'vitest';
import { expectRecorded, observe } from './helpers/evtq.ts';
import { CD_TABLE, NOWHERE, PA_BASE, map, probe, s1Cd, s1Ste, s1Table, write64, writeCd, writeSte } from './helpers/smmu.ts';

const SID = 12;
const IOVA = 0x20_0000n;

/** A stage-1 stream with the given STE extras; CD `ssid` maps IOVA to PA_BASE + ssid pages. */
function stream(ste: Record<string, bigint>, ssids: number[]) {
  const e = probe();
  writeSte(e, SID, s1Ste(CD_TABLE, ste));
  for (const ssid of ssids) {
    const ttb0 = s1Table(e, `t${ssid}`);
    map(e, `t${ssid}`, IOVA, PA_BASE + BigInt(ssid) * 0x1000n);
    writeCd(e, SID, ssid, s1Cd(ttb0, 100 + ssid));
  }
  return e;
}

describe('F_STREAM_DISABLED', () => {
  it('a transaction without a SubstreamID when S1CDMax > 0 and S1DSS = terminate', () => {
    const e = stream({ S1CDMax: 2n, S1DSS: 0n }, [0, 1]);
    const { record } = expectRecorded(e, SID, IOVA, 'F_STREAM_DISABLED');
    expect(record.SSV).toBe(0);
    // The same stream with a SubstreamID translates.
    expect(observe(e, SID, IOVA, { ssid: 1 }).outcome.output).toBe(PA_BASE + 0x1000n);
  });
});

describe('S1DSS = 0b10 (CD 0 serves traffic without a SubstreamID)', () => {
  it('translates a transaction without a SubstreamID through CD 0, and SubstreamIDs through their own CDs', () => {
    const e = stream({ S1CDMax: 3n, S1DSS: 2n }, [0, 5]);
    const o = observe(e, SID, IOVA).outcome;
    expect(o.output).toBe(PA_BASE);
    expect(o.trace.cd?.ssid).toBe(0);
    expect(observe(e, SID, IOVA, { ssid: 5 }).outcome.output).toBe(PA_BASE + 0x5000n);
  });
});

describe('C_BAD_SUBSTREAMID', () => {
  it('a SubstreamID >= 2^S1CDMax; the largest one below is looked up (and its CD, never written, is V = 0)', () => {
    const e = stream({ S1CDMax: 2n, S1DSS: 0n }, [0, 1]);
    const { record } = expectRecorded(e, SID, IOVA, 'C_BAD_SUBSTREAMID', { ssid: 4 });
    expect(record.SubstreamID).toBe(4);
    expectRecorded(e, SID, IOVA, 'C_BAD_CD', { ssid: 3 });
  });

  it('any SubstreamID, even 0, when S1CDMax = 0 (the stream has one CD and no SubstreamIDs)', () => {
    const e = stream({ S1CDMax: 0n }, [0]);
    expect(observe(e, SID, IOVA).outcome.output).toBe(PA_BASE);
    expect(expectRecorded(e, SID, IOVA, 'C_BAD_SUBSTREAMID', { ssid: 0 }).record.SubstreamID).toBe(0);
    expect(expectRecorded(e, SID, IOVA, 'C_BAD_SUBSTREAMID', { ssid: 1 }).record.SubstreamID).toBe(1);
  });


  it('a SubstreamID whose L1 CD descriptor has V = 0 (2-level CD table, S1Fmt = 2)', () => {
    const e = stream({ S1Fmt: 2n, S1CDMax: 12n, S1DSS: 0n }, [1]);
    expect((e.readMemory64(CD_TABLE) ?? 0n) & 1n).toBe(1n); // L1CD 0: V = 1, written by the driver for SSID 1
    expect(observe(e, SID, IOVA, { ssid: 1 }).outcome.output).toBe(PA_BASE + 0x1000n);
    const ssid = 3 * 1024 + 5; // L1 descriptor 3, never written
    expect(expectRecorded(e, SID, IOVA, 'C_BAD_SUBSTREAMID', { ssid }).record.SubstreamID).toBe(ssid);
  });
});

describe('F_CD_FETCH', () => {
  it('a linear CD table in memory that does not exist, with the CD address', () => {
    const e = probe();
    writeSte(e, SID, s1Ste(NOWHERE, { S1CDMax: 4n }));
    const { record } = expectRecorded(e, SID, IOVA, 'F_CD_FETCH', { ssid: 5 });
    expect(record.Addr).toBe(NOWHERE + 5n * 64n);
    expect(record.SSV).toBe(1);
    expect(record.SubstreamID).toBe(5);
  });

  it('an L1 CD table that cannot be read, with the L1 descriptor address', () => {
    const e = probe();
    writeSte(e, SID, s1Ste(NOWHERE, { S1Fmt: 2n, S1CDMax: 16n }));
    expect(expectRecorded(e, SID, IOVA, 'F_CD_FETCH', { ssid: 0x2c05 }).record.Addr).toBe(NOWHERE + 0xbn * 8n);
  });

  it('a valid L1 CD descriptor pointing at a leaf table that does not exist, with the CD address', () => {
    const e = probe();
    write64(e, CD_TABLE + 8n, NOWHERE | 1n); // L1CD 1: V = 1, L2Ptr = NOWHERE
    writeSte(e, SID, s1Ste(CD_TABLE, { S1Fmt: 2n, S1CDMax: 16n }));
    expect(expectRecorded(e, SID, IOVA, 'F_CD_FETCH', { ssid: 1024 + 7 }).record.Addr).toBe(NOWHERE + 7n * 64n);
  });
});

describe('C_BAD_CD', () => {
  const withCd = (cd: Record<string, bigint>) => {
    const e = probe();
    writeSte(e, SID, s1Ste(CD_TABLE));
    const ttb0 = s1Table(e, 't');
    map(e, 't', IOVA, PA_BASE);
    writeCd(e, SID, 0, s1Cd(ttb0, 7, cd));
    return e;
  };

  it('the reference CD translates', () => {
    expect(observe(withCd({}), SID, IOVA).outcome.output).toBe(PA_BASE);
  });

  it('V = 0', () => {
    expect(expectRecorded(withCd({ V: 0n }), SID, IOVA, 'C_BAD_CD').record.SSV).toBe(0);
  });

  it('AA64 = 0 (VMSAv8-32 tables)', () => {
    expectRecorded(withCd({ AA64: 0n }), SID, IOVA, 'C_BAD_CD');
  });

  it('T0SZ outside 16..39 (40 and 15), while 39 is legal', () => {
    expectRecorded(withCd({ T0SZ: 40n }), SID, IOVA, 'C_BAD_CD');
    expectRecorded(withCd({ T0SZ: 15n }), SID, IOVA, 'C_BAD_CD');
    // T0SZ = 39: a 25-bit VA, walked from level 2 of the zeroed table: a translation fault, not C_BAD_CD.
    expect(observe(withCd({ T0SZ: 39n }), SID, IOVA).outcome.event?.name).toBe('F_TRANSLATION');
  });

  it('TG0 = 3 (reserved granule)', () => {
    expectRecorded(withCd({ TG0: 3n }), SID, IOVA, 'C_BAD_CD');
  });

  it('is recorded even though the CD says R = 0: a broken CD cannot decide its own recording', () => {
    expectRecorded(withCd({ V: 0n, R: 0n }), SID, IOVA, 'C_BAD_CD');
  });
});
