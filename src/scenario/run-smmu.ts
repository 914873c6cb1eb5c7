/**
 * Result lines for the SMMUv3 steps and the stage-2 pgtable.create: what the
 * CLI prints and tests check. The event record of a DMA is decoded from the
 * very words written into the event queue, so its fields are what a driver
 * would read there.
 */
import type { EngineEvent } from '../engine/index.ts';
import { decodeCommand } from '../engine/hw/smmu/command.ts';
import { EVENT_FIELDS, EVENT_IDS, type EventRecord, encodeEventRecord } from '../engine/hw/smmu/event-record.ts';
import { decodeFields } from '../engine/hw/smmu/fields.ts';
import type { ConsumedCommand } from '../engine/hw/smmu/smmu.ts';
import type { DmaOutcome } from '../engine/hw/smmu/dma-types.ts';
import type { EntryUpdate } from '../engine/os/arm-smmu-v3/update-entry.ts';
import { type Hex, type JsonFriendly, jsonFriendly, toHex } from './format.ts';
import type { ScenarioStep } from './steps.ts';
import { descriptorReads } from './walk-reads.ts';
import { burstLine, type BurstLine } from './smmu-burst.ts';

export interface ConsumedLine {
  /** Queue index the SMMU read it from. */
  readonly index: number;
  readonly op?: string;
  readonly summary: string;
  /** Configuration-cache or IOTLB entries it removed. */
  readonly invalidated: number;
  readonly error?: 'CERROR_ILL' | 'CERROR_ABT';
}

/** An event record's fields as the queue holds them (SMMUv3 "Event queue records"). */
export interface EventLine {
  readonly name: string;
  readonly EventID: Hex;
  readonly StreamID: number;
  readonly SSV: number;
  readonly SubstreamID?: number;
  readonly RnW?: number;
  readonly InD?: number;
  readonly PnU?: number;
  /** Translation faults: 1 when stage 2 raised it. */
  readonly S2?: number;
  /** Only for a stage-2 fault (S2 = 1): 0 CD fetch, 1 table walk, 2 input address. */
  readonly CLASS?: number;
  readonly InputAddr?: Hex;
  /** The stage-2 IPA, or the address of a failed fetch, when the event carries one. */
  readonly IPA?: Hex;
  readonly reason: string;
}

type Line<K extends string, T> = { readonly step: number; readonly kind: K } & T;

export type SmmuStepResult =
  | Line<'pgtable.create', { name: string; stage: 2; S2TTB: Hex; granule: number; inputSize: number; startLevel: number; S2PS: number; concatenated: number }>
  | Line<'smmu.probe', {
      preset: string;
      streamTable: { address: Hex; format: 'linear' | '2-level'; log2size: number; bytes: Hex };
      cmdq: { address: Hex; log2size: number };
      evtq: { address: Hex; log2size: number };
      initialisedStes: number;
      registerWrites: number;
      registers?: { register: string; old: Hex; value: Hex }[];
    }>
  | Line<'smmu.writeRegister', { register: string; old: Hex; value: Hex; consumed: ConsumedLine[] }>
  | Line<'smmu.writeSte', { sid: number; address: Hex; words: Hex[]; writes: number }>
  | Line<'smmu.writeCd', { sid: number; ssid: number; address: Hex; ipa?: Hex; words: Hex[]; writes: number }>
  | Line<'smmu.updateSte' | 'smmu.updateCd', UpdateLine>
  | Line<'smmu.commands', { issued: number; prod: { old: Hex; value: Hex }; consumed: ConsumedLine[]; cerror?: string }>
  | Line<'smmu.dma', DmaLine>
  | Line<'smmu.dmaBurst', BurstLine>;

export interface UpdateLine {
  readonly sid: number;
  readonly ssid?: number;
  readonly address: Hex;
  readonly writes: number;
  readonly syncs: number;
  readonly hitless: boolean;
  readonly strategy: string;
  readonly criticalQwords: number[];
  /** "write qword 1", "sync", ... in order. */
  readonly sequence: string[];
  readonly after: Hex[];
  readonly warnings?: string[];
  /** Stores made before the update itself: an L2 table allocated for the entry. */
  readonly setupWrites?: number;
  readonly trace?: ({ kind: 'write'; qword: number; value: Hex; why: string } | { kind: 'sync'; commands: string[]; why: string })[];
}

