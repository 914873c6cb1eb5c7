/**
 * SMMUv3 events, shown plainly until they get diagrams of their own: what
 * happened, in the spec's words, and every memory write it made.
 */
import type { EngineEvent, MemoryWrite } from '../../engine/events.ts';
import { decodeEntry, type EntryKind } from '../../engine/hw/smmu/decoder.ts';
import { assertNever } from '../../engine/util/assert.ts';
import { inspectEntry, useAppStore } from '../../store/appStore.ts';
import { selectSmmu } from '../../store/selectors.ts';
import { hex64, hexGrouped } from '../format.ts';
import { WritesTable } from './WritesTable.tsx';

export type SmmuEvent = Extract<EngineEvent, { kind: `smmu.${string}` }>;

function summary(event: SmmuEvent): { title: string; lines: string[]; writes: readonly MemoryWrite[] } {
  switch (event.kind) {
    case 'smmu.probed':
      return { title: 'SMMU probed', lines: ['The driver read the ID registers and chose the features it will use.'], writes: [] };
    case 'smmu.registerWritten':
      return {
        title: `Register ${event.register} written`,
        lines: [`${hex64(event.old)} → ${hex64(event.value)}`, ...event.consumed.map((c) => `command ${c.index}: ${c.summary}`)],
        writes: [],
      };
    case 'smmu.steWritten':
      return { title: `STE for StreamID ${event.sid} written`, lines: [`at ${hexGrouped(event.address)}`], writes: event.writes };
    case 'smmu.cdWritten':
      return { title: `CD for StreamID ${event.sid}, SubstreamID ${event.ssid} written`, lines: [`at ${hexGrouped(event.address)}`], writes: event.writes };
    case 'smmu.steUpdated':
      return { title: `STE for StreamID ${event.sid} updated`, lines: [`at ${hexGrouped(event.update.address)}`], writes: event.update.setupWrites };
    case 'smmu.cdUpdated':
      return { title: `CD for StreamID ${event.sid}, SubstreamID ${event.ssid} updated`, lines: [`at ${hexGrouped(event.update.address)}`], writes: event.update.setupWrites };
    case 'smmu.commandsIssued':
      return {
        title: 'Commands issued',
        lines: [`CMDQ_PROD ${hexGrouped(event.prod.old)} → ${hexGrouped(event.prod.value)}`, ...event.consumed.map((c) => `command ${c.index}: ${c.summary}`)],
        writes: event.writes,
      };
    case 'smmu.dma':
      return {
        title: `DMA ${event.outcome.result}`,
        lines: event.outcome.output === undefined ? [] : [`output address ${hexGrouped(event.outcome.output)}`],
        writes: [],
      };
    case 'smmu.dmaBurst': {
      const b = event.burst;
      return {
        title: `${b.done.toLocaleString('en')} DMAs: ${b.translated.toLocaleString('en')} translated, ${b.terminated.toLocaleString('en')} terminated`,
        lines: [`IOTLB: ${b.iotlb.hits.toLocaleString('en')} hits, ${b.iotlb.misses.toLocaleString('en')} misses`, `configuration cache: ${b.configCache.hits.toLocaleString('en')} hits, ${b.configCache.misses.toLocaleString('en')} misses`, ...Object.entries(b.faults).map(([name, n]) => `${name}: ${n.toLocaleString('en')}`)],
        writes: [],
      };
    }
    default:
      return assertNever(event, 'SMMU event');
  }
}

/** An STE or CD a step wrote whole: what the SMMU will make of it, and a way to see every field. */
function WrittenEntry({ kind, words, label }: { kind: EntryKind; words: readonly bigint[]; label: string }) {
  // The SMMU's own features decide the verdict (a QEMU-like SMMU refuses stage 2).
  const features = useAppStore(selectSmmu)?.features;
  const v = decodeEntry(kind, words, features).verdict;
  return (
    <p className="effect-lead">
      <span className={v.ok ? undefined : 'dma-bad'}>{v.ok ? v.summary : `${v.event}: ${v.reason}`}</span>{' '}
      <button type="button" className="button button-small" onClick={() => inspectEntry({ source: 'words', kind, title: `${label} as this step wrote it`, words })}>
        Inspect {label}
      </button>
    </p>
  );
}

export function SmmuEventCard({ event }: { event: SmmuEvent }) {
  const { title, lines, writes } = summary(event);
  return (
    <section className="effect-card" aria-label={title}>
      <h3 className="effect-title">{title}</h3>
      {lines.map((line, i) => (
        <p key={i} className="effect-lead mono">{line}</p>
      ))}
      {event.kind === 'smmu.steWritten' && <WrittenEntry kind="STE" words={event.words} label={`STE ${event.sid}`} />}
      {event.kind === 'smmu.cdWritten' && <WrittenEntry kind="CD" words={event.words} label={`CD ${event.ssid}`} />}
      {writes.length > 0 && <WritesTable writes={writes} caption="Memory writes" />}
    </section>
  );
}
