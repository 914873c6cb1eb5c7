/**
 * A DMA from a device, by name: the requester ID it carries on the wire (a
 * device behind a PCIe-to-PCI bridge carries the bridge's alias), the
 * StreamID that gives (SID = RID), the SMMU's outcome, and a judgement
 * against the domain its group is on. Reaching anything else is an
 * isolation finding.
 */
import type { Access } from '../../hw/pgtable/types.ts';
import type { DmaOutcome } from '../../hw/smmu/dma-types.ts';
import type { VtdDmaOutcome } from '../../hw/vtd/dma-types.ts';
import type { IommuHw } from './iommu-ops.ts';
import { staleWindow } from './flush-queue.ts';
import { wireRid } from './pci.ts';
import { judge } from './reach.ts';
import type { LinuxFinding } from './record-types.ts';

/**
 * Outside a switch: the DMA reached its group's domain, was blocked, reached
 * an unmapped range through a translation the flush queue has not yet
 * invalidated (stale: the DMA_FQ window the model reports), or reached
 * something else.
 */
export type DmaLanding = 'domain' | 'blocked' | 'stale' | 'outside';
import { deviceNamed, findDomain, groupById } from './state.ts';
import type { LinuxState } from './types.ts';

export interface DeviceDma {
  readonly device: string;
  readonly sid: number;
  /** The SubstreamID the DMA carried (a PASID TLP prefix), if any. */
  readonly pasid?: number;
  readonly group: number | null;
  /** The domain the DMA is judged against: the group's (RID), or the PASID's. */
  readonly domain: string | null;
  readonly outcome: DmaOutcome;
  /** On intel-iommu: the VT-d unit's own outcome (root/context/PASID reads, walk, fault reason); `outcome` restates it in the core's terms. */
  readonly vtd?: VtdDmaOutcome;
  readonly landed: DmaLanding;
  readonly why: string;
  readonly finding?: LinuxFinding;
}

export function deviceDma(linux: LinuxState, hw: IommuHw, device: string, iova: bigint, access: Access, pasid?: number): DeviceDma {
  const dev = deviceNamed(linux, device, 'device');
  const sid = wireRid(linux.devices, dev);
  // With ATS on, a hit in the device's ATC goes out as a translated request (hw/pci/requester.ts).
  const { outcome, vtd } = hw.request({ sid, address: iova, access, ...(pasid !== undefined ? { ssid: pasid } : {}) });
  const g = dev.group === null ? undefined : groupById(linux, dev.group);
  const domainName = pasid === undefined ? (g?.domain ?? null) : (g?.pasidArray.find((p) => p.pasid === pasid)?.domain ?? null);
  const domain = findDomain(linux, domainName);
  // A translated request carries the physical address; it is judged by the IOVA the device translated.
  const j = judge(linux, outcome.trace.ats ? { ...outcome, tx: { ...outcome.tx, address: iova } } : outcome, domain, domain);
  const stale = j.landed === 'outside' && outcome.result === 'translated' ? staleWindow(domain, iova, outcome.output as bigint) : undefined;
  const landed: DmaLanding = stale ? 'stale' : j.landed === 'blocked' || j.landed === 'outside' ? j.landed : 'domain';
  const via = outcome.trace.ats ? `${device}'s ATC` : 'a cached IOTLB entry';
  const why = landed === 'domain' ? `${outcome.result} to 0x${(outcome.output ?? 0n).toString(16)} through ${domainName}${outcome.trace.ats ? ` (a translated request: ${device}'s ATC gave the address)` : ''}`
    : stale ? `reached 0x${(outcome.output ?? 0n).toString(16)} through ${via}: 0x${stale.iova.toString(16)} was unmapped from ${domainName} but waits in its flush queue, not yet invalidated`
    : vtd?.fault && landed === 'blocked' ? `blocked: fault reason 0x${vtd.fault.reason.toString(16)} ${vtd.fault.name} (${vtd.fault.text})`
    : j.why;
  const base = { device, sid, ...(pasid !== undefined ? { pasid } : {}), group: dev.group, domain: domainName, outcome, ...(vtd ? { vtd } : {}), landed, why };
  if (landed !== 'outside') return base;
  const whose = dev.group === null
    ? `${device} has no IOMMU group (${dev.probeError ? `its probe failed with -${dev.probeError}` : 'not probed'}), yet its DMA with StreamID ${sid} ${j.why}`
    : `DMA from ${device} (StreamID ${sid}${pasid !== undefined ? `, PASID ${pasid}` : ''}) at 0x${iova.toString(16)} ${j.why}; ${pasid !== undefined ? `PASID ${pasid} of ` : ''}its group ${dev.group} is on ${domainName ?? 'nothing'}`;
  return { ...base, finding: { rule: 'isolation', message: whose, device, sid, iova, seen: { result: outcome.result, ...(outcome.output !== undefined ? { output: outcome.output } : {}) }, allowed: { old: domainName, new: domainName } } };
}