export interface DmaLine {
  readonly sid: number;
  readonly ssid?: number;
  readonly address: Hex;
  readonly access: string;
  readonly privileged: boolean;
  readonly result: 'translated' | 'bypassed' | 'terminated';
  readonly output?: Hex;
  readonly response?: 'abort' | 'RAZ/WI';
  /** The STE's configuration: "stage 1", "nested" ... */
  readonly config?: string;
  readonly ste?: 'cached' | 'fetched';
  readonly cd?: 'cached' | 'fetched';
  readonly tlb?: 'hit' | 'miss';
  /** Translation-table descriptors read by the walk, stage-2 walks of a nested walk included. */
  readonly walkReads?: number;
  readonly event?: EventLine;
  /** The event queue index the record went to, or why it was not recorded. */
  readonly recorded?: number | string;
  readonly trace?: JsonFriendly<DmaOutcome['trace']>;
}

export interface SmmuRunOptions {
  readonly trace?: boolean;
}

export function consumedLines(consumed: readonly ConsumedCommand[]): ConsumedLine[] {
  return consumed.map((c) => {
    const op = c.command?.op ?? decodeCommand(c.words)?.op;
    return { index: c.index, ...(op ? { op } : {}), summary: c.summary, invalidated: c.invalidated, ...(c.error ? { error: c.error } : {}) };
  });
}

/** Events about a translation: their records always hold S2 (and CLASS when S2 = 1), 0 meaning stage 1. */
const TRANSLATION_FAULTS: ReadonlySet<string> = new Set(['F_WALK_EABT', 'F_TRANSLATION', 'F_ADDR_SIZE', 'F_ACCESS', 'F_PERMISSION', 'F_TLB_CONFLICT']);

/** The fields the record carries (those the engine set for this event), with the values as encoded in the queue. */
export function eventLine(e: EventRecord): EventLine {
  const f = decodeFields(encodeEventRecord(e), EVENT_FIELDS);
  const n = (name: string) => Number(f[name] ?? 0n);
  const has = (name: keyof EventRecord) => e[name] !== undefined;
  const s2 = has('S2') || TRANSLATION_FAULTS.has(e.name);
  return {
    name: e.name,
    EventID: toHex(BigInt(EVENT_IDS[e.name])),
    StreamID: n('StreamID'),
    SSV: n('SSV'),
    ...(n('SSV') === 1 || has('SubstreamID') ? { SubstreamID: n('SubstreamID') } : {}),
    ...(has('RnW') ? { RnW: n('RnW') } : {}),
    ...(has('InD') ? { InD: n('InD') } : {}),
    ...(has('PnU') ? { PnU: n('PnU') } : {}),
    ...(s2 ? { S2: n('S2') } : {}),
    ...(s2 && n('S2') === 1 ? { CLASS: n('CLASS') } : {}),
    ...(has('InputAddr') ? { InputAddr: toHex(f.InputAddr ?? 0n) } : {}),
    ...(has('IPA') ? { IPA: toHex(f.IPA ?? 0n) } : {}),
    reason: e.reason,
  };
}

export function dmaLine(o: DmaOutcome, options: SmmuRunOptions): DmaLine {
  const t = o.trace;
  return {
    sid: o.tx.sid,
    ...(o.tx.ssid === undefined ? {} : { ssid: o.tx.ssid }),
    address: toHex(o.tx.address),
    access: o.tx.access.kind,
    privileged: o.tx.access.privileged,
    result: o.result,
    ...(o.output === undefined ? {} : { output: toHex(o.output) }),
    ...(o.response === undefined ? {} : { response: o.response }),
    ...(t.ste?.config === undefined ? {} : { config: t.ste.config }),
    ...(t.ste ? { ste: t.ste.cached ? 'cached' : 'fetched' } : {}),
    ...(t.cd ? { cd: t.cd.cached ? 'cached' : 'fetched' } : {}),
    ...(t.tlb ? { tlb: t.tlb.hit ? 'hit' : 'miss' } : {}),
    ...(t.walk ? { walkReads: descriptorReads(t.walk) } : {}),
    ...(o.event ? { event: eventLine(o.event) } : {}),
    ...(o.recorded === undefined ? {} : { recorded: 'index' in o.recorded ? o.recorded.index : o.recorded.dropped }),
    ...(options.trace ? { trace: jsonFriendly(t) } : {}),
  };
}

