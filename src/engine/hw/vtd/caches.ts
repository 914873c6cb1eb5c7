/**
 * The caches a VT-d unit keeps (VT-d spec, "Caching Translation
 * Information"): the context cache (context entries by requester ID), the
 * PASID cache (PASID entries by requester ID and PASID, tagged with their
 * DID) and the IOTLB (translations tagged by DID and PASID). An entry stays
 * until the invalidation descriptor that covers it is processed, whatever
 * memory says meanwhile: that is the staleness a missing invalidation shows.
 *
 * Paging-structure caches (cached non-leaf entries) are not modelled: a
 * walk always reads every level from memory.
 */
import type { Perms } from './walk.ts';

export type TranslationKind = 'first-stage' | 'second-stage' | 'nested';

export interface CachedContext {
  readonly sid: number;
  /** The root entry and context entry as they were read. */
  readonly rootAddress: bigint;
  readonly rootWords: readonly bigint[];
  readonly address: bigint;
  readonly words: readonly bigint[];
  /** Legacy entries carry the DID; scalable-mode ones do not (their PASID entries do). */
  readonly did: number | null;
}

export interface CachedPasidEntry {
  readonly sid: number;
  readonly pasid: number;
  readonly dirAddress: bigint;
  readonly dirWord: bigint;
  readonly address: bigint;
  readonly words: readonly bigint[];
  readonly did: number;
}

export interface IotlbEntry {
  readonly did: number;
  /** null in legacy mode (the IOTLB is not PASID-tagged there). */
  readonly pasid: number | null;
  readonly kind: TranslationKind;
  /** Input page base (aligned to size) and output page base. */
  readonly page: bigint;
  readonly size: bigint;
  readonly output: bigint;
  readonly perms: Perms & { readonly user?: boolean };
  /** The requester whose walk filled it (for the view; lookups go by DID and PASID). */
  readonly sid: number;
}

/** Plain-data caches: copied whole for a snapshot. */
export class VtdCaches {
  context = new Map<number, CachedContext>();
  pasid = new Map<string, CachedPasidEntry>();
  iotlb: IotlbEntry[] = [];

  static pasidKey(sid: number, pasid: number): string {
    return `${sid}:${pasid}`;
  }

  clone(): VtdCaches {
    const c = new VtdCaches();
    c.context = new Map(this.context);
    c.pasid = new Map(this.pasid);
    c.iotlb = [...this.iotlb];
    return c;
  }

  lookupIotlb(did: number, pasid: number | null, address: bigint): IotlbEntry | undefined {
    return this.iotlb.find((e) => e.did === did && e.pasid === pasid && address >= e.page && address < e.page + e.size);
  }

  /** A new translation replaces any entry for the same page, DID and PASID; the IOTLB holds at most 512 (oldest out first). */
  insertIotlb(e: IotlbEntry): void {
    this.iotlb = this.iotlb.filter((x) => !(x.did === e.did && x.pasid === e.pasid && x.page === e.page));
    this.iotlb.push(e);
    if (this.iotlb.length > 512) this.iotlb.shift();
  }

  /** Removes the IOTLB entries `match` selects; returns how many. */
  dropIotlb(match: (e: IotlbEntry) => boolean): number {
    const before = this.iotlb.length;
    this.iotlb = this.iotlb.filter((e) => !match(e));
    return before - this.iotlb.length;
  }

  dropContext(match: (e: CachedContext) => boolean): number {
    let n = 0;
    for (const [k, v] of [...this.context]) if (match(v)) { this.context.delete(k); n++; }
    return n;
  }

  dropPasid(match: (e: CachedPasidEntry) => boolean): number {
    let n = 0;
    for (const [k, v] of [...this.pasid]) if (match(v)) { this.pasid.delete(k); n++; }
    return n;
  }
}

/** Whether [page, page + size) overlaps [address, address + bytes). */
export function overlaps(e: { page: bigint; size: bigint }, address: bigint, bytes: bigint): boolean {
  return e.page < address + bytes && address < e.page + e.size;
}
