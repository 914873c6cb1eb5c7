/**
 * Reading the event log for what the SMMU's memory cannot say by itself:
 * which step's DMA wrote an event record, which step made the SMMU consume a
 * command (and what it did), and which stream the lesson is about.
 */
import type { EngineEvent } from '../engine/events.ts';
import type { DmaOutcome } from '../engine/hw/smmu/dma-types.ts';
import type { ConsumedCommand } from '../engine/hw/smmu/smmu.ts';
import type { LinuxHwWrite } from '../engine/os/core/record-types.ts';
import { assertNever } from '../engine/util/assert.ts';
import { isVtdEvent } from '../engine/hw/vtd/command-types.ts';

/** Every DMA an event reports: a device's DMA, and those a Linux call made in flight during a domain switch. */
function dmasOf(e: EngineEvent): readonly DmaOutcome[] {
  if (e.kind === 'smmu.dma' || e.kind === 'linux.dma') return [e.outcome];
  if (e.kind === 'linux.called') return e.inflight.map((d) => d.outcome);
  return [];
}

/** Event-queue slot address -> the latest step (from 1) whose DMA wrote a record there. */
export function collectRecords(log: readonly (readonly EngineEvent[])[]): Map<bigint, { step: number; reason: string }> {
  const out = new Map<bigint, { step: number; reason: string }>();
  log.forEach((events, i) => {
    for (const e of events) {
      for (const outcome of dmasOf(e)) {
        const r = outcome.recorded;
        if (r && 'address' in r) out.set(r.address, { step: i + 1, reason: outcome.event?.reason ?? '' });
      }
    }
  });
  return out;
}

/** Commands the Linux driver's hardware writes made the SMMU consume (command batches and STE/CD update syncs). */
function hwConsumed(hw: readonly LinuxHwWrite[]): readonly ConsumedCommand[] {
  return hw.flatMap((w) => {
    if (w.kind === 'commands') return w.consumed;
    if (w.kind === 'ste' || w.kind === 'cd') return w.update.executed.flatMap((s) => (s.kind === 'sync' ? s.consumed : []));
    return [];
  });
}

export interface Consumption {
  readonly step: number;
  readonly words: readonly [bigint, bigint];
  readonly summary: string;
  readonly invalidated: number;
  readonly error?: string;
}

/** The commands each event made the SMMU consume. */
export function consumedBy(e: EngineEvent): readonly ConsumedCommand[] {
  if (isVtdEvent(e)) return []; // VT-d descriptors are not SMMU commands
  switch (e.kind) {
    case 'smmu.probed':
      return e.result.registers.flatMap((r) => r.consumed);
    case 'smmu.registerWritten':
    case 'smmu.commandsIssued':
      return e.consumed;
    case 'smmu.steUpdated':
    case 'smmu.cdUpdated':
      return e.update.executed.flatMap((s) => (s.kind === 'sync' ? s.consumed : []));
    case 'linux.booted':
      return [...(e.smmu?.result.registers.flatMap((r) => r.consumed) ?? []), ...hwConsumed(e.hw)];
    case 'linux.called':
      return hwConsumed(e.hw);
    case 'linux.dma':
    case 'linux.finding':
    case 'memory.written':
    case 'pgtable.created':
    case 'pgtable.mapped':
    case 'pgtable.unmapped':
    case 'walk.completed':
    case 'smmu.steWritten':
    case 'smmu.cdWritten':
    case 'smmu.dma':
    case 'smmu.dmaBurst':
    case 'command.rejected':
      return [];
    default:
      return assertNever(e, 'engine event');
  }
}

/** Command-queue slot address -> the latest consumption of a command there. */
export function collectConsumed(log: readonly (readonly EngineEvent[])[]): Map<bigint, Consumption> {
  const out = new Map<bigint, Consumption>();
  log.forEach((events, i) => {
    for (const e of events) {
      for (const c of consumedBy(e)) {
        out.set(c.address, { step: i + 1, words: c.words, summary: c.summary, invalidated: c.invalidated, ...(c.error ? { error: c.error } : {}) });
      }
    }
  });
  return out;
}

/** The StreamID the latest SMMU step named (a DMA, an STE or CD write or update). */
export function latestStream(log: readonly (readonly EngineEvent[])[]): number | undefined {
  for (let i = log.length - 1; i >= 0; i--) {
    const events = log[i] ?? [];
    for (let j = events.length - 1; j >= 0; j--) {
      const e = events[j];
      if (!e) continue;
      if (e.kind === 'smmu.dma' || e.kind === 'linux.dma') return e.outcome.tx.sid;
      if (e.kind === 'smmu.steWritten' || e.kind === 'smmu.cdWritten' || e.kind === 'smmu.steUpdated' || e.kind === 'smmu.cdUpdated') return e.sid;
    }
  }
  return undefined;
}
