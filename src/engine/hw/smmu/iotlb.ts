/**
 * The IOTLB: translations the SMMU has cached, tagged by VMID and ASID
 * (SMMUv3 spec, "TLB tagging"). It really caches: a table change that is not
 * followed by the right TLBI command and CMD_SYNC leaves the old translation
 * in use, which is the lesson this model exists to show.
 *
 * 4-way set-associative in typed arrays (no objects per entry), so a hit is a
 * handful of integer compares. An entry covers one block or page of the
 * smaller of the two stages, and carries the access permissions the walk
 * granted, so a hit can still fault.
 */
export const IOTLB_WAYS = 4;

/** Which stages an entry combines. */
export const TlbStage = { S1: 1, S2: 2, Nested: 3 } as const;
export type TlbStage = (typeof TlbStage)[keyof typeof TlbStage];

/** Allowed-access bits: index = kind (0 read, 1 write, 2 exec) + 3 if unprivileged. */
export function permBit(access: number): number {
  return 1 << ((access & 3) + ((access & 4) !== 0 ? 3 : 0));
}

export interface TlbEntryView {
  readonly slot: number;
  readonly vmid: number;
  /** -1 for stage-2-only entries, which carry no ASID. */
  readonly asid: number;
  readonly stage: TlbStage;
  readonly input: bigint;
  readonly size: bigint;
  readonly output: bigint;
  /** Accesses both stages allow (permBit). */
  readonly perms: number;
  /** Leaf level of the stage that mapped it (stage 1 when present). */
  readonly level: number;
  /** Hits since it was filled. */
  readonly hits: number;
}

export class Iotlb {
  readonly sets: number;
  private readonly valid: Uint8Array;
  private readonly stage: Uint8Array;
  private readonly vmid: Int32Array;
  private readonly asid: Int32Array;
  /** Input page number halves as int32 patterns (V8 keeps int32 in registers; Uint32 values above 2^31 become doubles). */
  private readonly vpnHi: Int32Array;
  private readonly vpnLo: Int32Array;
  private readonly shift: Uint8Array;
  private readonly outHi: Uint32Array;
  private readonly outLo: Uint32Array;
  /** The intermediate address the entry's block starts at (nested and stage-2 entries), for stage-2 fault records on a hit. */
  private readonly ipaHi: Uint32Array;
  private readonly ipaLo: Uint32Array;
  /** Allowed accesses by stage 1 and by stage 2 (all allowed for a stage that is not in use). */
  private readonly perms1: Uint8Array;
  private readonly perms2: Uint8Array;
  /** Leaf levels of the two stages, for fault records on a hit. */
  private readonly level1: Uint8Array;
  private readonly level2: Uint8Array;
  private readonly hitCount: Uint32Array;
  /**
   * The lookup's tag, so a probe is three compares: `tag` = VMID[15:0]:ASID[15:0],
   * `ctl` = 0 when invalid, else shift + 1, plus 64 for an entry without ASID.
   */
  private readonly tag: Int32Array;
  private readonly ctl: Int32Array;
  private readonly victim: Uint8Array;
  /** Page-size shifts that have entries, smallest first: a lookup tries each. */
  private shifts: number[] = [];
  hitTotal = 0;
  missTotal = 0;

  constructor(sets = 1024) {
    this.sets = sets;
    const n = sets * IOTLB_WAYS;
    this.valid = new Uint8Array(n);
    this.stage = new Uint8Array(n);
    this.vmid = new Int32Array(n);
    this.asid = new Int32Array(n);
    this.vpnHi = new Int32Array(n);
    this.vpnLo = new Int32Array(n);
    this.shift = new Uint8Array(n);
    this.outHi = new Uint32Array(n);
    this.outLo = new Uint32Array(n);
    this.ipaHi = new Uint32Array(n);
    this.ipaLo = new Uint32Array(n);
    this.perms1 = new Uint8Array(n);
    this.perms2 = new Uint8Array(n);
    this.level1 = new Uint8Array(n);
    this.level2 = new Uint8Array(n);
    this.hitCount = new Uint32Array(n);
    this.tag = new Int32Array(n);
    this.ctl = new Int32Array(n);
    this.victim = new Uint8Array(sets);
  }

