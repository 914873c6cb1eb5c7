/**
 * One DMA transaction through the SMMU (SMMUv3 spec, "Translation
 * procedure"): GBPA when disabled, the STE (config cache or stream table),
 * SubstreamID checks and S1DSS, the CD (config cache or CD table, through
 * stage 2 when nested), the IOTLB, and the walk. Every way it can end is an
 * outcome with the event record the spec names for it.
 */
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import { hi32, lo32 } from '../../util/u64.ts';
import { translateStage1, translateStage2, encodeAccess } from '../pgtable/translate.ts';
import type { WalkTables } from '../pgtable/tables.ts';
import type { WalkResult } from '../pgtable/types.ts';
import { decodeCd, type ContextConfig } from './cd.ts';
import { fetchCd } from './cd-table.ts';
import type { ConfigCache } from './config-cache.ts';
import { badSubstream, CLASS, configError, streamDisabled, translationFault, walkFaultEvent } from './dma-events.ts';
import type { DmaOutcome, DmaTrace, DmaTransaction, StreamConfigName } from './dma-types.ts';
import type { EventRecord } from './event-record.ts';
import type { SmmuFeatures } from './features.ts';
import { TlbStage, type Iotlb } from './iotlb.ts';
import { decodeSte, type SteDecision, type SteStage1 } from './ste.ts';
import { fetchSte, type StreamTableConfig } from './stream-table.ts';
import { tlbEntryFromWalk } from './tlb-fill.ts';

export interface SmmuContext {
  readonly mem: PhysicalMemory;
  readonly features: SmmuFeatures;
  readonly configCache: ConfigCache;
  readonly iotlb: Iotlb;
  readonly enabled: boolean;
  /** GBPA.ABORT: what happens to traffic while SMMUEN = 0. */
  readonly gbpaAbort: boolean;
  readonly streamTable: StreamTableConfig;
  /** Writes a record to the event queue if it can. */
  recordEvent(e: EventRecord): { index: number; address: bigint } | { dropped: string };
}

function configName(d: SteDecision): StreamConfigName | undefined {
  if (d.kind === 'abort') return 'abort';
  if (d.kind === 'bypass') return 'bypass';
  if (d.kind !== 'translate') return undefined;
  return d.s1 && d.s2 ? 'nested' : d.s1 ? 'stage 1' : 'stage 2';
}

class Transaction {
  trace: DmaTrace;
  constructor(readonly ctx: SmmuContext, readonly tx: DmaTransaction) {
    this.trace = { smmuEnabled: ctx.enabled };
  }

  /** Terminates the transaction; the event goes to the queue only when `record`. */
  terminate(event: EventRecord | undefined, record = true, response: 'abort' | 'RAZ/WI' = 'abort'): DmaOutcome {
    const recorded = event && (record ? this.ctx.recordEvent(event) : { dropped: 'not recorded: the CD.R / STE.S2R bit that governs this fault is 0' });
    return { tx: this.tx, result: 'terminated', response, trace: this.trace, ...(event ? { event, recorded } : {}) };
  }

  /** Untranslated traffic must still fit the SMMU's address size (IAS = OAS here). */
  pass(): DmaOutcome {
    if (this.tx.address >> BigInt(this.ctx.features.oasBits) !== 0n) {
      const why = `the input address is beyond the ${this.ctx.features.oasBits}-bit address size, so it cannot pass untranslated`;
      return this.terminate(translationFault(this.tx, 'F_ADDR_SIZE', why, { s2: false, cls: CLASS.IN }));
    }
    return { tx: this.tx, result: 'bypassed', output: this.tx.address, trace: this.trace };
  }
}

