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

/** Words per way in `key` (vpnLo, vpnHi, tag, ctl: a set's four ways share one 64-byte line) and in `dat`. */
const KEY_WORDS = 4;
const DAT_WORDS = 8;
/** `dat` fields: output address halves, offset masks (bits below the entry's size), hits, allowed accesses per stage. */
const D_OUT_LO = 0;
const D_OUT_HI = 1;
const D_MASK_LO = 2;
const D_MASK_HI = 3;
const D_HITS = 4;
const D_PERMS1 = 5;
const D_PERMS2 = 6;

export class Iotlb {
  readonly sets: number;
  private readonly valid: Uint8Array;
  private readonly stage: Uint8Array;
  private readonly vmid: Int32Array;
  private readonly asid: Int32Array;
  private readonly shift: Uint8Array;
  /** The intermediate address the entry's block starts at (nested and stage-2 entries), for stage-2 fault records on a hit. */
  private readonly ipaHi: Uint32Array;
  private readonly ipaLo: Uint32Array;
  /** Leaf levels of the two stages, for fault records on a hit. */
  private readonly level1: Uint8Array;
  private readonly level2: Uint8Array;
  /**
   * What a probe compares, per way: the input page number halves as int32
   * patterns (V8 keeps int32 in registers; uint32 values above 2^31 become
   * doubles), `tag` = VMID[15:0]:ASID[15:0], and `ctl` = 0 when invalid, else
   * shift + 1, plus 64 for an entry without ASID.
   */
  private readonly key: Int32Array;
  /** What a hit reads, per way (D_* fields): one line for the output, the masks, the counter and the permissions. */
  private readonly dat: Int32Array;
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
    this.shift = new Uint8Array(n);
    this.ipaHi = new Uint32Array(n);
    this.ipaLo = new Uint32Array(n);
    this.level1 = new Uint8Array(n);
    this.level2 = new Uint8Array(n);
    this.key = new Int32Array(n * KEY_WORDS);
    this.dat = new Int32Array(n * DAT_WORDS);
    this.victim = new Uint8Array(sets);
  }

  private setOf(vpnHi: number, vpnLo: number, asid: number): number {
    let h = vpnLo ^ Math.imul(vpnHi, 0x9e3779b1) ^ Math.imul(asid, 0x85ebca6b);
    h ^= h >>> 13;
    return (Math.imul(h, 0xc2b2ae35) >>> 16) & (this.sets - 1);
  }

  /**
   * The slot of the entry translating hi:lo for this VMID/ASID (asid -1:
   * stage-2 only), or -1; counts nothing. The DMA path's hit path: one set
   * probe per page size in use, int32 compares within one cache line, the
   * most selective (page number) first.
   */
  probe(vmid: number, asid: number, hi: number, lo: number): number {
    const shifts = this.shifts;
    const key = this.key;
    const tag = (vmid << 16) | (asid & 0xffff);
    const noAsid = asid < 0 ? 64 : 0;
    for (let s = 0; s < shifts.length; s++) {
      const sh = shifts[s] as number;
      const vHi = sh >= 32 ? 0 : (hi >>> sh) | 0;
      const vLo = sh >= 32 ? (hi >>> (sh - 32)) | 0 : (lo >>> sh) | (sh === 0 ? 0 : hi << (32 - sh));
      const ctl = sh + 1 + noAsid;
      const first = this.setOf(vHi, vLo, asid) * IOTLB_WAYS;
      // Way 0 first and unrolled: inserts fill the lowest free way, so most hits are there.
      let k = first * KEY_WORDS;
      if (key[k] === vLo && key[k + 1] === vHi && key[k + 2] === tag && key[k + 3] === ctl) return first;
      for (let w = first + 1; w < first + IOTLB_WAYS; w++) {
        k += KEY_WORDS;
        if (key[k] === vLo && key[k + 1] === vHi && key[k + 2] === tag && key[k + 3] === ctl) return w;
      }
    }
    return -1;
  }

  /** Counts a hit on `slot` (for the entry and in total), as a lookup that found it does. */
  countHit(slot: number): void {
    this.hitTotal++;
    const d = slot * DAT_WORDS + D_HITS;
    this.dat[d] = (this.dat[d] as number) + 1;
  }

  countMiss(): void {
    this.missTotal++;
  }

  /** probe() that counts the hit or the miss: the lookup a transaction makes. */
  lookup(vmid: number, asid: number, hi: number, lo: number): number {
    const slot = this.probe(vmid, asid, hi, lo);
    if (slot >= 0) this.countHit(slot);
    else this.missTotal++;
    return slot;
  }

  /** Output address of a hit for input hi:lo: the entry's base plus the offset inside it (uint32 halves). */
  outputLo(slot: number, lo: number): number {
    const d = slot * DAT_WORDS;
    const mask = this.dat[d + D_MASK_LO] as number;
    return (((this.dat[d + D_OUT_LO] as number) & ~mask) | (lo & mask)) >>> 0;
  }

  outputHi(slot: number, hi: number): number {
    const d = slot * DAT_WORDS;
    const mask = this.dat[d + D_MASK_HI] as number;
    return (((this.dat[d + D_OUT_HI] as number) & ~mask) | (hi & mask)) >>> 0;
  }

  /** Which stage denies `access` on a hit: 0 none, 1 stage 1, 2 stage 2 (stage 1 is checked first). */
  deniedBy(slot: number, access: number): 0 | 1 | 2 {
    const bit = permBit(access);
    const d = slot * DAT_WORDS;
    if (((this.dat[d + D_PERMS1] as number) & bit) === 0) return 1;
    if (((this.dat[d + D_PERMS2] as number) & bit) === 0) return 2;
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
    const k = slot * KEY_WORDS;
    this.key[k] = vLo | 0;
    this.key[k + 1] = vHi | 0;
    this.key[k + 2] = (e.vmid << 16) | (e.asid & 0xffff);
    this.key[k + 3] = sh + 1 + (e.asid < 0 ? 64 : 0);
    const d = slot * DAT_WORDS;
    this.dat[d + D_OUT_LO] = e.outLo | 0;
    this.dat[d + D_OUT_HI] = e.outHi | 0;
    this.dat[d + D_MASK_LO] = sh >= 32 ? -1 : (1 << sh) - 1;
    this.dat[d + D_MASK_HI] = sh <= 32 ? 0 : sh >= 64 ? -1 : (1 << (sh - 32)) - 1;
    this.dat[d + D_HITS] = 0;
    this.dat[d + D_PERMS1] = e.perms1;
    this.dat[d + D_PERMS2] = e.perms2;
    this.stage[slot] = e.stage;
    this.vmid[slot] = e.vmid;
    this.asid[slot] = e.asid;
    this.shift[slot] = sh;
    this.ipaHi[slot] = e.ipaHi;
    this.ipaLo[slot] = e.ipaLo;
    this.level1[slot] = e.level1;
    this.level2[slot] = e.level2;
    if (!this.shifts.includes(sh)) this.shifts = [...this.shifts, sh].sort((a, b) => a - b);
    return slot;
  }

  /** Invalidates every entry the predicate selects; returns how many. */
  invalidate(select: (e: TlbEntryView) => boolean): number {
    let n = 0;
    for (let w = 0; w < this.valid.length; w++) {
      if (this.valid[w] === 1 && select(this.view(w))) {
        this.valid[w] = 0;
        this.key[w * KEY_WORDS + 3] = 0;
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
    const k = w * KEY_WORDS;
    const d = w * DAT_WORDS;
    const vpn = (BigInt((this.key[k + 1] as number) >>> 0) << 32n) | BigInt((this.key[k] as number) >>> 0);
    const out = (BigInt((this.dat[d + D_OUT_HI] as number) >>> 0) << 32n) | BigInt((this.dat[d + D_OUT_LO] as number) >>> 0);
    return {
      slot: w,
      vmid: this.vmid[w] as number,
      asid: this.asid[w] as number,
      stage: this.stage[w] as TlbStage,
      input: vpn << sh,
      size: 1n << sh,
      output: out & ~((1n << sh) - 1n),
      perms: (this.dat[d + D_PERMS1] as number) & (this.dat[d + D_PERMS2] as number),
      level: (this.stage[w] === TlbStage.S2 ? this.level2[w] : this.level1[w]) as number,
      hits: this.dat[d + D_HITS] as number,
    };
  }

  clone(): Iotlb {
    const c = new Iotlb(this.sets);
    for (const k of ['valid', 'stage', 'vmid', 'asid', 'shift', 'ipaHi', 'ipaLo', 'level1', 'level2', 'key', 'dat', 'victim'] as const) {
      (c[k] as Uint8Array).set(this[k] as Uint8Array);
    }
    c.shifts = [...this.shifts];
    c.hitTotal = this.hitTotal;
    c.missTotal = this.missTotal;
    return c;
  }
}
