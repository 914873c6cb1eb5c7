/**
 * The narration line(s) for a step, written from the events the engine
 * reported for it: plain words, the spec's and the kernel's names, every
 * number taken from the event. Pure: events in, text out.
 */
import type { EngineEvent } from '../../engine/events.ts';
import type { StageWalk, WalkResult } from '../../engine/hw/pgtable/types.ts';
import type { DmaOutcome } from '../../engine/hw/smmu/dma-types.ts';
import { isVtdEvent } from '../../engine/hw/vtd/command-types.ts';
import { vtdEventLines } from '../../engine/views/vtd-narration.ts';
import { formatSize, faultTitle } from '../format.ts';

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function argText(value: unknown): string {
  if (typeof value === 'bigint') return hex(value);
  if (value === null) return 'NULL';
  if (Array.isArray(value)) return value.map(argText).join(' | ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && Object.values(value).every((v) => typeof v === 'boolean')) {
    // Flags such as prot read as the kernel's names: IOMMU_READ | IOMMU_WRITE.
    const set = Object.entries(value).filter(([, v]) => v === true).map(([k]) => `IOMMU_${k.toUpperCase()}`);
    return set.length ? set.join(' | ') : '0';
  }
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? hex(v) : v));
}

/** "iommu_group_claim_dma_owner(group 1, vfio)": a group argument given by number reads "group n". */
export function callText(call: string, args: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(args).map(([name, value]) => (name === 'group' && typeof value === 'number' ? `group ${value}` : argText(value)));
  return `${call}(${parts.join(', ')})`;
}

function stageWalkText(walk: StageWalk): string {
  if (walk.fault) return `${faultTitle(walk.fault.type)} at level ${walk.fault.level}`;
  return `${plural(walk.steps.length, 'read')}${walk.output === undefined ? '' : ` -> ${hex(walk.output)}`}`;
}

/** The number of descriptor reads a walk made, stage-2 sub-walks included. */
export function walkReads(walk: WalkResult): number {
  let reads = 0;
  for (const step of walk.steps) reads += 1 + (step.s2?.steps.length ?? 0);
  return reads + (walk.stage2?.steps.length ?? 0);
}

export function walkText(walk: WalkResult, what: string): string {
  const reads = walkReads(walk);
  const levels = walk.steps.map((s) => s.level).join(', ');
  const head = `${what} of ${hex(walk.input)}: ${plural(reads, 'descriptor read')} (stage-1 levels ${levels || 'none'})`;
  if (walk.fault) return `${head}; ${faultTitle(walk.fault.type)} at level ${walk.fault.level}${walk.fault.stage === 2 ? ' of stage 2' : ''}: ${walk.fault.reason}`;
  return `${head} -> PA ${walk.output === undefined ? '?' : hex(walk.output)}${walk.mappingSize === undefined ? '' : ` (${formatSize(walk.mappingSize)} mapping)`}`;
}

/** A DMA through the SMMU, one line per stop of the translation procedure. */
export function dmaLines(outcome: DmaOutcome): string[] {
  const { tx, trace } = outcome;
  const lines = [`DMA ${tx.access.kind} from StreamID ${hex(tx.sid)}${tx.ssid === undefined ? '' : `, SubstreamID ${tx.ssid}`} to ${hex(tx.address)}`];
  if (!trace.smmuEnabled) lines.push('CR0.SMMUEN = 0: GBPA decides');
  const ste = trace.ste;
  if (ste) {
    const from = ste.cached ? 'from the configuration cache' : `fetched from ${ste.address === undefined ? 'memory' : hex(ste.address)}`;
    lines.push(`STE ${hex(tx.sid)} ${from}${ste.config === undefined ? '' : `: Config = ${ste.config}`}`);
  }
  const cd = trace.cd;
  if (cd) {
    const from = cd.cached ? 'from the configuration cache' : `fetched from ${cd.address === undefined ? 'memory' : hex(cd.address)}`;
    const nested = cd.ipa !== undefined && cd.s2 ? ` (IPA ${hex(cd.ipa)}, stage 2: ${stageWalkText(cd.s2)})` : '';
    lines.push(`CD ${cd.ssid} ${from}${nested}${cd.asid === undefined ? '' : `: ASID ${cd.asid}`}`);
  }
  if (trace.s1Bypassed) lines.push('No SubstreamID and STE.S1DSS = bypass: stage 1 skipped');
  if (trace.tlb) lines.push(trace.tlb.hit ? 'IOTLB hit: no walk' : 'IOTLB miss');
  if (trace.walk) lines.push(walkText(trace.walk, trace.walk.stage2 || trace.walk.steps.some((s) => s.s2) ? 'Nested walk' : 'Walk'));
  if (outcome.result === 'terminated') {
    const event = outcome.event ? `: ${outcome.event.name} (${outcome.event.reason})` : '';
    const rec = outcome.recorded;
    const where = !rec ? '' : 'index' in rec ? `, recorded at event-queue index ${rec.index}` : `, not recorded: ${rec.dropped}`;
    lines.push(`Terminated, the device sees ${outcome.response ?? 'an abort'}${event}${where}`);
  } else {
    lines.push(`${outcome.result === 'bypassed' ? 'Bypassed' : 'Translated'} to PA ${outcome.output === undefined ? '?' : hex(outcome.output)}`);
  }
  return lines;
}

