/**
 * The IOTLB: translations the SMMU has cached, tagged by VMID and ASID
 * (SMMUv3 spec, "TLB tagging"). It really caches: a table change that is not
 * followed by the right TLBI command and CMD_SYNC leaves the old translation
 * in use, which is the lesson this model exists to show.
 *
 * 4-way set-associative in typed arrays (no objects per entry), so a hit is a
 * handful of integer compares in one cache line. An entry covers one block or page of the
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

/**
 * Words per way in `line`: everything a hit reads, so a lookup touches one
 * 32-byte run (two ways share a 64-byte cache line): the page number's low
 * half, its high half with the control byte above it, the VMID:ASID tag, the
 * output address halves, the offset masks (bits below the entry's size) and
 * the hit counter.
 */
const WAY_WORDS = 8;
const L_VPN_LO = 0;
const L_VPN_HI_CTL = 1;
const L_TAG = 2;
const L_OUT_LO = 3;
const L_OUT_HI = 4;
const L_MASK_LO = 5;
/** The high offset mask (bits 19:0: an entry is at most 2^52 bytes) with the allowed accesses of stage 1 (25:20) and stage 2 (31:26) above it. */
const L_MASK_HI_PERMS = 6;
const MASK_HI_BITS = 0xf_ffff;
const PERMS1_SHIFT = 20;
const PERMS2_SHIFT = 26;
const L_HITS = 7;
/** The control byte sits at bits 30:24 of L_VPN_HI_CTL: page numbers are at most 52 - 12 bits, so their high half is below 2^20. */
const CTL_SHIFT = 24;
/** Control byte flag: the entry has no ASID (stage 2 only). */
const CTL_NO_ASID = 64;

/** The control byte of a valid entry: its size's shift + 1 (never 0, which marks an invalid way), plus CTL_NO_ASID. */
function ctlOf(shift: number, asid: number): number {
  return (shift + 1 + (asid < 0 ? CTL_NO_ASID : 0)) << CTL_SHIFT;
}

export class Iotlb {
  readonly sets: number;
  /** sets - 1 (sets is a power of two), kept as its own field: the set index is on the hit path's critical chain. */
  private readonly setMask: number;
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
   * What a probe compares and a hit reads, per way (L_* words). Page numbers
   * and the tag are int32 patterns: V8 keeps int32 in registers, while uint32
   * values above 2^31 become doubles.
   */
  private readonly line: Int32Array;
  private readonly victim: Uint8Array;
  /** Page-size shifts that have entries, smallest first: a lookup tries each. */
  private shifts: number[] = [];
  /**
   * Hits of entries no longer in the IOTLB (evicted or invalidated). The total is not counted as hits
   * happen: each hit already counts into its entry, and a second count on this object would be one more
   * read-modify-write of memory on every hit (W3). hitTotal adds the live entries' counts to these.
   */
  private retiredHits = 0;
  missTotal = 0;

  /** Hits since the IOTLB was made. */
  get hitTotal(): number {
    let n = this.retiredHits;
    for (let w = 0; w < this.valid.length; w++) if (this.valid[w] === 1) n += this.line[w * WAY_WORDS + L_HITS] as number;
    return n;
  }

  constructor(sets = 1024) {
    this.sets = sets;
    this.setMask = sets - 1;
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
    this.line = new Int32Array(n * WAY_WORDS);
    this.victim = new Uint8Array(sets);
  }

  /**
   * The set an input page number falls in: its low bits, as a hardware TLB
   * indexes, with the ASID and VMID folded in so that the same address in
   * two address spaces does not always compete for one set. No multiply on
   * the way to the load: the index is on the hit path's critical chain.
   */
  private setOf(vpnLo: number, asid: number, vmid: number): number {
    return (vpnLo ^ (asid << 4) ^ (vmid << 9)) & this.setMask;
  }

  /**
   * The slot of the entry translating hi:lo for this VMID/ASID (asid -1:
   * stage-2 only), or -1; counts nothing. The DMA path's hit path: one set
   * probe per page size in use, int32 compares within the way's 32 bytes,
   * the most selective (page number) first.
   */
  probe(vmid: number, asid: number, hi: number, lo: number): number {
    const shifts = this.shifts;
    const line = this.line;
    const tag = (vmid << 16) | (asid & 0xffff);
    for (let s = 0; s < shifts.length; s++) {
      const sh = shifts[s] as number;
      const vLo = sh >= 32 ? (hi >>> (sh - 32)) | 0 : (lo >>> sh) | (sh === 0 ? 0 : hi << (32 - sh));
      const vHiCtl = (sh >= 32 ? 0 : hi >>> sh) | ctlOf(sh, asid);
      // << 2: IOTLB_WAYS ways a set (a multiply here carries V8's overflow check).
      const first = this.setOf(vLo, asid, vmid) << 2;
      for (let w = first; w < first + IOTLB_WAYS; w++) {
        // Literal offsets (L_VPN_LO, L_VPN_HI_CTL, L_TAG): the bundle keeps module constants as variables, loaded each time.
        const q = w << 3;
        if (line[q] === vLo && line[q + 1] === vHiCtl && line[q + 2] === tag) return w;
      }
    }
    return -1;
  }

