/**
 * Runs a scenario on the real Engine and sums up each step's events as a
 * JSON-friendly result: what scripts, tests and the CLI check. Only a
 * summary: the UI animates the engine's own events.
 */
import { Engine, assertNever } from '../engine/index.ts';
import type { EngineEvent, MappedEntry, WalkResult } from '../engine/index.ts';
import { engineOptionsOf, stepToCommand } from './commands.ts';
import { type Hex, jsonFriendly, toHex } from './format.ts';
import type { Scenario } from './schema.ts';
import { type LinuxStepResult, linuxEventResult } from './run-linux.ts';
import { type SmmuStepResult, smmuEventResult } from './run-smmu.ts';
import { type VtdStepResult, vtdEventResult } from './run-vtd.ts';
import type { ScenarioStep } from './steps.ts';
import { descriptorReads } from './walk-reads.ts';

/** Entries written or cleared, grouped by level: [{level: 3, size: "0x1000", count: 2}]. */
export interface EntryGroup {
  readonly level: number;
  readonly size: Hex;
  readonly count: number;
}

export interface WalkTraceLevel {
  readonly level: number;
  readonly index: number;
  readonly tableAddress: Hex;
  readonly descriptorAddress: Hex;
  readonly descriptor?: Hex;
  readonly type?: string;
}

export type StepResult =
  | { readonly step: number; readonly kind: 'memory.write'; readonly address: Hex; readonly size: number; readonly value: Hex; readonly old?: Hex }
  | { readonly step: number; readonly kind: 'pgtable.create'; readonly name: string; readonly TTB0: Hex; readonly granule: number; readonly inputSize: number; readonly startLevel: number; readonly IPS: number }
  | {
      readonly step: number;
      readonly kind: 'pgtable.map';
      readonly table: string;
      readonly iova: Hex;
      readonly paddr: Hex;
      readonly size: Hex;
      readonly entries: EntryGroup[];
      readonly tablesAllocated: number;
      readonly writes: number;
    }
  | {
      readonly step: number;
      readonly kind: 'pgtable.unmap';
      readonly table: string;
      readonly iova: Hex;
      readonly size: Hex;
      readonly unmapped: Hex;
      readonly entries: EntryGroup[];
      readonly tablesFreed: number;
      readonly writes: number;
    }
  | {
      readonly step: number;
      readonly kind: 'walk';
      readonly table: string;
      readonly input: Hex;
      readonly access: 'read' | 'write' | 'exec';
      readonly privileged: boolean;
      readonly output?: Hex;
      readonly mappingSize?: Hex;
      readonly fault?: {
        readonly type: string;
        readonly level: number;
        readonly reason: string;
        readonly address?: Hex;
        /** A nested walk's fault: which stage, what stage 2 was translating (TT: a table address, IN: the output IPA), and the IPA. */
        readonly stage?: 1 | 2;
        readonly class?: string;
        readonly ipa?: Hex;
      };
      /** Levels the walk visited: descriptors fetched, a failed fetch included. */
      readonly levels: number;
      /** A nested walk: the stage-2 table it went through, and every descriptor it read (stage-2 walks included). */
      readonly stage2?: string;
      readonly reads?: number;
      readonly trace?: WalkTraceLevel[];
    }
  | SmmuStepResult
  | LinuxStepResult
  | VtdStepResult
  /** The engine refused the command (nothing changed), or failed on it. */
  | { readonly step: number; readonly kind: ScenarioStep['kind']; readonly error: string; readonly field?: string };

export interface RunOptions {
  /** Add each walk's per-level trace to its result, a DMA's full trace, an update's steps, a probe's register writes. */
  readonly trace?: boolean;
}

/** Yields one result per step, in order, as each step runs (the CLI prints them as they come). */
export function* runScenario(s: Scenario, options: RunOptions = {}): Generator<StepResult> {
  const engine = new Engine(engineOptionsOf(s));
  for (const [index, step] of s.steps.entries()) {
    let events: EngineEvent[];
    try {
      events = engine.apply(stepToCommand(step));
    } catch (error) {
      // The engine promises a command.rejected event instead; a throw is an engine bug, reported, not fatal.
      yield { step: index, kind: step.kind, error: `internal engine error: ${error instanceof Error ? error.message : String(error)}` };
      continue;
    }
    yield stepResult(index, step, events, options);
  }
}