function updateLine(sid: number, ssid: number | undefined, u: EntryUpdate, options: SmmuRunOptions): UpdateLine {
  const p = u.plan;
  return {
    sid,
    ...(ssid === undefined ? {} : { ssid }),
    address: toHex(u.address),
    writes: p.writes,
    syncs: p.syncs,
    hitless: p.hitless,
    strategy: p.strategy,
    criticalQwords: [...p.criticalQwords],
    sequence: p.steps.map((s) => (s.kind === 'write' ? `write qword ${s.qword}` : 'sync')),
    after: u.after.map(toHex),
    ...(p.warnings.length > 0 ? { warnings: [...p.warnings] } : {}),
    ...(u.setupWrites.length > 0 ? { setupWrites: u.setupWrites.length } : {}),
    ...(options.trace
      ? {
          trace: p.steps.map((s) =>
            s.kind === 'write' ? { kind: 'write' as const, qword: s.qword, value: toHex(s.value), why: s.why } : { kind: 'sync' as const, commands: [...s.commands], why: s.why },
          ),
        }
      : {}),
  };
}

type SmmuEvent = Exclude<EngineEvent, { kind: 'memory.written' | 'pgtable.mapped' | 'pgtable.unmapped' | 'walk.completed' | 'command.rejected' | `linux.${string}` | `vtd.${string}` }>;

/** The result line of an SMMU event (or a stage-2 pgtable.created) for the step `scenarioStep` at `step`. */
export function smmuEventResult(step: number, scenarioStep: ScenarioStep, event: SmmuEvent, options: SmmuRunOptions): SmmuStepResult {
  switch (event.kind) {
    case 'pgtable.created': {
      if (event.stage !== 2) throw new Error('stage-1 tables are reported by run.ts');
      const c = event.config;
      return { step, kind: 'pgtable.create', name: event.name, stage: 2, S2TTB: toHex(c.S2TTB), granule: event.granule, inputSize: 64 - c.S2T0SZ, startLevel: event.startLevel, S2PS: c.S2PS, concatenated: event.concatenated };
    }
    case 'smmu.probed': {
      const r = event.result;
      return {
        step,
        kind: 'smmu.probe',
        preset: scenarioStep.kind === 'smmu.probe' ? scenarioStep.preset : '',
        streamTable: { address: toHex(r.streamTable.address), format: r.streamTable.fmt, log2size: r.streamTable.log2size, bytes: toHex(r.streamTable.bytes) },
        cmdq: { address: toHex(r.cmdq.address), log2size: r.cmdq.log2size },
        evtq: { address: toHex(r.evtq.address), log2size: r.evtq.log2size },
        initialisedStes: r.initialisedStes,
        registerWrites: r.registers.length,
        ...(options.trace ? { registers: r.registers.map((w) => ({ register: w.register, old: toHex(w.old), value: toHex(w.value) })) } : {}),
      };
    }
    case 'smmu.registerWritten':
      return { step, kind: 'smmu.writeRegister', register: event.register, old: toHex(event.old), value: toHex(event.value), consumed: consumedLines(event.consumed) };
    case 'smmu.steWritten':
      return { step, kind: 'smmu.writeSte', sid: event.sid, address: toHex(event.address), words: event.words.map(toHex), writes: event.writes.length };
    case 'smmu.cdWritten':
      return {
        step,
        kind: 'smmu.writeCd',
        sid: event.sid,
        ssid: event.ssid,
        address: toHex(event.address),
        ...(event.ipa === event.address ? {} : { ipa: toHex(event.ipa) }),
        words: event.words.map(toHex),
        writes: event.writes.length,
      };
    case 'smmu.steUpdated':
      return { step, kind: 'smmu.updateSte', ...updateLine(event.sid, undefined, event.update, options) };
    case 'smmu.cdUpdated':
      return { step, kind: 'smmu.updateCd', ...updateLine(event.sid, event.ssid, event.update, options) };
    case 'smmu.commandsIssued': {
      const consumed = consumedLines(event.consumed);
      const cerror = consumed.find((c) => c.error)?.error;
      return {
        step,
        kind: 'smmu.commands',
        // Each command is two qwords written into the queue.
        issued: event.writes.length / 2,
        prod: { old: toHex(event.prod.old), value: toHex(event.prod.value) },
        consumed,
        ...(cerror ? { cerror } : {}),
      };
    }
    case 'smmu.dma':
      return { step, kind: 'smmu.dma', ...dmaLine(event.outcome, options) };
    case 'smmu.dmaBurst':
      return { step, kind: 'smmu.dmaBurst', ...burstLine(event) };
  }
}
