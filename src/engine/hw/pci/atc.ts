/**
 * A PCIe function's Address Translation Cache (PCIe Base spec, "Address
 * Translation Services"). The device fills it from ATS Translation
 * Completions and uses it for later DMA, which then goes out as translated
 * requests the SMMU does not walk. Only an ATS Invalidate Request (what
 * CMD_ATC_INV makes the SMMU send) removes entries, so an unmap that is not
 * followed by one leaves the device able to reach the old page.
 */

/** The Smallest Translation Unit Linux programs for arm-smmu-v3 (log2 of its smallest page): 4 KB. */
export const ATC_PAGE = 0x1000n;

export interface AtcEntry {
  /** The PASID the Translation Request carried; null for a request without one. */
  readonly pasid: number | null;
  /** Untranslated address of the page (aligned to ATC_PAGE). */
  readonly page: bigint;
  /** Translated address of the page. */
  readonly output: bigint;
  /** The permissions the completion granted (R and W). */
  readonly read: boolean;
  readonly write: boolean;
}

export function atcLookup(atc: readonly AtcEntry[], pasid: number | null, address: bigint): AtcEntry | undefined {
  const page = address & ~(ATC_PAGE - 1n);
  return atc.find((e) => e.pasid === pasid && e.page === page);
}

/** A completion replaces whatever the cache held for that page and PASID. */
export function atcFill(atc: readonly AtcEntry[], e: AtcEntry): AtcEntry[] {
  return [...atc.filter((x) => !(x.pasid === e.pasid && x.page === e.page)), e];
}

/**
 * An ATS Invalidate Request for [start, end). With a PASID (SSV = 1) it hits
 * that PASID's entries only; without one it hits every entry in the range,
 * PASID-tagged ones included (there is no way to name "no PASID" alone).
 */
export function atcInvalidate(atc: readonly AtcEntry[], pasid: number | null, start: bigint, end: bigint): { kept: AtcEntry[]; removed: AtcEntry[] } {
  const kept: AtcEntry[] = [];
  const removed: AtcEntry[] = [];
  for (const e of atc) {
    const inRange = e.page < end && e.page + ATC_PAGE > start;
    const hit = inRange && (pasid === null || e.pasid === pasid);
    (hit ? removed : kept).push(e);
  }
  return { kept, removed };
}

/** The range an ATC_INV names: Size is log2 of the number of 4 KB pages, 52 and above means everything. */
export function atcInvRange(address: bigint, size: number): [bigint, bigint] {
  if (size >= 52) return [0n, 1n << 64n];
  const span = ATC_PAGE << BigInt(size);
  const start = address & ~(span - 1n);
  return [start, start + span];
}
