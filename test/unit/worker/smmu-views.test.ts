/**
 * The SMMU view the worker posts with each step: the stream table window,
 * the selected stream's CD table, the queues tied to the steps that filled
 * them, and the caches with stale entries marked — checked against what each
 * scenario file says it does, through the real engine session.
 */
import { describe, expect, it } from 'vitest';
import { EngineSession } from '../../../src/worker/session.ts';
import { MAX_STREAM_WINDOW, type SteRowView } from '../../../src/worker/smmu-view-types.ts';
import { hexOf, runTo, scenarioOf, stepsOfKind, TWO_LEVEL } from '../ui/smmuRun.ts';

const isRow = (r: object): r is SteRowView => 'words' in r;

describe('the stream table window', () => {
  it('is absent before the SMMU is probed and present after', () => {
    expect(runTo('smmu-stage1-dma', 0).smmu).toBeUndefined();
    const probed = runTo('smmu-stage1-dma', 1).smmu;
    expect(probed?.streamTable.fmt).toBe('linear');
    expect(probed?.enabled).toBe(true);
  });

  it('shows the STE a writeSte step wrote, with its Config and S1ContextPtr, at STRTAB_BASE + 64 x StreamID', () => {
    const s = scenarioOf('smmu-stage1-dma');
    const writeStep = stepsOfKind(s, 'smmu.writeSte')[0]!;
    const spec = s.steps[writeStep - 1];
    if (spec?.kind !== 'smmu.writeSte') throw new Error('a writeSte step');
    const view = runTo(s, writeStep, { streams: { first: 0, count: 16 }, stream: 'auto' }).smmu!;
    const row = view.streamTable.rows.find((r) => r.sid === spec.sid);
    if (!row || !isRow(row)) throw new Error(`no STE row for ${spec.sid}`);
    expect(row.address).toBe(view.streamTable.base + BigInt(spec.sid * 64));
    expect(row.config).toBe('stage 1');
    expect(row.key.S1ContextPtr).toBe(hexOf(String(spec.fields.S1ContextPtr)));
    // The other StreamIDs keep the abort STEs the probe wrote.
    expect(view.streamTable.rows.filter((r) => r.sid !== spec.sid && isRow(r)).every((r) => isRow(r) && r.config === 'abort')).toBe(true);
    // 'auto' follows the stream the latest step named.
    expect(view.stream?.sid).toBe(spec.sid);
  });

  it('reads a 2-level table of 65,536 StreamIDs: L1 descriptors with Span and L2Ptr, rows only for the window', () => {
    const shown = runTo(TWO_LEVEL, 3, { streams: { first: 0x1230, count: 8 }, stream: 0x1234 });
    const t = shown.smmu!.streamTable;
    expect(t.fmt).toBe('2-level');
    expect(t.size).toBe(65536);
    expect(t.l1Count).toBe(2 ** (16 - t.split));
    // Exactly the two L1 descriptors whose StreamIDs were written point at L2 tables.
    expect(t.l1.map((d) => d.index)).toEqual([0x1234 >> t.split, 0xffff >> t.split]);
    for (const d of t.l1) {
      expect(d.span).toBe(t.split + 1);
      expect(d.firstSid).toBe(d.index << t.split);
    }
    expect(t.rows.map((r) => r.sid)).toEqual([0x1230, 0x1231, 0x1232, 0x1233, 0x1234, 0x1235, 0x1236, 0x1237]);
    const ste = t.rows.find((r) => r.sid === 0x1234);
    if (!ste || !isRow(ste)) throw new Error('STE 0x1234');
    const l1 = t.l1.find((d) => d.index === 0x1234 >> t.split)!;
    expect(ste.address).toBe(l1.l2 + BigInt((0x1234 % 2 ** t.split) * 64));
    expect(ste.config).toBe('bypass');
    // A StreamID whose L1 descriptor has Span = 0 has no STE: the row says why.
    const gap = runTo(TWO_LEVEL, 3, { streams: { first: 0x100, count: 2 }, stream: 'auto' }).smmu!.streamTable.rows[0]!;
    expect(isRow(gap)).toBe(false);
    expect('reason' in gap && gap.reason).toMatch(/Span = 0/);
  });

  it('never sends more than a window of rows, whatever the page asks for', () => {
    const view = runTo(TWO_LEVEL, 3, { streams: { first: 0, count: 100_000 }, stream: 'auto' }).smmu!;
    expect(view.streamTable.rows.length).toBe(MAX_STREAM_WINDOW);
    const end = runTo(TWO_LEVEL, 3, { streams: { first: 65_530, count: 50 }, stream: 'auto' }).smmu!;
    expect(end.streamTable.rows.map((r) => r.sid)).toEqual([65530, 65531, 65532, 65533, 65534, 65535]);
  });

  it('answers a view request for another window without moving the step', () => {
    const { session } = runTo('smmu-stage1-dma', 9);
    const r = session.view(7, { streams: { first: 200, count: 4 }, stream: 3 });
    if (r.kind !== 'view') throw new Error('a view answer');
    expect(r.step).toBe(9);
    expect(r.smmu?.streamTable.rows.map((x) => x.sid)).toEqual([200, 201, 202, 203]);
    expect(r.smmu?.stream?.sid).toBe(3);
    expect(new EngineSession().view(1, { streams: { first: 0, count: 1 }, stream: 'auto' })).toMatchObject({ kind: 'failed' });
  });
});

