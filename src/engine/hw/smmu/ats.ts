/**
 * The SMMU's side of PCIe ATS (SMMUv3 spec, "PCIe ATS"): answering a
 * Translation Request from its tables, and letting a translated transaction
 * through without a walk. Both need STE.EATS = 0b01 on a stream whose STE
 * translates: with EATS = 0, or a bypass STE, a Translation Request raises
 * F_BAD_ATS_TREQ and a translated transaction F_TRANSL_FORBIDDEN (Linux
 * therefore turns ATS off before it installs a bypass STE). An abort STE
 * refuses both silently. A Translation Request that meets a translation
 * fault is not an event: the completion grants no access (R = W = 0) and the
 * device decides what to do.
 */
import { runDma, type SmmuContext } from './dma.ts';
import type { DmaOutcome, DmaTransaction } from './dma-types.ts';
import type { EventName, EventRecord } from './event-record.ts';
import type { Smmu } from './smmu.ts';
import { decodeSte, type SteDecision } from './ste.ts';
import { fetchSte } from './stream-table.ts';

export interface AtsTranslationRequest {
  readonly sid: number;
  readonly ssid?: number;
  readonly address: bigint;
  /** The No Write flag: the device asks for read access only. */
  readonly noWrite: boolean;
}

export interface AtsCompletion {
  /** UR (Unsupported Request): the stream may not use ATS, or its configuration is broken. */
  readonly status: 'success' | 'UR';
  readonly read: boolean;
  readonly write: boolean;
  /** The translated address of the 4 KB page (when read or write is granted). */
  readonly output?: bigint;
  readonly why: string;
  /** The translation the SMMU made to answer (a read, then a write unless No Write). */
  readonly outcomes: readonly DmaOutcome[];
  readonly event?: EventRecord;
}

/** Translation-related faults are reported in the completion, not in the event queue. */
const COMPLETION_FAULTS: ReadonlySet<EventName> = new Set(['F_TRANSLATION', 'F_ADDR_SIZE', 'F_ACCESS', 'F_PERMISSION']);

function atsContext(smmu: Smmu): SmmuContext {
  return {
    mem: smmu.mem, features: smmu.features, configCache: smmu.configCache, iotlb: smmu.iotlb,
    enabled: smmu.enabled, gbpaAbort: smmu.gbpaAbort, streamTable: smmu.streamTable,
    recordEvent: (e) => (COMPLETION_FAULTS.has(e.name) ? { dropped: 'a fault on an ATS Translation Request is answered in the completion (R = W = 0), not recorded' } : smmu.recordEvent(e)),
  };
}

/** The STE as the SMMU would use it now (configuration cache, else the stream table, which then fills the cache). */
function steDecision(smmu: Smmu, sid: number): SteDecision | undefined {
  const cached = smmu.configCache.ste(sid);
  if (cached) return cached.decision;
  const fetched = fetchSte(smmu.mem, smmu.streamTable, smmu.features.sidBits, sid);
  if (!fetched.ok) return undefined;
  const decision = decodeSte(fetched.words, smmu.features);
  if (decision.kind !== 'bad') smmu.configCache.putSte(sid, { words: fetched.words, address: fetched.address, decision });
  return decision;
}

/** Why the stream may not use ATS, or null when STE.EATS allows full ATS translation. */
function atsRefused(d: SteDecision | undefined): { record: boolean; why: string } | null {
  if (!d) return { record: true, why: 'the STE could not be fetched' };
  if (d.kind === 'bad') return { record: true, why: `the STE is ILLEGAL: ${d.reason}` };
  if (d.kind === 'abort') return { record: false, why: 'the STE aborts every transaction of the stream' };
  if (d.kind === 'bypass') return { record: true, why: 'STE.Config is bypass: ATS is refused as if EATS = 0' };
  if (d.eats !== 1) return { record: true, why: `STE.EATS = ${d.eats}: the stream is not enabled for full ATS translation` };
  return null;
}

export function atsTranslationRequest(smmu: Smmu, req: AtsTranslationRequest): AtsCompletion {
  const none = { read: false, write: false, outcomes: [] as DmaOutcome[] };
  if (!smmu.enabled) return { status: 'UR', ...none, why: 'SMMUEN = 0: the SMMU translates nothing' };
  const refused = atsRefused(steDecision(smmu, req.sid));
  const tx: DmaTransaction = { sid: req.sid, address: req.address, access: { kind: 'read', privileged: false }, ...(req.ssid !== undefined ? { ssid: req.ssid } : {}) };
  if (refused) {
    if (!refused.record) return { status: 'UR', ...none, why: refused.why };
    const event: EventRecord = { name: 'F_BAD_ATS_TREQ', StreamID: req.sid, InputAddr: req.address, RnW: req.noWrite, reason: `ATS Translation Request refused: ${refused.why}`, ...(req.ssid !== undefined ? { SubstreamID: req.ssid } : {}) };
    smmu.recordEvent(event);
    return { status: 'UR', ...none, why: refused.why, event };
  }
  const ctx = atsContext(smmu);
  const read = runDma(ctx, tx);
  if (read.result === 'terminated' && read.event && !COMPLETION_FAULTS.has(read.event.name)) {
    return { status: 'UR', ...none, outcomes: [read], why: `${read.event.name}: ${read.event.reason}`, event: read.event };
  }
  // S1DSS = bypass on a CD-table STE translates 1:1 ("Full ATS skipping stage 1"): that is an answer too.
  const granted = (o: DmaOutcome) => o.result === 'translated' || o.result === 'bypassed';
  if (!granted(read)) {
    return { status: 'success', ...none, outcomes: [read], why: read.event ? `no access: ${read.event.reason}` : 'no access' };
  }
  const page = (read.output as bigint) & ~0xfffn;
  if (req.noWrite) return { status: 'success', read: true, write: false, output: page, outcomes: [read], why: 'read access granted (No Write requested)' };
  const write = runDma(ctx, { ...tx, access: { kind: 'write', privileged: false } });
  const w = granted(write);
  return { status: 'success', read: true, write: w, output: page, outcomes: [read, write], why: w ? 'read and write access granted' : 'read access only: the translation does not allow writes' };
}

/**
 * A translated request (AT = Translated): the device already holds the
 * physical address, so the SMMU only checks that the stream may use ATS.
 */
export function translatedTransaction(smmu: Smmu, tx: DmaTransaction): DmaOutcome {
  const trace = { smmuEnabled: smmu.enabled };
  if (!smmu.enabled) return { tx, result: smmu.gbpaAbort ? 'terminated' : 'bypassed', ...(smmu.gbpaAbort ? {} : { output: tx.address }), trace };
  const refused = atsRefused(steDecision(smmu, tx.sid));
  if (!refused) return { tx, result: 'translated', output: tx.address, trace };
  if (!refused.record) return { tx, result: 'terminated', response: 'abort', trace };
  const event: EventRecord = {
    name: 'F_TRANSL_FORBIDDEN', StreamID: tx.sid, InputAddr: tx.address, RnW: tx.access.kind !== 'write',
    reason: `translated transaction refused: ${refused.why}`, ...(tx.ssid !== undefined ? { SubstreamID: tx.ssid } : {}),
  };
  return { tx, result: 'terminated', response: 'abort', trace, event, recorded: smmu.recordEvent(event) };
}
