/**
 * A burst of DMAs from one stream, for lessons that run a million of them to
 * show IOTLB hit rates: transaction i reads or writes base + (i * stride mod
 * span), through the real DMA path — configuration cache, IOTLB, walks —
 * untraced, and the burst reports totals instead of a million outcomes.
 *
 * Every transaction whose stream has a plan (dma-burst-plan.ts) probes the
 * IOTLB; a hit the entry's permissions allow, or a miss the fast walk
 * translates, completes here exactly as dma.ts would complete it (the same
 * counters, the same IOTLB fill). Anything else — a permission fault on a
 * hit, a walk that faults, a stream without a plan — goes through runDma
 * itself, so faults, event records and responses are the real ones.
 *
 * It runs in slices so that a caller (the worker) can report progress and
 * stop: start with `new DmaBurst`, call runSlice(n) until done === count,
 * then summary(). Transactions run strictly in order, so a burst stopped
 * after k of them is exactly a burst of k.
 */
import { checksumMix } from '../../util/checksum.ts';
import { EngineError } from '../../util/assert.ts';
import { encodeAccess } from '../pgtable/translate.ts';
import type { Access } from '../pgtable/types.ts';
import { fastStage1, fastStage2, res, RES_HI, RES_HIER, RES_LEAF_HI, RES_LEAF_LO, RES_LEVEL, RES_LO, RES_S2_LEAF_HI, RES_S2_LEAF_LO, RES_S2_LEVEL, RES_SHIFT } from '../pgtable/walk-fast.ts';
import { runDma, type SmmuContext } from './dma.ts';
import type { DmaOutcome } from './dma-types.ts';
import { planBurst, type BurstPlan } from './dma-burst-plan.ts';
import { TlbStage } from './iotlb.ts';
import { stage1LeafPerms, stage2LeafPerms } from './tlb-fill.ts';

export interface DmaBurstRequest {
  readonly sid: number;
  readonly ssid?: number;
  readonly count: number;
  readonly base: bigint;
  readonly stride: bigint;
  /** Addresses wrap within [base, base + span). */
  readonly span: bigint;
  readonly access: Access;
}

export interface DmaBurstSummary {
  readonly request: DmaBurstRequest;
  /** Transactions made: `request.count`, or fewer when the burst was stopped early. */
  readonly done: number;
  readonly translated: number;
  readonly bypassed: number;
  readonly terminated: number;
  readonly iotlb: { readonly hits: number; readonly misses: number };
  /** Transactions whose STE (and CD, when used) came from the configuration cache, and those that fetched one. */
  readonly configCache: { readonly hits: number; readonly misses: number };
  /** Terminated transactions by the event they raised ("no event" when none is defined, e.g. STE.Config = abort). */
  readonly faults: Readonly<Record<string, number>>;
  readonly firstFault?: { readonly index: number; readonly outcome: DmaOutcome };
  /** FNV-style hash of every output address in order, as the benchmark's checksum: the same traffic always gives the same value. */
  readonly checksum: number;
}

/** The most transactions one burst may make. */
export const MAX_BURST = 100_000_000;
const TWO_32 = 0x1_0000_0000;
const ALL_PERMS = 0x3f;


function check(r: DmaBurstRequest): void {
  if (!Number.isInteger(r.count) || r.count < 1 || r.count > MAX_BURST) throw new EngineError(`count = ${r.count} must be a whole number from 1 to ${MAX_BURST}`, 'count');
  if (r.span <= 0n || r.span > 1n << 52n) throw new EngineError(`span = 0x${r.span.toString(16)} must be from 1 byte to 2^52 bytes`, 'span');
  if (r.stride < 0n) throw new EngineError('stride must not be negative', 'stride');
  if (r.base < 0n || r.base + r.span > 1n << 64n) throw new EngineError(`base 0x${r.base.toString(16)} + span must stay within 64 bits`, 'base');
}

export class DmaBurst {
  done = 0;
  private readonly access: number;
  private plan: BurstPlan | undefined;
  private readonly baseHi: number;
  private readonly baseLo: number;
  private readonly stride: number;
  private readonly span: number;
  /** Offset of the next transaction within the span. */
  private offset = 0;
  private checksum = 0x811c9dc5 | 0;
  private translated = 0;
  private bypassed = 0;
  private terminated = 0;
  private cfgHits = 0;
  private cfgMisses = 0;
  private readonly hits0: number;
  private readonly misses0: number;
  private readonly faults: Record<string, number> = {};
  private firstFault: { index: number; outcome: DmaOutcome } | undefined;

  constructor(private readonly ctx: SmmuContext, readonly request: DmaBurstRequest) {
    check(request);
    this.access = encodeAccess(request.access);
    this.baseHi = Number(request.base >> 32n);
    this.baseLo = Number(request.base & 0xffff_ffffn);
    this.span = Number(request.span);
    this.stride = Number(request.stride % request.span);
    this.plan = planBurst(ctx, request.sid, request.ssid);
    this.hits0 = ctx.iotlb.hitTotal;
    this.misses0 = ctx.iotlb.missTotal;
  }

  get count(): number {
    return this.request.count;
  }

  /** Makes up to n more transactions; returns how many are done of how many. */
  runSlice(n: number): { done: number; count: number } {
    const end = Math.min(this.request.count, this.done + Math.max(0, Math.floor(n)));
    let offset = this.offset;
    for (let i = this.done; i < end; i++) {
      // base + offset with the carry into the high half; offset < 2^52 is exact as a double.
      const offHi = Math.floor(offset / TWO_32);
      const lo = this.baseLo + (offset - offHi * TWO_32);
      const hi = this.baseHi + offHi + (lo >= TWO_32 ? 1 : 0);
      if (!this.fast(hi | 0, lo | 0)) this.slow(i, hi, lo >>> 0);
      offset += this.stride;
      if (offset >= this.span) offset -= this.span;
    }
    this.offset = offset;
    this.done = end;
    return { done: end, count: this.request.count };
  }