describe('the selected stream', () => {
  it('lists the CD the writeCd step wrote: V, ASID and TTB0, found through the STE', () => {
    const s = scenarioOf('smmu-stage1-dma');
    const cdStep = stepsOfKind(s, 'smmu.writeCd')[0]!;
    const spec = s.steps[cdStep - 1];
    if (spec?.kind !== 'smmu.writeCd') throw new Error('a writeCd step');
    const stream = runTo(s, cdStep, { streams: { first: 0, count: 4 }, stream: spec.sid }).smmu!.stream!;
    expect(stream.cdTable?.rows).toHaveLength(1);
    const cd = stream.cdTable!.rows[0]!;
    expect(cd.ok).toBe(true);
    expect(cd.key?.ASID).toBe(BigInt(spec.fields.ASID as number));
    expect(cd.key?.TTB0).toBe(hexOf(String(spec.fields.TTB0)));
    expect(cd.verdict).toMatch(/^valid: ASID/);
  });

  it('reaches a nested stream\'s CD table through stage 2: the IPA the STE names, the PA it was read from', () => {
    const s = scenarioOf('smmu-nested');
    const cdStep = stepsOfKind(s, 'smmu.writeCd')[0]!;
    const stream = runTo(s, cdStep, { streams: { first: 0, count: 4 }, stream: 8 }).smmu!.stream!;
    expect(stream.cdTable?.nested).toBe(true);
    const cd = stream.cdTable!.rows[0]!;
    // The guest's RAM: IPA 0x8000_0000 is PA 0x2_0000_0000 (the vm0 map step), and the CD table is at IPA 0x8010_0000.
    expect(cd.ipa).toBe(0x8010_0000n);
    expect(cd.address).toBe(0x8010_0000n - 0x8000_0000n + 0x2_0000_0000n);
    expect(cd.ok).toBe(true);
  });

  it('says why a bypass stream has no CD table', () => {
    expect(runTo(TWO_LEVEL, 3, { streams: { first: 0, count: 1 }, stream: 0x1234 }).smmu!.stream!.note).toMatch(/no CD table: Config = bypass/);
    expect(runTo(TWO_LEVEL, 3, { streams: { first: 0, count: 1 }, stream: 0x20000 }).smmu!.stream!.note).toMatch(/beyond the stream table/);
  });
});

describe('the queues, tied to the steps that filled them', () => {
  it('links the F_TRANSLATION record to the DMA step that raised it', () => {
    const s = scenarioOf('smmu-stage1-dma');
    const last = s.steps.length;
    const view = runTo(s, last).smmu!;
    expect(view.eventQueue).toHaveLength(1);
    const record = view.eventQueue[0]!;
    const raising = s.steps[(record.step ?? 0) - 1];
    if (raising?.kind !== 'smmu.dma') throw new Error('the record names a DMA step');
    expect(record.name).toBe('F_TRANSLATION');
    expect(record.fields.StreamID).toBe(BigInt(raising.sid));
    expect(record.fields.InputAddr).toBe(hexOf(raising.address));
    expect(record.fields.RnW).toBe(raising.access === 'write' ? 0n : 1n);
    // Before that step the queue was empty.
    expect(runTo(s, (record.step ?? 1) - 1).smmu!.eventQueue).toEqual([]);
  });

  it('shows each command with what consuming it did, and the step that issued it', () => {
    const s = scenarioOf('smmu-stale-iotlb');
    const tlbiStep = stepsOfKind(s, 'smmu.commands').at(-1)!;
    const view = runTo(s, tlbiStep).smmu!;
    const tlbi = view.commandQueue.find((c) => c.op === 'CMD_TLBI_NH_VA');
    expect(tlbi?.step).toBe(tlbiStep);
    expect(tlbi?.summary).toMatch(/IOTLB/);
    expect(tlbi?.fields?.ASID).toBe(1n);
    const sync = view.commandQueue.at(-1);
    expect(sync?.op).toBe('CMD_SYNC');
    expect(sync?.step).toBe(tlbiStep);
    // The probe's own invalidations come first, issued at step 1.
    expect(view.commandQueue[0]?.step).toBe(1);
  });
});

describe('the caches', () => {
  it('smmu-stale-iotlb: the cached translation turns stale at the unmap, stays through the remap and the DMA, and is gone after the TLBI', () => {
    const s = scenarioOf('smmu-stale-iotlb');
    const [unmap] = stepsOfKind(s, 'pgtable.unmap');
    const tlbi = stepsOfKind(s, 'smmu.commands').at(-1)!;
    const firstDma = stepsOfKind(s, 'smmu.dma')[0]!;
    const remap = stepsOfKind(s, 'pgtable.map').at(-1)!;
    const remapSpec = s.steps[remap - 1];
    if (!unmap || remapSpec?.kind !== 'pgtable.map') throw new Error('an unmap and a remap');
    const tlbAt = (n: number) => runTo(s, n).smmu!.iotlb.rows;
    expect(tlbAt(firstDma).map((r) => r.stale)).toEqual([undefined]);
    expect(tlbAt(unmap)[0]?.stale).toEqual({ now: 'fault' });
    for (let n = remap; n < tlbi; n++) expect(tlbAt(n)[0]?.stale).toEqual({ now: hexOf(remapSpec.paddr) });
    expect(tlbAt(tlbi)).toEqual([]);
    // The last DMA walks again and caches the new translation, which agrees with memory.
    const after = tlbAt(s.steps.length);
    expect(after).toHaveLength(1);
    expect(after[0]?.output).toBe(hexOf(remapSpec.paddr));
    expect(after[0]?.stale).toBeUndefined();
  });

  it('holds the STE and CD the first DMA fetched, agreeing with memory', () => {
    const s = scenarioOf('smmu-stage1-dma');
    const cache = runTo(s, stepsOfKind(s, 'smmu.dma')[0]!).smmu!.configCache;
    expect(cache.stes.map((e) => [e.sid, e.stale])).toEqual([[3, false]]);
    expect(cache.cds.map((e) => [e.sid, e.ssid, e.stale])).toEqual([[3, 0, false]]);
  });
});