  /** Counts a hit on `slot` (for the entry and in total), as a lookup that found it does. */
  countHit(slot: number): void {
    const q = (slot << 3) + 7; // L_HITS of the way (WAY_WORDS = 8: a shift, no overflow check)
    this.line[q] = (this.line[q] as number) + 1;
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
    const q = slot << 3;
    const mask = this.line[q + L_MASK_LO] as number;
    return (((this.line[q + L_OUT_LO] as number) & ~mask) | (lo & mask)) >>> 0;
  }

  outputHi(slot: number, hi: number): number {
    const q = slot << 3;
    const mask = (this.line[q + L_MASK_HI_PERMS] as number) & MASK_HI_BITS;
    return (((this.line[q + L_OUT_HI] as number) & ~mask) | (hi & mask)) >>> 0;
  }

  /** Which stage denies `access` on a hit: 0 none, 1 stage 1, 2 stage 2 (stage 1 is checked first). */
  deniedBy(slot: number, access: number): 0 | 1 | 2 {
    const bit = permBit(access);
    const w6 = this.line[slot * WAY_WORDS + L_MASK_HI_PERMS] as number;
    if (((w6 >>> PERMS1_SHIFT) & bit) === 0) return 1;
    if (((w6 >>> PERMS2_SHIFT) & bit) === 0) return 2;
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
    const vLo = (sh >= 32 ? e.hi >>> (sh - 32) : (e.lo >>> sh) | (sh === 0 ? 0 : e.hi << (32 - sh))) | 0;
    const set = this.setOf(vLo, e.asid, e.vmid);
    const base = set * IOTLB_WAYS;
    let slot = -1;
    for (let w = base; w < base + IOTLB_WAYS && slot < 0; w++) if (this.valid[w] === 0) slot = w;
    if (slot < 0) {
      slot = base + (this.victim[set] as number);
      this.victim[set] = ((this.victim[set] as number) + 1) % IOTLB_WAYS;
      this.retiredHits += this.line[slot * WAY_WORDS + L_HITS] as number;
    }
    this.valid[slot] = 1;
    const q = slot * WAY_WORDS;
    this.line[q + L_VPN_LO] = vLo;
    this.line[q + L_VPN_HI_CTL] = vHi | ctlOf(sh, e.asid);
    this.line[q + L_TAG] = (e.vmid << 16) | (e.asid & 0xffff);
    this.line[q + L_OUT_LO] = e.outLo | 0;
    this.line[q + L_OUT_HI] = e.outHi | 0;
    this.line[q + L_MASK_LO] = sh >= 32 ? -1 : (1 << sh) - 1;
    const maskHi = sh <= 32 ? 0 : sh >= 52 ? MASK_HI_BITS : (1 << (sh - 32)) - 1;
    this.line[q + L_MASK_HI_PERMS] = maskHi | ((e.perms1 & 0x3f) << PERMS1_SHIFT) | ((e.perms2 & 0x3f) << PERMS2_SHIFT);
    this.line[q + L_HITS] = 0;
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
        this.retiredHits += this.line[w * WAY_WORDS + L_HITS] as number;
        this.line[w * WAY_WORDS + L_VPN_HI_CTL] = 0;
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
    const q = w * WAY_WORDS;
    const vpnHi = (this.line[q + L_VPN_HI_CTL] as number) & ((1 << CTL_SHIFT) - 1);
    const vpn = (BigInt(vpnHi) << 32n) | BigInt((this.line[q + L_VPN_LO] as number) >>> 0);
    const out = (BigInt((this.line[q + L_OUT_HI] as number) >>> 0) << 32n) | BigInt((this.line[q + L_OUT_LO] as number) >>> 0);
    const w6 = this.line[q + L_MASK_HI_PERMS] as number;
    return {
      slot: w,
      vmid: this.vmid[w] as number,
      asid: this.asid[w] as number,
      stage: this.stage[w] as TlbStage,
      input: vpn << sh,
      size: 1n << sh,
      output: out & ~((1n << sh) - 1n),
      perms: (w6 >>> PERMS1_SHIFT) & (w6 >>> PERMS2_SHIFT) & 0x3f,
      level: (this.stage[w] === TlbStage.S2 ? this.level2[w] : this.level1[w]) as number,
      hits: this.line[q + L_HITS] as number,
    };
  }

  clone(): Iotlb {
    const c = new Iotlb(this.sets);
    for (const k of ['valid', 'stage', 'vmid', 'asid', 'shift', 'ipaHi', 'ipaLo', 'level1', 'level2', 'line', 'victim'] as const) {
      (c[k] as Uint8Array).set(this[k] as Uint8Array);
    }
    c.shifts = [...this.shifts];
    c.retiredHits = this.retiredHits;
    c.missTotal = this.missTotal;
    return c;
  }
}
