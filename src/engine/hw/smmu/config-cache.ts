/**
 * The configuration cache: STEs and CDs the SMMU has fetched (SMMUv3 spec,
 * "Configuration and translation lookup"). Entries stay until a CMD_CFGI_*
 * removes them, so a table edit without invalidation is not seen — as on
 * real hardware. CMD_CFGI_STE also drops the stream's CDs, which were
 * fetched through that STE (QEMU flushes the whole per-device config too).
 */
import type { CdDecision } from './cd.ts';
import type { SteDecision } from './ste.ts';

export interface CachedSte {
  readonly words: readonly bigint[];
  readonly address: bigint;
  readonly decision: SteDecision;
}

export interface CachedCd {
  readonly words: readonly bigint[];
  /** The PA the CD was read from (after stage 2, when nested). */
  readonly address: bigint;
  readonly decision: CdDecision;
}

export class ConfigCache {
  private readonly stes = new Map<number, CachedSte>();
  private readonly cds = new Map<number, Map<number, CachedCd>>();

  ste(sid: number): CachedSte | undefined {
    return this.stes.get(sid);
  }

  putSte(sid: number, e: CachedSte): void {
    this.stes.set(sid, e);
  }

  cd(sid: number, ssid: number): CachedCd | undefined {
    return this.cds.get(sid)?.get(ssid);
  }

  putCd(sid: number, ssid: number, e: CachedCd): void {
    let m = this.cds.get(sid);
    if (!m) this.cds.set(sid, (m = new Map()));
    m.set(ssid, e);
  }

  /** CMD_CFGI_STE / CMD_CFGI_STE_RANGE / CMD_CFGI_ALL: StreamIDs in [first, last]. */
  invalidateStes(first: number, last: number): number {
    let n = 0;
    for (const sid of [...this.stes.keys()]) {
      if (sid >= first && sid <= last) { this.stes.delete(sid); n++; }
    }
    for (const sid of [...this.cds.keys()]) {
      if (sid >= first && sid <= last) { n += this.cds.get(sid)?.size ?? 0; this.cds.delete(sid); }
    }
    return n;
  }

  /** CMD_CFGI_CD (one SubstreamID) or CMD_CFGI_CD_ALL (ssid undefined). */
  invalidateCds(sid: number, ssid?: number): number {
    const m = this.cds.get(sid);
    if (!m) return 0;
    if (ssid === undefined) { const n = m.size; this.cds.delete(sid); return n; }
    return m.delete(ssid) ? 1 : 0;
  }

  entries(): { stes: [number, CachedSte][]; cds: [number, number, CachedCd][] } {
    const cds: [number, number, CachedCd][] = [];
    for (const [sid, m] of this.cds) for (const [ssid, e] of m) cds.push([sid, ssid, e]);
    return { stes: [...this.stes], cds };
  }

  clone(): ConfigCache {
    const c = new ConfigCache();
    for (const [sid, e] of this.stes) c.stes.set(sid, e);
    for (const [sid, m] of this.cds) c.cds.set(sid, new Map(m));
    return c;
  }
}