  /** The transaction completed on the plan (an allowed IOTLB hit, or a miss the fast walk translated): true. Changes nothing otherwise. */
  private fast(hi: number, lo: number): boolean {
    const p = this.plan;
    if (p === undefined) return false;
    const tlb = this.ctx.iotlb;
    const slot = tlb.probe(p.vmid, p.asid, hi, lo);
    if (slot >= 0) {
      // A hit the access is denied: the full path records the fault (and counts the hit, as dma.ts does).
      if (tlb.deniedBy(slot, this.access) !== 0) return false;
      tlb.countHit(slot);
      this.done1(tlb.outputLo(slot, lo), tlb.outputHi(slot, hi));
      return true;
    }
    if (p.regime === undefined) {
      if (hi >>> 0 >= 2 ** (p.iasBits - 32) || p.s2 === null || !fastStage2(this.ctx.mem, p.s2, hi, lo, this.access)) return false;
    } else if (!fastStage1(this.ctx.mem, p.regime.ttbr0, hi, lo, this.access, p.s2, ipa)) {
      return false;
    }
    tlb.countMiss();
    this.fill(p, hi, lo);
    this.done1(res[RES_LO] as number, res[RES_HI] as number);
    return true;
  }

  /** The IOTLB entry dma.ts would make from the same walk (tlb-fill.ts), built in a reused record: a miss allocates nothing. */
  private fill(p: BurstPlan, hi: number, lo: number): void {
    const s1 = p.stage !== TlbStage.S2;
    const nested = p.stage === TlbStage.Nested;
    const e = entry;
    e.vmid = p.vmid;
    e.asid = p.asid;
    e.stage = p.stage;
    e.hi = hi >>> 0;
    e.lo = lo >>> 0;
    e.shift = res[RES_SHIFT] as number;
    e.outHi = (res[RES_HI] as number) >>> 0;
    e.outLo = (res[RES_LO] as number) >>> 0;
    e.ipaHi = (nested ? (ipa[0] as number) : hi) >>> 0;
    e.ipaLo = (nested ? (ipa[1] as number) : lo) >>> 0;
    e.perms1 = s1 ? stage1LeafPerms(res[RES_LEAF_LO] as number, res[RES_LEAF_HI] as number, res[RES_HIER] as number) : ALL_PERMS;
    e.perms2 = nested ? stage2LeafPerms(res[RES_S2_LEAF_LO] as number, res[RES_S2_LEAF_HI] as number) : s1 ? ALL_PERMS : stage2LeafPerms(res[RES_LEAF_LO] as number, res[RES_LEAF_HI] as number);
    e.level1 = s1 ? (res[RES_LEVEL] as number) : 0;
    e.level2 = nested ? (res[RES_S2_LEVEL] as number) : s1 ? 0 : (res[RES_LEVEL] as number);
    this.ctx.iotlb.insert(e);
  }

  private done1(lo: number, hi: number): void {
    this.translated++;
    this.cfgHits++;
    this.checksum = checksumMix(this.checksum, lo, hi);
  }

  /** One transaction through runDma, with its trace, counted from its outcome. */
  private slow(index: number, hi: number, lo: number): void {
    const r = this.request;
    const address = (BigInt(hi >>> 0) << 32n) | BigInt(lo);
    const outcome = runDma(this.ctx, { sid: r.sid, ...(r.ssid === undefined ? {} : { ssid: r.ssid }), address, access: r.access });
    const t = outcome.trace;
    if (t.ste) {
      if (t.ste.cached && (t.cd === undefined || t.cd.cached)) this.cfgHits++;
      else this.cfgMisses++;
    }
    if (outcome.output !== undefined) this.checksum = checksumMix(this.checksum, Number(outcome.output & 0xffff_ffffn) | 0, Number(outcome.output >> 32n) | 0);
    if (outcome.result === 'translated') this.translated++;
    else if (outcome.result === 'bypassed') this.bypassed++;
    else {
      this.terminated++;
      const name = outcome.event?.name ?? 'no event';
      this.faults[name] = (this.faults[name] ?? 0) + 1;
      this.firstFault ??= { index, outcome };
    }
    // The first transactions of a stream fill the configuration cache; from then on the plan applies.
    this.plan ??= planBurst(this.ctx, r.sid, r.ssid);
  }

  summary(): DmaBurstSummary {
    return {
      request: this.request,
      done: this.done,
      translated: this.translated,
      bypassed: this.bypassed,
      terminated: this.terminated,
      iotlb: { hits: this.ctx.iotlb.hitTotal - this.hits0, misses: this.ctx.iotlb.missTotal - this.misses0 },
      configCache: { hits: this.cfgHits, misses: this.cfgMisses },
      faults: { ...this.faults },
      ...(this.firstFault ? { firstFault: this.firstFault } : {}),
      checksum: this.checksum >>> 0,
    };
  }
}

/** The intermediate address of the last fast nested walk. */
const ipa = new Int32Array(2);
/** The record fill() hands the IOTLB (insert copies it). */
const entry = { vmid: 0, asid: 0, stage: TlbStage.S1 as TlbStage, hi: 0, lo: 0, shift: 0, outHi: 0, outLo: 0, ipaHi: 0, ipaLo: 0, perms1: 0, perms2: 0, level1: 0, level2: 0 };
