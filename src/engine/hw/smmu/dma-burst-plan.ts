/**
 * What a burst of DMAs from one stream can skip: once the stream's STE (and
 * CD) are in the configuration cache, every later transaction of the burst
 * finds the same entries there — nothing inside a burst invalidates them —
 * so the lookup and the SubstreamID rules are worked out once, here, into a
 * plan. A stream whose transactions would end in an event before the IOTLB
 * (bad STE, bad SubstreamID, S1DSS = terminate ...), or never reach it
 * (abort, bypass, SMMU disabled), gets no plan: each of its transactions
 * takes the full path in dma.ts.
 */
import type { Stage1Regime } from '../pgtable/regime.ts';
import type { WalkTables } from '../pgtable/tables.ts';
import type { SmmuContext } from './dma.ts';
import { TlbStage } from './iotlb.ts';

export interface BurstPlan {
  readonly stage: TlbStage;
  readonly vmid: number;
  /** -1 for stage-2-only traffic, which carries no ASID. */
  readonly asid: number;
  /** The CD's stage-1 regime (undefined for stage 2 only). */
  readonly regime: Stage1Regime | undefined;
  readonly s2: WalkTables | null;
  /** Stage 1 bypassed: the input must fit the input address size (IAS = OAS) before stage 2. */
  readonly iasBits: number;
}

/** The plan for transactions of `sid` (with `ssid`, or without when undefined), or undefined when they need the full path. */
export function planBurst(ctx: SmmuContext, sid: number, ssid: number | undefined): BurstPlan | undefined {
  if (!ctx.enabled) return undefined;
  const ste = ctx.configCache.ste(sid);
  if (!ste || ste.decision.kind !== 'translate') return undefined;
  const d = ste.decision;
  const s2 = d.s2 ? d.s2.tables : null;
  const stage2Only = (): BurstPlan | undefined => (s2 ? { stage: TlbStage.S2, vmid: d.vmid, asid: -1, regime: undefined, s2, iasBits: ctx.features.oasBits } : undefined);
  if (!d.s1) return ssid === undefined ? stage2Only() : undefined;
  const s1 = d.s1;
  let cdSsid: number;
  if (ssid !== undefined) {
    if (s1.s1CdMax === 0 || ssid >= 2 ** s1.s1CdMax || (ssid === 0 && s1.s1dss === 2)) return undefined;
    cdSsid = ssid;
  } else if (s1.s1CdMax === 0 || s1.s1dss === 2) {
    cdSsid = 0;
  } else if (s1.s1dss === 1) {
    return stage2Only(); // S1DSS = bypass: stage 1 is skipped for traffic without a SubstreamID
  } else {
    return undefined;
  }
  const cd = ctx.configCache.cd(sid, cdSsid);
  if (!cd || cd.decision.kind !== 'ok') return undefined;
  const c = cd.decision.cd;
  return { stage: s2 ? TlbStage.Nested : TlbStage.S1, vmid: d.vmid, asid: c.asid, regime: c.regime, s2, iasBits: 64 };
}
