/**
 * Stage-1 walk faults as event records: F_WALK_EABT, F_TRANSLATION,
 * F_ADDR_SIZE, F_ACCESS and F_PERMISSION, with the transaction's attributes
 * (RnW, InD, PnU, InputAddr, SubstreamID). The four translation-class faults
 * are recorded only when CD.R = 1; an external abort is always recorded
 * (SMMUv3 spec, CD.R; QEMU records F_WALK_EABT without PTW_RECORD_FAULT).
 */
import { describe, expect, it } from 'vitest';
import { expectNotRecorded, expectRecorded, observe } from './helpers/evtq.ts';
import { CD_TABLE, NOWHERE, PA_BASE, RO, apply, map, probe, reg, s1Cd, s1Ste, s1Table, write64, writeCd, writeSte } from './helpers/smmu.ts';
import type { Engine } from '../../../src/engine/index.ts';

const SID = 4;
const IOVA = 0x20_0000n;

/** A stage-1 stream with two CDs (SSID 0 and 1) sharing table "t"; `cd` adjusts both CDs. */
function setup(cd: Record<string, bigint> = {}, tableIps = 5): Engine {
  const e = probe();
  const ttb0 = s1Table(e, 't', { IPS: tableIps });
  writeSte(e, SID, s1Ste(CD_TABLE, { S1CDMax: 1n, S1DSS: 2n }));
  writeCd(e, SID, 0, s1Cd(ttb0, 1, cd));
  writeCd(e, SID, 1, s1Cd(ttb0, 2, cd));
  return e;
}

/** The leaf descriptor of `iova` in table t, found by a traced walk. */
function leafAddress(e: Engine, iova: bigint): bigint {
  const w = apply(e, { kind: 'walk', table: 't', address: iova, access: { kind: 'read', privileged: true } }, 'walk.completed');
  const last = w.result.steps.at(-1);
  if (!last) throw new Error('no walk steps');
  return last.descriptorAddress;
}

describe('F_WALK_EABT', () => {
  it('a table read from memory that does not exist, with the descriptor address, even with CD.R = 0', () => {
    for (const R of [1n, 0n]) {
      const e = setup();
      writeCd(e, SID, 0, s1Cd(NOWHERE, 1, { R }));
      const va = 0x1234_5678_9000n;
      const { outcome, record } = expectRecorded(e, SID, va, 'F_WALK_EABT', { kind: 'write' });
      // 4KB granule, 48-bit VA: the walk starts at level 0 with index VA[47:39] = 0x24.
      expect(record.Addr).toBe(NOWHERE + 0x24n * 8n);
      expect(record).toMatchObject({ InputAddr: va, RnW: 0, InD: 0, PnU: 1, S2: 0, SSV: 0 });
      expect(outcome.event?.IPA).toBe(NOWHERE + 0x24n * 8n);
    }
  });
});

describe('F_TRANSLATION', () => {
  it('an address with no mapping; recorded with CD.R = 1, terminated silently with CD.R = 0', () => {
    const e = setup();
    map(e, 't', IOVA, PA_BASE);
    expect(observe(e, SID, IOVA).outcome.output).toBe(PA_BASE);
    const { outcome, record } = expectRecorded(e, SID, IOVA + 0x20_0000n, 'F_TRANSLATION', { ssid: 1 });
    expect(record).toMatchObject({ InputAddr: IOVA + 0x20_0000n, RnW: 1, InD: 0, PnU: 1, S2: 0, SSV: 1, SubstreamID: 1 });
    expect(outcome.event).toMatchObject({ StreamID: SID, SubstreamID: 1, RnW: true, PnU: true, InputAddr: IOVA + 0x20_0000n });

    const quiet = setup({ R: 0n });
    expectNotRecorded(quiet, SID, IOVA, 'F_TRANSLATION');
  });
});

describe('F_ADDR_SIZE', () => {
  it('an output address at or beyond 2^IPS (IPS = 0: 32 bits), legal with IPS = 1 (36 bits)', () => {
    const pa = 0x1_0000_0000n; // 2^32
    const narrow = setup({ IPS: 0n });
    map(narrow, 't', IOVA, pa);
    const { record } = expectRecorded(narrow, SID, IOVA + 0x18n, 'F_ADDR_SIZE');
    expect(record).toMatchObject({ InputAddr: IOVA + 0x18n, S2: 0, RnW: 1 });

    const wide = setup({ IPS: 1n });
    map(wide, 't', IOVA, pa);
    expect(observe(wide, SID, IOVA + 0x18n).outcome.output).toBe(pa + 0x18n);

    const quiet = setup({ IPS: 0n, R: 0n });
    map(quiet, 't', IOVA, pa);
    expectNotRecorded(quiet, SID, IOVA, 'F_ADDR_SIZE');
  });
});

