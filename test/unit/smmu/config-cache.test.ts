/**
 * The configuration cache (SMMUv3 spec, "Configuration structure
 * invalidation"): an STE or CD the SMMU has fetched stays in use after the
 * memory changes, until CMD_CFGI_STE / _STE_RANGE / _ALL or CMD_CFGI_CD /
 * _CD_ALL names it and a CMD_SYNC completes. This is why the driver follows
 * every live STE/CD write with CFGI + SYNC.
 */
import { describe, expect, it } from 'vitest';
import { observe } from './helpers/evtq.ts';
import { CD_TABLE, PA_BASE, issueSync, map, probe, s1Cd, s1Ste, s1Table, smmuOf, writeCd, writeSte } from './helpers/smmu.ts';
import type { Engine } from '../../../src/engine/index.ts';

const SID = 8;
const BYPASS = { V: 1n, Config: 0b100n };
const ABORT = { V: 1n, Config: 0n };

/** SID 8 bypasses and has been used once (so its STE is cached); then its STE is rewritten to abort. */
function staleSte(): Engine {
  const e = probe();
  writeSte(e, SID, BYPASS);
  expect(observe(e, SID, 0x1000n).outcome.result).toBe('bypassed');
  writeSte(e, SID, ABORT);
  return e;
}

const result = (e: Engine) => observe(e, SID, 0x1000n).outcome;

describe('cached STEs', () => {
  it('keep the old configuration in force until CMD_CFGI_STE + CMD_SYNC', () => {
    const e = staleSte();
    const stale = result(e);
    expect(stale.result).toBe('bypassed');
    expect(stale.trace.ste?.cached).toBe(true);
    issueSync(e, { op: 'CMD_CFGI_STE', fields: { StreamID: BigInt(SID + 1), Leaf: 1n } });
    expect(result(e).result).toBe('bypassed');

    const issued = issueSync(e, { op: 'CMD_CFGI_STE', fields: { StreamID: BigInt(SID), Leaf: 1n } });
    expect(issued.consumed.map((c) => c.command?.op)).toEqual(['CMD_CFGI_STE', 'CMD_SYNC']);
    const fresh = result(e);
    expect(fresh.trace.ste?.cached).toBe(false);
    expect(fresh.result).toBe('terminated');
    expect(fresh.event).toBeUndefined(); // an abort STE terminates silently
  });

  it('CMD_CFGI_STE_RANGE covers SIDs (SID & ~mask) .. + mask, mask = 2^(Range+1) - 1', () => {
    const e = staleSte();
    issueSync(e, { op: 'CMD_CFGI_STE_RANGE', fields: { StreamID: 0n, Range: 2n } }); // SIDs 0..7
    expect(result(e).result).toBe('bypassed');
    issueSync(e, { op: 'CMD_CFGI_STE_RANGE', fields: { StreamID: 13n, Range: 2n } }); // SIDs 8..15
    expect(result(e).result).toBe('terminated');
  });

  it('CMD_CFGI_ALL (CFGI_STE_RANGE with Range = 31) empties the cache', () => {
    const e = staleSte();
    writeSte(e, 200, BYPASS);
    observe(e, 200, 0x1000n);
    expect(smmuOf(e).configCache.entries().stes.map(([sid]) => sid).sort((a, b) => a - b)).toEqual([SID, 200]);
    issueSync(e, { op: 'CMD_CFGI_STE_RANGE', fields: { Range: 31n } });
    expect(smmuOf(e).configCache.entries().stes).toEqual([]);
    expect(result(e).result).toBe('terminated');
  });
});

describe('cached CDs', () => {
  const A = PA_BASE + 0xa000n;
  const B = PA_BASE + 0xb000n;
  const X = 0x4000_0000n;
  const Y = 0x4000_1000n; // never touched before the CD changes, so no IOTLB entry can answer for it

  /** CD 0 and 1 of SID 8 point at table "a" (X -> A, Y -> A + 0x1000); table "b" maps Y -> B. */
  function setup() {
    const e = probe();
    const a = s1Table(e, 'a');
    const b = s1Table(e, 'b');
    map(e, 'a', X, A);
    map(e, 'a', Y, A + 0x1000n);
    map(e, 'b', Y, B);
    writeSte(e, SID, s1Ste(CD_TABLE, { S1CDMax: 1n, S1DSS: 2n }));
    writeCd(e, SID, 0, s1Cd(a, 1));
    writeCd(e, SID, 1, s1Cd(a, 2));
    expect(observe(e, SID, X).outcome.output).toBe(A);
    expect(observe(e, SID, X, { ssid: 1 }).outcome.output).toBe(A);
    // The driver switches both contexts to table "b" (new ASIDs) without invalidating.
    writeCd(e, SID, 0, s1Cd(b, 3));
    writeCd(e, SID, 1, s1Cd(b, 4));
    return e;
  }

  it('keep the old context (and so the old page table) until CMD_CFGI_CD for that SubstreamID + CMD_SYNC', () => {
    const e = setup();
    const stale = observe(e, SID, Y).outcome;
    expect(stale.trace.cd).toMatchObject({ cached: true, asid: 1 });
    expect(stale.output).toBe(A + 0x1000n);

    issueSync(e, { op: 'CMD_CFGI_CD', fields: { StreamID: BigInt(SID), SubstreamID: 1n, Leaf: 1n } });
    expect(observe(e, SID, Y).outcome.output).toBe(A + 0x1000n); // CD 0 was not named
    expect(observe(e, SID, Y, { ssid: 1 }).outcome.output).toBe(B);

    issueSync(e, { op: 'CMD_CFGI_CD', fields: { StreamID: BigInt(SID), SubstreamID: 0n, Leaf: 1n } });
    const fresh = observe(e, SID, Y).outcome;
    expect(fresh.trace.cd).toMatchObject({ cached: false, asid: 3 });
    expect(fresh.output).toBe(B);
  });

  it('CMD_CFGI_CD_ALL refreshes every CD of the stream, and only of that stream', () => {
    const e = setup();
    issueSync(e, { op: 'CMD_CFGI_CD_ALL', fields: { StreamID: BigInt(SID + 1) } });
    expect(observe(e, SID, Y).outcome.output).toBe(A + 0x1000n);
    issueSync(e, { op: 'CMD_CFGI_CD_ALL', fields: { StreamID: BigInt(SID) } });
    expect(observe(e, SID, Y).outcome.output).toBe(B);
    expect(observe(e, SID, Y, { ssid: 1 }).outcome.output).toBe(B);
  });
});
