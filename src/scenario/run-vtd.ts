/**
 * Result lines for the VT-d steps: what the CLI prints and tests check. A
 * DMA's fault is reported as the fault record holds it (reason number and
 * name, source-id, page address) and as Linux would print it.
 */
import type { VtdEvent } from '../engine/hw/vtd/command-types.ts';
import { linuxFaultMessage } from '../engine/hw/vtd/fault-record.ts';
import { type Hex, toHex } from './format.ts';

type Line<K extends string, T> = { readonly step: number; readonly kind: K } & T;

export interface VtdConsumedLine {
  readonly index: number;
  readonly summary: string;
  readonly invalidated: number;
  readonly error?: string;
}

export type VtdStepResult =
  | Line<'vtd.probe', { mode: string; rootTable: Hex; queue: { address: Hex; descBytes: number; slots: number }; registerWrites: number; processed: VtdConsumedLine[] }>
  | Line<'vtd.writeRegister', { register: string; old: Hex; value: Hex; processed: VtdConsumedLine[] }>
  | Line<'vtd.clearFault', { index: number; wasPending: boolean }>
  | Line<'vtd.writeContext', { sid: Hex; address: Hex; words: Hex[]; stores: number }>
  | Line<'vtd.writePasidEntry', { sid: Hex; pasid: number; address: Hex; words: Hex[]; stores: number }>
  | Line<'vtd.createPgtable', { name: string; format: string; levels: number; root: Hex }>
  | Line<'vtd.map', { table: string; iova: Hex; paddr: Hex; size: Hex; entries: number; tablesAllocated: number }>
  | Line<'vtd.unmap', { table: string; iova: Hex; size: Hex; unmapped: Hex; entries: number }>
  | Line<'vtd.invalidate', { tail: Hex; processed: VtdConsumedLine[] }>
  | Line<'vtd.dma', {
      sid: Hex; pasid?: number; address: Hex; access: string;
      result: 'translated' | 'untranslated' | 'blocked';
      output?: Hex; translation?: string; did?: number; iotlb?: 'hit' | 'miss'; levels?: number;
      fault?: { reason: Hex; name: string; condition?: string; why: string; recorded: string; linux: string };
    }>;

const consumedLines = (c: readonly { index: number; summary: string; effect?: { invalidated: number }; error?: string }[]): VtdConsumedLine[] =>
  c.map((x) => ({ index: x.index, summary: x.summary, invalidated: x.effect?.invalidated ?? 0, ...(x.error ? { error: x.error } : {}) }));

export function vtdEventResult(step: number, e: VtdEvent): VtdStepResult {
  switch (e.kind) {
    case 'vtd.probed':
      return { step, kind: 'vtd.probe', mode: e.mode, rootTable: toHex(e.rootTable), queue: { address: toHex(e.queue.base), descBytes: e.queue.descBytes, slots: e.queue.slots }, registerWrites: e.registerWrites.length, processed: consumedLines(e.consumed) };
    case 'vtd.registerWritten':
      return { step, kind: 'vtd.writeRegister', register: e.register, old: toHex(e.old), value: toHex(e.value), processed: consumedLines(e.consumed) };
    case 'vtd.faultCleared':
      return { step, kind: 'vtd.clearFault', index: e.index, wasPending: e.wasPending };
    case 'vtd.contextWritten':
      return { step, kind: 'vtd.writeContext', sid: toHex(BigInt(e.sid)), address: toHex(e.address), words: e.words.map(toHex), stores: e.writes.length };
    case 'vtd.pasidEntryWritten':
      return { step, kind: 'vtd.writePasidEntry', sid: toHex(BigInt(e.sid)), pasid: e.pasid, address: toHex(e.address), words: e.words.map(toHex), stores: e.writes.length };
    case 'vtd.pgtableCreated':
      return { step, kind: 'vtd.createPgtable', name: e.name, format: e.format, levels: e.levels, root: toHex(e.root) };
    case 'vtd.mapped':
      return { step, kind: 'vtd.map', table: e.table, iova: toHex(e.iova), paddr: toHex(e.paddr), size: toHex(e.size), entries: e.entries.length, tablesAllocated: e.tables.length };
    case 'vtd.unmapped':
      return { step, kind: 'vtd.unmap', table: e.table, iova: toHex(e.iova), size: toHex(e.size), unmapped: toHex(e.unmapped), entries: e.entries.length };
    case 'vtd.invalidated':
      return { step, kind: 'vtd.invalidate', tail: toHex(e.tail.value), processed: consumedLines(e.consumed) };
    case 'vtd.dma': {
      const o = e.outcome;
      const f = o.fault;
      return {
        step, kind: 'vtd.dma', sid: toHex(BigInt(o.request.sid)), ...(o.request.pasid === undefined ? {} : { pasid: o.request.pasid }),
        address: toHex(o.request.address), access: o.request.access.kind, result: o.result,
        ...(o.output === undefined ? {} : { output: toHex(o.output) }),
        ...(o.trace.translation ? { translation: o.trace.translation } : {}),
        ...(o.trace.did === undefined ? {} : { did: o.trace.did }),
        ...(o.trace.iotlb ? { iotlb: o.trace.iotlb.hit ? 'hit' as const : 'miss' as const } : {}),
        ...(o.trace.steps ? { levels: o.trace.steps.length } : {}),
        ...(f ? {
          fault: {
            reason: toHex(BigInt(f.reason)), name: f.name, ...(f.condition ? { condition: f.condition } : {}), why: f.why,
            recorded: f.recorded.recorded ? `fault recording register ${f.recorded.index}` : f.recorded.why,
            linux: linuxFaultMessage({ ...f.record, f: true }),
          },
        } : {}),
      };
    }
  }
}
