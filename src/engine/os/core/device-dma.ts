/**
 * A DMA from a device, by name: the requester ID it carries on the wire (a
 * device behind a PCIe-to-PCI bridge carries the bridge's alias), the
 * StreamID that gives (SID = RID), the SMMU's outcome, and a judgement
 * against the domain its group is on. Reaching anything else is an
 * isolation finding.
 */
import type { Access } from '../../hw/pgtable/types.ts';
import type { DmaOutcome } from '../../hw/smmu/dma-types.ts';
import type { Smmu } from '../../hw/smmu/smmu.ts';
import { wireRid } from './pci.ts';
import { judge } from './reach.ts';
import type { LinuxFinding } from './record-types.ts';

/** Outside a switch: the DMA reached its group's domain, was blocked, or reached something else. */
export type DmaLanding = 'domain' | 'blocked' | 'outside';
import { deviceNamed, findDomain, groupById } from './state.ts';
import type { LinuxState } from './types.ts';

export interface DeviceDma {
  readonly device: string;
  readonly sid: number;
  readonly group: number | null;
  /** The domain the DMA is judged against: the group's (RID), or the PASID's. */
  readonly domain: string | null;
  readonly outcome: DmaOutcome;
  readonly landed: DmaLanding;
  readonly why: string;
  readonly finding?: LinuxFinding;
}

export function deviceDma(linux: LinuxState, smmu: Smmu, device: string, iova: bigint, access: Access, pasid?: number): DeviceDma {
  const dev = deviceNamed(linux, device, 'device');
  const sid = wireRid(linux.devices, dev);
  const outcome = smmu.dma({ sid, address: iova, access, ...(pasid !== undefined ? { ssid: pasid } : {}) });
  const g = dev.group === null ? undefined : groupById(linux, dev.group);
  const domainName = pasid === undefined ? (g?.domain ?? null) : (g?.pasidArray.find((p) => p.pasid === pasid)?.domain ?? null);
  const domain = findDomain(linux, domainName);
  const j = judge(linux, outcome, domain, domain);
  const landed: DmaLanding = j.landed === 'blocked' || j.landed === 'outside' ? j.landed : 'domain';
  const why = landed === 'domain' ? `${outcome.result} to 0x${(outcome.output ?? 0n).toString(16)} through ${domainName}` : j.why;
  const base = { device, sid, group: dev.group, domain: domainName, outcome, landed, why };
  if (landed !== 'outside') return base;
  const whose = dev.group === null
    ? `${device} has no IOMMU group (${dev.probeError ? `its probe failed with -${dev.probeError}` : 'not probed'}), yet its DMA with StreamID ${sid} ${j.why}`
    : `DMA from ${device} (StreamID ${sid}) at 0x${iova.toString(16)} ${j.why}; its group ${dev.group} is on ${domainName ?? 'nothing'}`;
  return { ...base, finding: { rule: 'isolation', message: whose, device, sid, iova, seen: { result: outcome.result, ...(outcome.output !== undefined ? { output: outcome.output } : {}) }, allowed: { old: domainName, new: domainName } } };
}
