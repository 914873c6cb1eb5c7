/**
 * The smmu.dmaBurst step: many DMAs from one stream in one step, for lessons
 * about IOTLB hit rates. Transaction i goes to base + (i × stride mod span);
 * the engine runs them untraced through the real DMA path and reports
 * totals. Its schema, engine command, timeline label and result line live
 * here; steps.ts, commands-smmu.ts, label-smmu.ts and run-smmu.ts refer to
 * them.
 */
import { z } from './zod.ts';
import type { EngineCommand, EngineEvent } from '../engine/index.ts';
import { parseU64 } from '../engine/index.ts';
import { MAX_BURST } from '../engine/hw/smmu/dma-burst.ts';
import { type Hex, toHex } from './format.ts';
import { boolField, hexField, intField, noteField, shown } from './fields.ts';
import { groupedHex } from './hex-text.ts';
import { sidField, ssidField } from './steps-smmu.ts';

const ACCESSES = ['read', 'write', 'exec'] as const;

export const smmuDmaBurstStep = z.strictObject({
  kind: z.literal('smmu.dmaBurst'),
  sid: sidField(),
  ssid: ssidField('The SubstreamID (PASID) every transaction carries; leave it out for transactions without one.').optional(),
  count: intField(1, MAX_BURST, 'How many DMA transactions to make.', `at most ${MAX_BURST.toLocaleString('en')}`),
  base: hexField('Input address of the first transaction (an IOVA, or an IPA for stage 2 only).'),
  stride: hexField('Bytes from one transaction to the next.'),
  span: hexField('Addresses wrap within [base, base + span): transaction i goes to base + (i × stride mod span).'),
  access: z
    .enum(ACCESSES, { error: (issue) => (issue.input === undefined ? undefined : `must be "read" or "write" or "exec" (got ${shown(issue.input)})`) })
    .meta({ description: 'Read, write, or instruction fetch, for every transaction.' }),
  privileged: boolField('Privileged accesses (PnU = 1). Default true.').optional(),
  note: noteField.optional(),
});

export type SmmuDmaBurstStep = z.infer<typeof smmuDmaBurstStep>;

export function burstStepToCommand(step: SmmuDmaBurstStep): EngineCommand {
  return {
    kind: 'smmu.dmaBurst',
    sid: step.sid,
    ...(step.ssid === undefined ? {} : { ssid: step.ssid }),
    count: step.count,
    base: parseU64(step.base, 'base'),
    stride: parseU64(step.stride, 'stride'),
    span: parseU64(step.span, 'span'),
    access: { kind: step.access, privileged: step.privileged ?? true },
  };
}

/** "1,000,000 DMAs sid 3 read 0x4000_0000 +0x40 within 2 MB". */
export function burstStepLabel(step: SmmuDmaBurstStep): string {
  return `${step.count.toLocaleString('en')} DMAs sid ${step.sid}${step.ssid === undefined ? '' : ` ssid ${step.ssid}`} ${step.privileged === false ? 'unprivileged ' : ''}${step.access} ${groupedHex(parseU64(step.base))}, stride ${groupedHex(parseU64(step.stride))}, within ${groupedHex(parseU64(step.span))}`;
}

export interface BurstLine {
  readonly sid: number;
  readonly ssid?: number;
  readonly count: number;
  readonly translated: number;
  readonly bypassed: number;
  readonly terminated: number;
  /** IOTLB hits and misses, and hits per lookup as a percentage with two decimals. */
  readonly iotlb: { readonly hits: number; readonly misses: number; readonly hitRate: string };
  readonly configCache: { readonly hits: number; readonly misses: number };
  /** Terminated transactions by the event they raised. */
  readonly faults: Readonly<Record<string, number>>;
  /** The first terminated transaction: its index in the burst, its address and its event, if any. */
  readonly firstFault?: { readonly index: number; readonly address: Hex; readonly event?: string };
  /** The hash of every output address, in order (8 hex digits). */
  readonly checksum: string;
}

export function burstLine(event: Extract<EngineEvent, { kind: 'smmu.dmaBurst' }>): BurstLine {
  const b = event.burst;
  const lookups = b.iotlb.hits + b.iotlb.misses;
  const f = b.firstFault;
  return {
    sid: b.request.sid,
    ...(b.request.ssid === undefined ? {} : { ssid: b.request.ssid }),
    count: b.done,
    translated: b.translated,
    bypassed: b.bypassed,
    terminated: b.terminated,
    iotlb: { ...b.iotlb, hitRate: lookups === 0 ? '-' : `${((100 * b.iotlb.hits) / lookups).toFixed(2)}%` },
    configCache: b.configCache,
    faults: b.faults,
    ...(f ? { firstFault: { index: f.index, address: toHex(f.outcome.tx.address), ...(f.outcome.event ? { event: f.outcome.event.name } : {}) } } : {}),
    checksum: `0x${b.checksum.toString(16).padStart(8, '0')}`,
  };
}