describe('F_ADDR_SIZE and IDR5.OAS', () => {
  it('caps IPS by the SMMU\'s OAS: on the QEMU preset (44 bits) a CD with IPS = 48 bits still faults at 2^44', () => {
    const e = probe({ preset: 'qemu' });
    expect(Number(reg(e, 'IDR5') & 7n)).toBe(4); // OAS = 44 bits
    const ttb0 = s1Table(e, 't');
    writeSte(e, SID, s1Ste(CD_TABLE));
    writeCd(e, SID, 0, s1Cd(ttb0, 1, { IPS: 5n }));
    map(e, 't', IOVA, (1n << 44n) - 0x1000n);
    map(e, 't', IOVA + 0x1000n, 1n << 44n);
    expect(observe(e, SID, IOVA + 0xffcn).outcome.output).toBe((1n << 44n) - 4n);
    expectRecorded(e, SID, IOVA + 0x1000n, 'F_ADDR_SIZE');
  });
});

describe('F_ACCESS', () => {
  const withoutAf = (cd: Record<string, bigint>) => {
    const e = setup(cd);
    map(e, 't', IOVA, PA_BASE);
    const leaf = leafAddress(e, IOVA);
    write64(e, leaf, (e.readMemory64(leaf) as bigint) & ~(1n << 10n)); // AF = 0
    return e;
  };

  it('a leaf with AF = 0 while CD.AFFD = 0; with AFFD = 1 the access flag is not checked', () => {
    const { record } = expectRecorded(withoutAf({}), SID, IOVA, 'F_ACCESS', { kind: 'write' });
    expect(record).toMatchObject({ InputAddr: IOVA, RnW: 0, S2: 0 });
    expect(observe(withoutAf({ AFFD: 1n }), SID, IOVA, { kind: 'write' }).outcome.output).toBe(PA_BASE);
    expectNotRecorded(withoutAf({ R: 0n }), SID, IOVA, 'F_ACCESS');
  });

  it('takes priority over a permission fault on the same leaf', () => {
    const e = setup();
    map(e, 't', IOVA, PA_BASE, 0x1000n, RO);
    const leaf = leafAddress(e, IOVA);
    write64(e, leaf, (e.readMemory64(leaf) as bigint) & ~(1n << 10n));
    expectRecorded(e, SID, IOVA, 'F_ACCESS', { kind: 'write' });
  });
});

describe('F_PERMISSION', () => {
  it('a write to a read-only mapping (AP[2] = 1); reads of it translate', () => {
    const e = setup();
    map(e, 't', IOVA, PA_BASE, 0x1000n, RO);
    const { record } = expectRecorded(e, SID, IOVA + 8n, 'F_PERMISSION', { kind: 'write', ssid: 1 });
    expect(record).toMatchObject({ InputAddr: IOVA + 8n, RnW: 0, InD: 0, PnU: 1, S2: 0, SSV: 1, SubstreamID: 1 });
    expect(observe(e, SID, IOVA + 8n).outcome.output).toBe(PA_BASE + 8n);
  });

  it('an unprivileged access to a privileged-only mapping (AP[1] = 0), PnU = 0 in the record', () => {
    const e = setup();
    map(e, 't', IOVA, PA_BASE);
    const { record } = expectRecorded(e, SID, IOVA, 'F_PERMISSION', { privileged: false });
    expect(record).toMatchObject({ PnU: 0, RnW: 1, InD: 0 });
  });

  it('an instruction fetch from a no-exec mapping (PXN = 1), InD = 1 and RnW = 1 in the record', () => {
    const e = setup();
    map(e, 't', IOVA, PA_BASE);
    const { record } = expectRecorded(e, SID, IOVA, 'F_PERMISSION', { kind: 'exec' });
    expect(record).toMatchObject({ InD: 1, RnW: 1, PnU: 1 });
    map(e, 't', IOVA + 0x1000n, PA_BASE + 0x1000n, 0x1000n, { read: true, write: false, exec: true, priv: true });
    expect(observe(e, SID, IOVA + 0x1000n, { kind: 'exec' }).outcome.output).toBe(PA_BASE + 0x1000n);
  });

  it('is not recorded when CD.R = 0', () => {
    const e = setup({ R: 0n });
    map(e, 't', IOVA, PA_BASE, 0x1000n, RO);
    expectNotRecorded(e, SID, IOVA, 'F_PERMISSION', { kind: 'write' });
  });
});