export function runDma(ctx: SmmuContext, tx: DmaTransaction): DmaOutcome {
  const t = new Transaction(ctx, tx);
  if (!ctx.enabled) {
    // While disabled there is no event queue to report to: out-of-range traffic is simply terminated.
    if (ctx.gbpaAbort || tx.address >> BigInt(ctx.features.oasBits) !== 0n) return t.terminate(undefined, false);
    return { tx, result: 'bypassed', output: tx.address, trace: t.trace };
  }

  // The STE: from the configuration cache, or fetched from the stream table.
  let ste = ctx.configCache.ste(tx.sid);
  const cached = ste !== undefined;
  if (!ste) {
    const fetched = fetchSte(ctx.mem, ctx.streamTable, ctx.features.sidBits, tx.sid);
    if (!fetched.ok) {
      t.trace = { ...t.trace, ste: { cached: false, ...(fetched.l1 ? { l1: fetched.l1 } : {}) } };
      return t.terminate(configError(tx, fetched.event, fetched.reason, fetched.fetchAddress));
    }
    ste = { words: fetched.words, address: fetched.address, decision: decodeSte(fetched.words, ctx.features) };
    if (ste.decision.kind !== 'bad') ctx.configCache.putSte(tx.sid, ste);
    t.trace = { ...t.trace, ste: { cached: false, address: fetched.address, words: fetched.words, ...(fetched.l1 ? { l1: fetched.l1 } : {}) } };
  } else {
    t.trace = { ...t.trace, ste: { cached: true, address: ste.address, words: ste.words } };
  }
  const d = ste.decision;
  t.trace = { ...t.trace, ste: { ...t.trace.ste, cached, config: configName(d) } };
  if (d.kind === 'bad') return t.terminate(configError(tx, 'C_BAD_STE', d.reason));
  if (d.kind === 'abort') return t.terminate(undefined, false);
  // A SubstreamID is illegal unless stage 1 is enabled, whatever stage 2 does.
  if (tx.ssid !== undefined && (d.kind === 'bypass' || !d.s1)) return t.terminate(badSubstream(tx, `SubstreamID ${tx.ssid} on a stream whose STE does not enable stage 1 (Config = ${configName(d)})`));
  if (d.kind === 'bypass') return t.pass();

  let cd: ContextConfig | null = null;
  if (d.s1) {
    const pick = selectSubstream(tx, d.s1);
    if ('event' in pick) return t.terminate(pick.event);
    if (pick.ssid === undefined) t.trace = { ...t.trace, s1Bypassed: true };
    else {
      const got = loadCd(t, d.s1, d.s2?.tables ?? null, d.s2?.record ?? false, pick.ssid);
      if ('outcome' in got) return got.outcome;
      cd = got.cd;
    }
  }
  if (!cd && !d.s2) return t.pass(); // S1DSS = bypass with stage 2 off
  if (!cd && tx.address >> BigInt(ctx.features.oasBits) !== 0n) return t.pass(); // stage 1 bypassed: the input must fit IAS before stage 2

  const stage = cd && d.s2 ? TlbStage.Nested : cd ? TlbStage.S1 : TlbStage.S2;
  const asid = cd ? cd.asid : -1;
  const response = cd && !cd.abort ? 'RAZ/WI' : 'abort';
  const hi = hi32(tx.address);
  const lo = lo32(tx.address);
  const slot = ctx.iotlb.lookup(d.vmid, asid, hi, lo);
  if (slot >= 0) {
    t.trace = { ...t.trace, tlb: { hit: true, entry: ctx.iotlb.view(slot) } };
    const denied = ctx.iotlb.deniedBy(slot, encodeAccess(tx.access));
    if (denied === 0) return { tx, result: 'translated', output: (BigInt(ctx.iotlb.outputHi(slot, hi)) << 32n) | BigInt(ctx.iotlb.outputLo(slot, lo)), trace: t.trace };
    const why = `permission fault from the cached translation at stage ${denied}`;
    const ev = denied === 1
      ? translationFault(tx, 'F_PERMISSION', why, { s2: false, cls: CLASS.IN })
      : translationFault(tx, 'F_PERMISSION', why, { s2: true, cls: CLASS.IN, ipa: ctx.iotlb.ipaOf(slot, hi, lo) & ~0xfffn });
    return t.terminate(ev, denied === 1 ? (cd?.record ?? false) : (d.s2?.record ?? false), response);
  }
  t.trace = { ...t.trace, tlb: { hit: false } };

  const walk: WalkResult = cd
    ? translateStage1(ctx.mem, cd.regime, tx.address, tx.access, d.s2?.tables ?? null)
    : translateStage2(ctx.mem, (d.s2 as { tables: WalkTables }).tables, tx.address, tx.access);
  t.trace = { ...t.trace, walk };
  if (walk.fault) {
    const f = walk.fault;
    const atStage2 = f.stage === 2 || stage === TlbStage.S2;
    const cls = f.class === 'TT' ? CLASS.TT : CLASS.IN;
    const record = f.type === 'externalAbort' || (atStage2 ? (d.s2?.record ?? false) : (cd?.record ?? false));
    return t.terminate(walkFaultEvent(tx, f, atStage2, cls, f.ipa ?? tx.address), record, response);
  }
  ctx.iotlb.insert(tlbEntryFromWalk(walk, stage, d.vmid, asid, cd ? cd.regime : null));
  return { tx, result: 'translated', output: walk.output as bigint, trace: t.trace };
}