export function stepResult(index: number, step: ScenarioStep, events: readonly EngineEvent[], options: RunOptions = {}): StepResult {
  const rejected = events.find((e) => e.kind === 'command.rejected');
  if (rejected) return { step: index, kind: step.kind, error: rejected.message, ...(rejected.field === undefined ? {} : { field: rejected.field }) };
  for (const event of events) {
    switch (event.kind) {
      case 'memory.written':
        return {
          step: index,
          kind: 'memory.write',
          address: toHex(event.write.address),
          size: event.write.size,
          value: toHex(event.write.value),
          ...(event.write.old === undefined ? {} : { old: toHex(event.write.old) }),
        };
      case 'pgtable.created':
        if (event.stage === 2) return smmuEventResult(index, step, event, options);
        return {
          step: index,
          kind: 'pgtable.create',
          name: event.name,
          TTB0: toHex(event.config.TTB0),
          granule: event.granule,
          inputSize: 64 - event.config.T0SZ,
          startLevel: event.startLevel,
          IPS: event.config.IPS,
        };
      case 'pgtable.mapped':
        return {
          step: index,
          kind: 'pgtable.map',
          table: event.table,
          iova: toHex(event.iova),
          paddr: toHex(event.paddr),
          size: toHex(event.size),
          entries: groupEntries(event.entries),
          tablesAllocated: event.tables.length,
          writes: event.writes.length,
        };
      case 'pgtable.unmapped':
        return {
          step: index,
          kind: 'pgtable.unmap',
          table: event.table,
          iova: toHex(event.iova),
          size: toHex(event.size),
          unmapped: toHex(event.unmapped),
          entries: groupEntries(event.entries),
          tablesFreed: event.tablesFreed.length,
          writes: event.writes.length,
        };
      case 'walk.completed':
        return walkResult(index, event.table, event.result, options, event.stage2);
      case 'smmu.probed':
      case 'smmu.registerWritten':
      case 'smmu.steWritten':
      case 'smmu.cdWritten':
      case 'smmu.steUpdated':
      case 'smmu.cdUpdated':
      case 'smmu.commandsIssued':
      case 'smmu.dma':
      case 'smmu.dmaBurst':
        return smmuEventResult(index, step, event, options);
      case 'linux.booted':
      case 'linux.called':
      case 'linux.dma':
      case 'linux.finding': {
        // A call's findings are events of their own after it: the line is built from all of the step's events.
        const line = linuxEventResult(index, step, events, options);
        if (line) return line;
        break;
      }
      case 'vtd.probed':
      case 'vtd.registerWritten':
      case 'vtd.faultCleared':
      case 'vtd.contextWritten':
      case 'vtd.pasidEntryWritten':
      case 'vtd.pgtableCreated':
      case 'vtd.mapped':
      case 'vtd.unmapped':
      case 'vtd.invalidated':
      case 'vtd.dma':
        return vtdEventResult(index, event);
      case 'command.rejected':
        break; // handled above
      default:
        return assertNever(event, 'engine event');
    }
  }
  return { step: index, kind: step.kind, error: `internal engine error: the engine reported nothing for this ${step.kind} step` };
}

function walkResult(index: number, table: string, r: WalkResult, options: RunOptions, stage2?: string): StepResult {
  const f = r.fault;
  return {
    step: index,
    kind: 'walk',
    table,
    input: toHex(r.input),
    access: r.access.kind,
    privileged: r.access.privileged,
    ...(r.output === undefined ? {} : { output: toHex(r.output) }),
    ...(r.mappingSize === undefined ? {} : { mappingSize: toHex(r.mappingSize) }),
    ...(f === undefined ? {} : { fault: jsonFriendly({ type: f.type, level: f.level, reason: f.reason, address: f.address, stage: f.stage, class: f.class, ipa: f.ipa }) }),
    levels: r.steps.length,
    ...(stage2 === undefined ? {} : { stage2, reads: descriptorReads(r) }),
    ...(options.trace
      ? {
          trace: r.steps.map((s) => ({
            level: s.level,
            index: s.index,
            tableAddress: toHex(s.tableAddress),
            descriptorAddress: toHex(s.descriptorAddress),
            ...(s.descriptor === undefined ? {} : { descriptor: toHex(s.descriptor) }),
            ...(s.decoded === undefined ? {} : { type: s.decoded.type }),
          })),
        }
      : {}),
  };
}

function groupEntries(entries: readonly MappedEntry[]): EntryGroup[] {
  const groups = new Map<string, { level: number; size: bigint; count: number }>();
  for (const e of entries) {
    const key = `${e.level}:${e.size}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { level: e.level, size: e.size, count: 1 });
  }
  return [...groups.values()].map((g) => ({ level: g.level, size: toHex(g.size), count: g.count }));
}