  private setOf(vpnHi: number, vpnLo: number, asid: number): number {
    let h = vpnLo ^ Math.imul(vpnHi, 0x9e3779b1) ^ Math.imul(asid, 0x85ebca6b);
    h ^= h >>> 13;
    return (Math.imul(h, 0xc2b2ae35) >>> 16) & (this.sets - 1);
  }

  /**
   * Finds the entry translating hi:lo for this VMID/ASID (asid -1: stage-2
   * only). Returns its slot or -1. Counts hits and misses.
   *
   * The DMA path's hit path: one set probe per page size in use, int32
   * compares on typed arrays, the most selective (page number) first.
   */
  lookup(vmid: number, asid: number, hi: number, lo: number): number {
    const shifts = this.shifts;
    const vpnLo = this.vpnLo;
    const vpnHi = this.vpnHi;
    const tags = this.tag;
    const ctls = this.ctl;
    const tag = (vmid << 16) | (asid & 0xffff);
    for (let s = 0; s < shifts.length; s++) {
      const sh = shifts[s] as number;
      const vHi = sh >= 32 ? 0 : (hi >>> sh) | 0;
      const vLo = sh >= 32 ? (hi >>> (sh - 32)) | 0 : (lo >>> sh) | (sh === 0 ? 0 : hi << (32 - sh));
      const ctl = sh + 1 + (asid < 0 ? 64 : 0);
      const base = this.setOf(vHi, vLo, asid) * IOTLB_WAYS;
      for (let w = base; w < base + IOTLB_WAYS; w++) {
        if (vpnLo[w] === vLo && vpnHi[w] === vHi && tags[w] === tag && ctls[w] === ctl) {
          this.hitTotal++;
          this.hitCount[w] = (this.hitCount[w] as number) + 1;
          return w;
        }
      }
    }
    this.missTotal++;
    return -1;
  }

  /** Output address of a hit for input hi:lo: the entry's base plus the offset inside it. */
  outputLo(slot: number, lo: number): number {
    const sh = this.shift[slot] as number;
    const mask = sh >= 32 ? 0xffff_ffff : (1 << sh) - 1;
    return (((this.outLo[slot] as number) & ~mask) | (lo & mask)) >>> 0;
  }

  outputHi(slot: number, hi: number): number {
    const sh = this.shift[slot] as number;
    if (sh <= 32) return this.outHi[slot] as number;
    const mask = (1 << (sh - 32)) - 1;
    return (((this.outHi[slot] as number) & ~mask) | (hi & mask)) >>> 0;
  }

  /** Which stage denies `access` on a hit: 0 none, 1 stage 1, 2 stage 2 (stage 1 is checked first). */
  deniedBy(slot: number, access: number): 0 | 1 | 2 {
    const bit = permBit(access);
    if (((this.perms1[slot] as number) & bit) === 0) return 1;
    if (((this.perms2[slot] as number) & bit) === 0) return 2;
    return 0;
  }

  levelOf(slot: number, stage: 1 | 2): number {
    return (stage === 1 ? this.level1[slot] : this.level2[slot]) as number;
  }

  /** The IPA a hit on `slot` for input lo/hi went through. */
  ipaOf(slot: number, hi: number, lo: number): bigint {
    const sh = BigInt(this.shift[slot] as number);
    const base = (BigInt(this.ipaHi[slot] as number) << 32n) | BigInt(this.ipaLo[slot] as number);
    const input = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    return (base & ~((1n << sh) - 1n)) | (input & ((1n << sh) - 1n));
  }