/** Which CD a transaction uses (SubstreamID rules and S1DSS), or the event it raises; ssid undefined = stage 1 bypassed. */
function selectSubstream(tx: DmaTransaction, s1: SteStage1): { ssid: number | undefined } | { event: EventRecord } {
  if (tx.ssid !== undefined) {
    if (s1.s1CdMax === 0 || tx.ssid >= 2 ** s1.s1CdMax) {
      return { event: badSubstream(tx, `SubstreamID ${tx.ssid} is out of range: S1CDMax = ${s1.s1CdMax} allows ${s1.s1CdMax === 0 ? 'no SubstreamIDs' : `0 to ${2 ** s1.s1CdMax - 1}`}`) };
    }
    // With S1DSS = 0b10, CD 0 belongs to traffic without a SubstreamID: SubstreamID 0 itself is refused.
    if (tx.ssid === 0 && s1.s1dss === 2) return { event: streamDisabled(tx, 'SubstreamID 0 is reserved for traffic without a SubstreamID when S1DSS = 0b10') };
    return { ssid: tx.ssid };
  }
  if (s1.s1CdMax === 0) return { ssid: 0 };
  if (s1.s1dss === 0) return { event: streamDisabled(tx, 'a transaction without a SubstreamID and S1DSS = terminate') };
  return { ssid: s1.s1dss === 2 ? 0 : undefined };
}

function loadCd(t: Transaction, s1: SteStage1, s2: WalkTables | null, s2Record: boolean, ssid: number): { cd: ContextConfig } | { outcome: DmaOutcome } {
  const { ctx, tx } = t;
  const cached = ctx.configCache.cd(tx.sid, ssid);
  if (cached && cached.decision.kind === 'ok') {
    t.trace = { ...t.trace, cd: { cached: true, ssid, address: cached.address, words: cached.words, asid: cached.decision.cd.asid } };
    return { cd: cached.decision.cd };
  }
  const got = fetchCd(ctx.mem, s1, s2, ssid);
  if (!got.ok) {
    if (got.event === 'stage2') {
      t.trace = { ...t.trace, cd: { cached: false, ssid, ipa: got.ipa, s2: got.s2 } };
      const f = got.fault;
      const record = f.type === 'externalAbort' || s2Record;
      return { outcome: t.terminate(walkFaultEvent(tx, f, true, CLASS.CD, got.ipa), record) };
    }
    t.trace = { ...t.trace, cd: { cached: false, ssid, ...(got.l1 ? { l1: got.l1 } : {}) } };
    const ev = got.event === 'C_BAD_SUBSTREAMID' ? badSubstream(tx, got.reason) : configError(tx, got.event, got.reason, got.fetchAddress);
    return { outcome: t.terminate(ev) };
  }
  const decision = decodeCd(got.words, ctx.features);
  t.trace = {
    ...t.trace,
    cd: { cached: false, ssid, ipa: got.ipa, address: got.address, words: got.words, ...(got.l1 ? { l1: got.l1 } : {}), ...(got.s2 ? { s2: got.s2 } : {}), ...(decision.kind === 'ok' ? { asid: decision.cd.asid } : {}) },
  };
  if (decision.kind === 'bad') return { outcome: t.terminate(configError(tx, 'C_BAD_CD', decision.reason)) };
  ctx.configCache.putCd(tx.sid, ssid, { words: got.words, address: got.address, decision });
  return { cd: decision.cd };
}
