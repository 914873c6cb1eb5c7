/**
 * Builds the page's view of the SMMU after a step, in the worker: the
 * engine's own views (stream table, queues, caches), trimmed to what the page
 * shows, and tied back to the steps that caused them (which step wrote an
 * event record, which step's sync consumed a command).
 */
import type { EngineEvent } from '../engine/events.ts';
import { commandQueueView, configCacheView, eventQueueView, iotlbView, streamTableView } from '../engine/index.ts';
import type { Smmu } from '../engine/hw/smmu/smmu.ts';
import { streamView } from './cd-table-view.ts';
import { steRowOf } from './ste-row.ts';
import { collectConsumed, collectRecords, latestStream } from './smmu-log.ts';
import type { CommandView, EventRecordView, L1RowView, SmmuView, SmmuViewRequest, SteGapView, SteRowView, StreamTableWindow, TlbRow } from './smmu-view-types.ts';
import { MAX_STREAM_WINDOW, MAX_TLB_ROWS } from './smmu-view-types.ts';

function clampWindow(first: number, count: number, size: number): { first: number; count: number } {
  const n = Math.max(1, Math.min(Math.trunc(count) || 1, MAX_STREAM_WINDOW));
  const f = Math.max(0, Math.min(Math.trunc(first) || 0, Math.max(0, size - 1)));
  return { first: f, count: Math.min(n, size - f) };
}

export function streamTableWindow(smmu: Smmu, first: number, count: number): StreamTableWindow {
  const t = smmu.streamTable;
  const size = 2 ** Math.min(t.log2size, smmu.features.sidBits);
  const w = clampWindow(first, count, size);
  const view = streamTableView(smmu, w.first, w.count);
  const l1: L1RowView[] = view.l1.map((d) => ({ ...d, firstSid: d.index * 2 ** t.split, stes: 2 ** Math.max(d.span - 1, 0) }));
  const bySid = new Map(view.stes.map((r) => [r.sid, r] as const));
  const rows: (SteRowView | SteGapView)[] = [];
  for (let sid = w.first; sid < w.first + w.count; sid++) {
    const r = bySid.get(sid);
    if (r) rows.push(steRowOf(r));
    else rows.push({ sid, reason: gapReason(view.fmt, sid, t.split, l1) });
  }
  return {
    fmt: view.fmt, base: view.base, log2size: view.log2size, split: view.split, size, l1,
    l1Count: view.fmt === '2-level' ? 2 ** Math.max(t.log2size - t.split, 0) : 0,
    first: w.first, count: w.count, rows,
  };
}

function gapReason(fmt: 'linear' | '2-level', sid: number, split: number, l1: readonly L1RowView[]): string {
  if (fmt === 'linear') return 'never written';
  const index = Math.floor(sid / 2 ** split);
  const d = l1.find((x) => x.index === index);
  if (!d) return `L1 descriptor ${index}: Span = 0, no L2 table`;
  return `beyond Span = ${d.span} of L1 descriptor ${index}`;
}

const STAGES: Record<number, string> = { 1: 'stage 1', 2: 'stage 2', 3: 'nested' };

function tlbRows(smmu: Smmu): SmmuView['iotlb'] {
  const all = iotlbView(smmu);
  const rows: TlbRow[] = all.slice(0, MAX_TLB_ROWS).map((e) => ({
    slot: e.slot, vmid: e.vmid, asid: e.asid, stage: STAGES[e.stage] ?? String(e.stage), input: e.input, size: e.size,
    output: e.output, perms: e.perms, level: e.level, hits: e.hits, ...(e.stale ? { stale: e.stale } : {}),
  }));
  return { rows, total: all.length, hits: smmu.iotlb.hitTotal, misses: smmu.iotlb.missTotal };
}

function eventRecords(smmu: Smmu, log: readonly (readonly EngineEvent[])[]): EventRecordView[] {
  const raised = collectRecords(log);
  return eventQueueView(smmu).map((r) => {
    const from = raised.get(r.address);
    return { index: r.index, address: r.address, words: r.words, name: r.decoded.name, fields: r.decoded.fields, ...(from ? { step: from.step, reason: from.reason } : {}) };
  });
}

function commands(smmu: Smmu, log: readonly (readonly EngineEvent[])[]): CommandView[] {
  const consumed = collectConsumed(log);
  return commandQueueView(smmu, 32).map((c) => {
    const done = consumed.get(c.address);
    // The slot may hold an older command the SMMU consumed long ago; only the same words count.
    const same = done && done.words[0] === c.words[0] && done.words[1] === c.words[1];
    return {
      index: c.index, address: c.address, words: c.words,
      ...(c.decoded ? { op: c.decoded.op, fields: c.decoded.fields } : {}),
      ...(same ? { step: done.step, summary: done.summary, invalidated: done.invalidated, ...(done.error ? { error: done.error } : {}) } : {}),
    };
  });
}

/** The whole view after `log.length` steps. */
export function buildSmmuView(smmu: Smmu, log: readonly (readonly EngineEvent[])[], request: SmmuViewRequest): SmmuView {
  const sid = request.stream === 'auto' ? latestStream(log) : request.stream;
  const cache = configCacheView(smmu);
  return {
    features: smmu.features,
    enabled: smmu.enabled,
    streamTable: streamTableWindow(smmu, request.streams.first, request.streams.count),
    ...(sid !== undefined ? { stream: streamView(smmu, sid) } : {}),
    eventQueue: eventRecords(smmu, log),
    commandQueue: commands(smmu, log),
    configCache: { stes: cache.stes, cds: cache.cds },
    iotlb: tlbRows(smmu),
  };
}