  insert(e: { vmid: number; asid: number; stage: TlbStage; hi: number; lo: number; shift: number; outHi: number; outLo: number; ipaHi: number; ipaLo: number; perms1: number; perms2: number; level1: number; level2: number }): number {
    const sh = e.shift;
    const vHi = sh >= 32 ? 0 : e.hi >>> sh;
    const vLo = sh >= 32 ? e.hi >>> (sh - 32) : ((e.lo >>> sh) | (sh === 0 ? 0 : e.hi << (32 - sh))) >>> 0;
    const set = this.setOf(vHi, vLo, e.asid);
    const base = set * IOTLB_WAYS;
    let slot = -1;
    for (let w = base; w < base + IOTLB_WAYS && slot < 0; w++) if (this.valid[w] === 0) slot = w;
    if (slot < 0) {
      slot = base + (this.victim[set] as number);
      this.victim[set] = ((this.victim[set] as number) + 1) % IOTLB_WAYS;
    }
    this.valid[slot] = 1;
    this.tag[slot] = (e.vmid << 16) | (e.asid & 0xffff);
    this.ctl[slot] = sh + 1 + (e.asid < 0 ? 64 : 0);
    this.stage[slot] = e.stage;
    this.vmid[slot] = e.vmid;
    this.asid[slot] = e.asid;
    this.vpnHi[slot] = vHi | 0;
    this.vpnLo[slot] = vLo | 0;
    this.shift[slot] = sh;
    this.outHi[slot] = e.outHi;
    this.outLo[slot] = e.outLo;
    this.ipaHi[slot] = e.ipaHi;
    this.ipaLo[slot] = e.ipaLo;
    this.perms1[slot] = e.perms1;
    this.perms2[slot] = e.perms2;
    this.level1[slot] = e.level1;
    this.level2[slot] = e.level2;
    this.hitCount[slot] = 0;
    if (!this.shifts.includes(sh)) this.shifts = [...this.shifts, sh].sort((a, b) => a - b);
    return slot;
  }

  /** Invalidates every entry the predicate selects; returns how many. */
  invalidate(select: (e: TlbEntryView) => boolean): number {
    let n = 0;
    for (let w = 0; w < this.valid.length; w++) {
      if (this.valid[w] === 1 && select(this.view(w))) {
        this.valid[w] = 0;
        this.ctl[w] = 0;
        n++;
      }
    }
    return n;
  }

  entries(): TlbEntryView[] {
    const out: TlbEntryView[] = [];
    for (let w = 0; w < this.valid.length; w++) if (this.valid[w] === 1) out.push(this.view(w));
    return out;
  }

  view(w: number): TlbEntryView {
    const sh = BigInt(this.shift[w] as number);
    const vpn = (BigInt((this.vpnHi[w] as number) >>> 0) << 32n) | BigInt((this.vpnLo[w] as number) >>> 0);
    const out = (BigInt(this.outHi[w] as number) << 32n) | BigInt(this.outLo[w] as number);
    return {
      slot: w,
      vmid: this.vmid[w] as number,
      asid: this.asid[w] as number,
      stage: this.stage[w] as TlbStage,
      input: vpn << sh,
      size: 1n << sh,
      output: out & ~((1n << sh) - 1n),
      perms: (this.perms1[w] as number) & (this.perms2[w] as number),
      level: (this.stage[w] === TlbStage.S2 ? this.level2[w] : this.level1[w]) as number,
      hits: this.hitCount[w] as number,
    };
  }

  clone(): Iotlb {
    const c = new Iotlb(this.sets);
    for (const k of ['valid', 'stage', 'vmid', 'asid', 'vpnHi', 'vpnLo', 'shift', 'outHi', 'outLo', 'ipaHi', 'ipaLo', 'perms1', 'perms2', 'level1', 'level2', 'hitCount', 'tag', 'ctl', 'victim'] as const) {
      (c[k] as Uint8Array).set(this[k] as Uint8Array);
    }
    c.shifts = [...this.shifts];
    c.hitTotal = this.hitTotal;
    c.missTotal = this.missTotal;
    return c;
  }
}
