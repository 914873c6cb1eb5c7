/**
 * Narration for VT-d events, kept apart from the VT-d view so the page can
 * narrate without loading the VT-d model (the view stays in the worker).
 */
import { bdf } from '../hw/vtd/bdf.ts';
import type { VtdEvent } from '../hw/vtd/command-types.ts';

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;

/** Narration for a VT-d event: plain words, the spec's names, every number from the event. */
export function vtdEventLines(e: VtdEvent): string[] {
  switch (e.kind) {
    case 'vtd.probed':
      return [`VT-d unit probed in ${e.mode} mode: root table at ${hex(e.rootTable)}, invalidation queue at ${hex(e.queue.base)} (${e.queue.slots} x ${e.queue.descBytes}-byte descriptors)`];
    case 'vtd.registerWritten':
      return [`${e.register} written: ${hex(e.old)} -> ${hex(e.value)}${e.consumed.length ? `; the unit processed ${e.consumed.map((c) => c.summary).join(', ')}` : ''}`];
    case 'vtd.faultCleared':
      return [`Fault record ${e.index} cleared${e.wasPending ? '' : ' (it held no pending fault)'}`];
    case 'vtd.contextWritten':
      return [`Context entry ${bdf(e.sid)} written at ${hex(e.address)} (${e.writes.length} stores)`];
    case 'vtd.pasidEntryWritten':
      return [`PASID entry ${e.pasid} of ${bdf(e.sid)} written at ${hex(e.address)} (${e.writes.length} stores)`];
    case 'vtd.pgtableCreated':
      return [`VT-d page table "${e.name}" created: ${e.format}, ${e.levels}-level, root at ${hex(e.root)}`];
    case 'vtd.mapped':
      return [`Mapped ${hex(e.size)} bytes at ${hex(e.iova)} -> ${hex(e.paddr)} in "${e.table}": ${e.entries.length} entries, ${e.tables.length} new tables`];
    case 'vtd.unmapped':
      return [`Unmapped ${hex(e.unmapped)} of ${hex(e.size)} bytes at ${hex(e.iova)} in "${e.table}" (no invalidation yet: the IOTLB may still hold it)`];
    case 'vtd.invalidated':
      return [`IQT ${hex(e.tail.old)} -> ${hex(e.tail.value)}: the unit processed ${e.consumed.length ? e.consumed.map((c) => `${c.summary}${c.effect ? ` (${c.effect.invalidated} dropped)` : ''}${c.error ? ` [${c.error}]` : ''}`).join(', ') : 'nothing'}`];
    case 'vtd.dma': {
      const o = e.outcome;
      const who = `${bdf(o.request.sid)}${o.request.pasid !== undefined ? ` PASID ${o.request.pasid}` : ''}`;
      if (o.fault) return [`DMA ${o.request.access.kind} from ${who} at ${hex(o.request.address)} blocked: fault reason ${hex(o.fault.reason)} ${o.fault.name} (${o.fault.text}); ${o.fault.why}`];
      return [`DMA ${o.request.access.kind} from ${who} at ${hex(o.request.address)} -> ${hex(o.output ?? 0n)} (${o.trace.translation}${o.trace.iotlb?.hit ? ', IOTLB hit' : ''})`];
    }
  }
}