function linuxCalledLines(e: Extract<EngineEvent, { kind: 'linux.called' }>): string[] {
  const switched = [...new Set(e.checkpoints.map((c) => c.group))];
  const moves = switched.flatMap((id) => {
    const g = e.groups.find((x) => x.id === id);
    return g ? [`${g.devices.join(', ')} -> ${g.domain ?? 'NULL'}`] : [];
  });
  const lines = [`${callText(e.call.call, e.call.args as Readonly<Record<string, unknown>>)} = ${e.returned}${moves.length ? `: ${moves.join('; ')}` : ''}`];
  if (e.hw.length > 0) lines.push(`${plural(e.hw.length, 'hardware write')} (STE/CD stores, syncs and commands)`);
  for (const w of e.warnings) lines.push(`Kernel: ${w}`);
  return lines;
}

/** The narration of one event: zero or more lines. */
export function narrateEvent(e: EngineEvent): string[] {
  if (isVtdEvent(e)) return vtdEventLines(e);
  switch (e.kind) {
    case 'memory.written':
      return [`Memory ${hex(e.write.address)} written: ${e.write.old === undefined ? 'never written' : hex(e.write.old)} -> ${hex(e.write.value)} (${e.write.what})`];
    case 'pgtable.created':
      return [`Page table "${e.name}" created: stage ${e.stage}, ${formatSize(BigInt(e.granule))} granule, walks start at level ${e.startLevel}, root table at ${hex(e.root.address)}`];
    case 'pgtable.mapped':
      return [`Mapped ${formatSize(e.size)} at IOVA ${hex(e.iova)} -> PA ${hex(e.paddr)} in "${e.table}": ${plural(e.entries.length, 'entry', 'entries')}, ${plural(e.tables.length, 'new table')}, ${plural(e.writes.length, 'memory write')}`];
    case 'pgtable.unmapped':
      return [`Unmapped ${formatSize(e.unmapped)} of ${formatSize(e.size)} at IOVA ${hex(e.iova)} in "${e.table}": ${plural(e.entries.length, 'entry', 'entries')} cleared, ${plural(e.tablesFreed.length, 'table')} freed`];
    case 'walk.completed':
      return [walkText(e.result, `Stage-${e.stage} walk in "${e.table}"${e.stage2 ? ` nested in "${e.stage2}"` : ''}`)];
    case 'smmu.probed':
      return [`SMMU probed: ${e.result.streamTable.fmt} stream table at ${hex(e.result.streamTable.address)}, command queue at ${hex(e.result.cmdq.address)}, event queue at ${hex(e.result.evtq.address)}`];
    case 'smmu.registerWritten':
      return [`${e.register} written: ${hex(e.old)} -> ${hex(e.value)}${e.consumed.length ? `; the SMMU consumed ${e.consumed.map((c) => c.summary).join(', ')}` : ''}`];
    case 'smmu.steWritten':
      return [`STE ${hex(e.sid)} written at ${hex(e.address)} (${plural(e.writes.length, 'store')})`];
    case 'smmu.cdWritten':
      return [`CD ${e.ssid} of StreamID ${hex(e.sid)} written at ${hex(e.address)} (${plural(e.writes.length, 'store')})`];
    case 'smmu.steUpdated':
      return [`STE ${hex(e.sid)} at ${hex(e.update.address)} updated in ${plural(e.update.executed.length, 'store or sync', 'stores and syncs')}`];
    case 'smmu.cdUpdated':
      return [`CD ${e.ssid} of StreamID ${hex(e.sid)} at ${hex(e.update.address)} updated in ${plural(e.update.executed.length, 'store or sync', 'stores and syncs')}`];
    case 'smmu.commandsIssued':
      return [`CMDQ_PROD ${hex(e.prod.old)} -> ${hex(e.prod.value)}: the SMMU consumed ${e.consumed.length ? e.consumed.map((c) => c.summary).join(', ') : 'nothing'}`];
    case 'smmu.dma':
      return dmaLines(e.outcome);
    case 'smmu.dmaBurst':
      return [`${plural(e.burst.done, 'DMA')} from StreamID ${hex(e.burst.request.sid)}: IOTLB ${e.burst.iotlb.hits} hits, ${e.burst.iotlb.misses} misses; ${e.burst.terminated} terminated`];
    case 'linux.booted':
      return [
        `Linux booted: ${plural(e.boot.probed.length, 'device')} probed into ${plural(e.groups.length, 'iommu_group')}`,
        ...e.groups.map((g) => `group ${g.id}: ${g.devices.join(', ')} -> ${g.domain ?? 'NULL'}`),
      ];
    case 'linux.called':
      return linuxCalledLines(e);
    case 'linux.dma':
      return [`${e.device} DMA ${e.landed === 'domain' ? 'landed' : e.landed}: ${e.why}`, ...dmaLines(e.outcome).slice(1)];
    case 'linux.finding':
      return [`Finding ${e.finding.rule}: ${e.finding.message}`];
    case 'command.rejected':
      return [`Refused: ${e.message}${e.field ? ` (${e.field})` : ''}`];
  }
}

/** The whole step's narration, in the order the engine reported it. */
export function narrateStep(events: readonly EngineEvent[]): string[] {
  return events.flatMap(narrateEvent);
}
