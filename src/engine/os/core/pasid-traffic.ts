/**
 * PASID-tagged traffic for the transition invariant. A switch of a group's
 * RID must not disturb its PASIDs, and a switch of one PASID must not
 * disturb the RID or the other PASIDs: at each checkpoint that traffic is
 * probed too and judged against its own, unchanged domain. An SVA domain's
 * probe addresses come from the pages its mm maps.
 */
import { reachMappings } from './sva-state.ts';
import type { IommuDomain, IommuGroup, LinuxState } from './types.ts';

/** Traffic a switch does not change: ssid undefined is the RID. */
export interface OtherTraffic {
  readonly ssid?: number;
  readonly domain: string | null;
}

/** What else the group's devices send while `activePasid` (undefined: the RID) switches. */
export function otherTraffic(g: IommuGroup, activePasid: number | undefined): OtherTraffic[] {
  const out: OtherTraffic[] = activePasid === undefined ? [] : [{ domain: g.domain }];
  for (const p of g.pasidArray) if (p.pasid !== activePasid) out.push({ ssid: p.pasid, domain: p.domain });
  return out;
}

const MAX_RANGES = 4;

/** Addresses worth probing in an SVA domain: the start and the last page of the first few ranges its mm maps. */
export function svaProbeAddresses(linux: LinuxState, d: IommuDomain | undefined): bigint[] {
  if (d?.type !== 'SVA') return [];
  const out: bigint[] = [];
  for (const m of reachMappings(linux, d).slice(0, MAX_RANGES)) {
    out.push(m.iova + (m.size > 0x10n ? 0x10n : 0n));
    if (m.size > 0x1000n) out.push(m.iova + m.size - 0x1000n);
  }
  return out;
}
