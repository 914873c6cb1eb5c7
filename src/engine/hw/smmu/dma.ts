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
import type { WalkFault, WalkResult } from '../pgtable/types.ts';
import { decodeCd, type ContextConfig } from './cd.ts';
import { fetchCd } from './cd-table.ts';
import type { ConfigCache } from './config-cache.ts';
import type { DmaOutcome, DmaTrace, DmaTransaction, StreamConfigName } from './dma-types.ts';
import type { EventName, EventRecord } from './event-record.ts';
import type { SmmuFeatures } from './features.ts';
import { TlbStage, type Iotlb } from './iotlb.ts';
import { decodeSte, type SteDecision } from './ste.ts';
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

const FAULT_EVENTS: Record<WalkFault['type'], EventName> = {
  translation: 'F_TRANSLATION',
  accessFlag: 'F_ACCESS',
  permission: 'F_PERMISSION',
  addressSize: 'F_ADDR_SIZE',
  externalAbort: 'F_WALK_EABT',
};

function configName(d: SteDecision): StreamConfigName | undefined {
  if (d.kind === 'abort') return 'abort';
  if (d.kind === 'bypass') return 'bypass';
  if (d.kind !== 'translate') return undefined;
  return d.s1 && d.s2 ? 'nested' : d.s1 ? 'stage 1' : 'stage 2';
}

export function runDma(ctx: SmmuContext, tx: DmaTransaction): DmaOutcome {
  let trace: DmaTrace = { smmuEnabled: ctx.enabled };
  const base = (e: EventName, reason: string, extra: Partial<EventRecord> = {}): EventRecord => ({
    name: e, StreamID: tx.sid, ...(tx.ssid !== undefined ? { SubstreamID: tx.ssid } : {}),
    RnW: tx.access.kind !== 'write', InD: tx.access.kind === 'exec', PnU: tx.access.privileged, InputAddr: tx.address, reason, ...extra,
  });
  /** Terminates the transaction; the event is written to the queue only when `record`. */
  const terminate = (event: EventRecord | undefined, record: boolean, response: 'abort' | 'RAZ/WI' = 'abort'): DmaOutcome => ({
    tx, result: 'terminated', response, trace,
    ...(event ? { event, recorded: record ? ctx.recordEvent(event) : { dropped: 'not recorded: the CD.R / STE.S2R bit that governs this fault is 0' } } : {}),
  });

  if (!ctx.enabled) {
    return ctx.gbpaAbort ? terminate(undefined, false) : { tx, result: 'bypassed', output: tx.address, trace };
  }

  // The STE: from the configuration cache, or fetched from the stream table.
  let ste = ctx.configCache.ste(tx.sid);
  const steCached = ste !== undefined;
  if (!ste) {
    const fetched = fetchSte(ctx.mem, ctx.streamTable, ctx.features.sidBits, tx.sid);
    if (!fetched.ok) {
      trace = { ...trace, ste: { cached: false, ...(fetched.l1 ? { l1: fetched.l1 } : {}) } };
      return terminate(base(fetched.event, fetched.reason, fetched.fetchAddress !== undefined ? { IPA: fetched.fetchAddress } : {}), true);
    }
    ste = { words: fetched.words, address: fetched.address, decision: decodeSte(fetched.words, ctx.features) };
    if (ste.decision.kind !== 'bad') ctx.configCache.putSte(tx.sid, ste);
    trace = { ...trace, ste: { cached: false, address: fetched.address, words: fetched.words, ...(fetched.l1 ? { l1: fetched.l1 } : {}) } };
  } else {
    trace = { ...trace, ste: { cached: true, address: ste.address, words: ste.words } };
  }
  const d = ste.decision;
  trace = { ...trace, ste: { ...trace.ste, cached: steCached, config: configName(d) } };
  if (d.kind === 'bad') return terminate(base('C_BAD_STE', d.reason), true);
  if (d.kind === 'abort') return terminate(undefined, false);
  if (d.kind === 'bypass') return { tx, result: 'bypassed', output: tx.address, trace };

  // SubstreamID checks and S1DSS, then the CD.
  let cd: ContextConfig | null = null;
  if (d.s1) {
    let ssid: number | undefined = tx.ssid;
    if (tx.ssid !== undefined) {
      if (d.s1.s1CdMax === 0 || tx.ssid >= 2 ** d.s1.s1CdMax) {
        return terminate(base('C_BAD_SUBSTREAMID', `SubstreamID ${tx.ssid} is out of range: S1CDMax = ${d.s1.s1CdMax} allows ${d.s1.s1CdMax === 0 ? 'no SubstreamIDs' : `0 to ${2 ** d.s1.s1CdMax - 1}`}`), true);
      }
      if (tx.ssid === 0 && d.s1.s1dss === 2) return terminate(base('C_BAD_SUBSTREAMID', 'SubstreamID 0 is reserved for traffic without a SubstreamID when S1DSS = 0b10'), true);
    } else if (d.s1.s1CdMax !== 0) {
      if (d.s1.s1dss === 0) return terminate(base('F_STREAM_DISABLED', 'a transaction without a SubstreamID and S1DSS = terminate'), true);
      ssid = d.s1.s1dss === 2 ? 0 : undefined;
      if (d.s1.s1dss === 1) trace = { ...trace, s1Bypassed: true };
    } else {
      ssid = 0;
    }
    if (ssid !== undefined) {
      const got = loadCd(ctx, tx, d.s1, d.s2?.tables ?? null, ssid, trace);
      trace = got.trace;
      if (!got.ok) {
        if (got.event.name === 'stage2') {
          const f = got.fault as WalkFault;
          return terminate(base(FAULT_EVENTS[f.type], got.reason, { S2: true, CLASS: 0, IPA: (f.ipa ?? 0n) & ~0xfffn }), f.type === 'externalAbort' || (d.s2?.record ?? false));
        }
        return terminate(got.event as EventRecord, true);
      }
      cd = got.cd;
    }
  }

  if (!cd && !d.s2) return { tx, result: 'bypassed', output: tx.address, trace }; // S1DSS bypass with stage 2 off
  const stage = cd && d.s2 ? TlbStage.Nested : cd ? TlbStage.S1 : TlbStage.S2;
  const asid = cd ? cd.asid : -1;
  const hi = hi32(tx.address);
  const lo = lo32(tx.address);
  const access = encodeAccess(tx.access);
  const slot = ctx.iotlb.lookup(d.vmid, asid, hi, lo);
  if (slot >= 0) {
    trace = { ...trace, tlb: { hit: true, entry: ctx.iotlb.view(slot) } };
    const denied = ctx.iotlb.deniedBy(slot, access);
    if (denied === 0) {
      const output = (BigInt(ctx.iotlb.outputHi(slot, hi)) << 32n) | BigInt(ctx.iotlb.outputLo(slot, lo));
      return { tx, result: 'translated', output, trace };
    }
    const record = denied === 1 ? (cd?.record ?? false) : (d.s2?.record ?? false);
    const ev = base('F_PERMISSION', `the cached translation does not allow this access at stage ${denied}`, denied === 2 ? { S2: true, CLASS: 2 } : {});
    return terminate(ev, record, cd && !cd.abort ? 'RAZ/WI' : 'abort');
  }
  trace = { ...trace, tlb: { hit: false } };

  const walk: WalkResult = cd
    ? translateStage1(ctx.mem, cd.regime, tx.address, tx.access, d.s2?.tables ?? null)
    : translateStage2(ctx.mem, (d.s2 as { tables: WalkTables }).tables, tx.address, tx.access);
  trace = { ...trace, walk };
  if (walk.fault) {
    const f = walk.fault;
    const atStage2 = f.stage === 2 || stage === TlbStage.S2;
    const extra: Partial<EventRecord> = atStage2
      ? { S2: true, CLASS: f.class === 'TT' ? 1 : 2, IPA: ((f.ipa ?? tx.address) & ~0xfffn) }
      : f.type === 'externalAbort' ? { IPA: f.address } : {};
    if (f.type === 'externalAbort' && atStage2) Object.assign(extra, { IPA: f.address });
    const record = f.type === 'externalAbort' || (atStage2 ? (d.s2?.record ?? false) : (cd?.record ?? false));
    return terminate(base(FAULT_EVENTS[f.type], `${f.type} fault at level ${f.level}${atStage2 ? ' of stage 2' : ''}: ${f.reason}`, extra), record, cd && !cd.abort ? 'RAZ/WI' : 'abort');
  }
  const entry = tlbEntryFromWalk(walk, stage, d.vmid, asid, cd ? cd.regime : null);
  ctx.iotlb.insert(entry);
  return { tx, result: 'translated', output: walk.output as bigint, trace };
}

type CdLoad =
  | { ok: true; cd: ContextConfig; trace: DmaTrace }
  | { ok: false; event: EventRecord | { name: 'stage2' }; fault?: WalkFault; reason: string; trace: DmaTrace };

function loadCd(ctx: SmmuContext, tx: DmaTransaction, s1: NonNullable<Extract<SteDecision, { kind: 'translate' }>['s1']>, s2: WalkTables | null, ssid: number, trace: DmaTrace): CdLoad {
  const ev = (name: EventName, reason: string, extra: Partial<EventRecord> = {}): EventRecord => ({
    name, StreamID: tx.sid, ...(tx.ssid !== undefined ? { SubstreamID: tx.ssid } : {}),
    RnW: tx.access.kind !== 'write', InD: tx.access.kind === 'exec', PnU: tx.access.privileged, InputAddr: tx.address, reason, ...extra,
  });
  const cached = ctx.configCache.cd(tx.sid, ssid);
  if (cached) {
    const t: DmaTrace = { ...trace, cd: { cached: true, ssid, address: cached.address, words: cached.words, ...(cached.decision.kind === 'ok' ? { asid: cached.decision.cd.asid } : {}) } };
    if (cached.decision.kind === 'ok') return { ok: true, cd: cached.decision.cd, trace: t };
  }
  const got = fetchCd(ctx.mem, s1, s2, ssid);
  if (!got.ok) {
    if (got.event === 'stage2') return { ok: false, event: { name: 'stage2' }, fault: got.fault, reason: got.reason, trace: { ...trace, cd: { cached: false, ssid, ipa: got.ipa, s2: got.s2 } } };
    const t: DmaTrace = { ...trace, cd: { cached: false, ssid, ...(got.l1 ? { l1: got.l1 } : {}) } };
    return { ok: false, event: ev(got.event, got.reason, got.fetchAddress !== undefined ? { IPA: got.fetchAddress } : {}), reason: got.reason, trace: t };
  }
  const decision = decodeCd(got.words, ctx.features);
  const t: DmaTrace = {
    ...trace,
    cd: { cached: false, ssid, ipa: got.ipa, address: got.address, words: got.words, ...(got.l1 ? { l1: got.l1 } : {}), ...(got.s2 ? { s2: got.s2 } : {}), ...(decision.kind === 'ok' ? { asid: decision.cd.asid } : {}) },
  };
  if (decision.kind === 'bad') return { ok: false, event: ev('C_BAD_CD', decision.reason), reason: decision.reason, trace: t };
  ctx.configCache.putCd(tx.sid, ssid, { words: got.words, address: got.address, decision });
  return { ok: true, cd: decision.cd, trace: t };
}
