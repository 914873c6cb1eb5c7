/**
 * The transition invariant (iommu.c, __iommu_group_set_domain_internal: "DMA
 * must only be able to access either new_domain or group->domain, never
 * something else"). A switch records a checkpoint before the first device
 * moves, after every store and sync of every STE/CD write, and after each
 * device's move. At each checkpoint the engine
 *  - runs the scenario's in-flight DMAs scheduled there, for real (they fill
 *    the caches and raise events as any DMA would), and
 *  - checks every stream of every device of the group at a set of probe
 *    addresses without side effects (a peek through copies of the caches),
 * judging each outcome against the old and the new domain. Anything else is
 * a finding.
 */
import type { SmmuContext } from '../../hw/smmu/dma.ts';
import type { DmaOutcome, DmaTransaction } from '../../hw/smmu/dma-types.ts';
import type { Smmu } from '../../hw/smmu/smmu.ts';
import type { Access } from '../../hw/pgtable/types.ts';
import type { InflightDma } from './call-types.ts';
import type { CallContext } from './context.ts';
import { wireRid } from './pci.ts';
import { otherTraffic, svaProbeAddresses } from './pasid-traffic.ts';
import { nestingParentOf } from './nested.ts';
import { judge } from './reach.ts';
import type { Checkpoint, InflightResult } from './record-types.ts';
import { deviceNamed, findDomain, masterOf } from './state.ts';
import { dmaDomainName, installedDomain } from './sva-state.ts';
import type { IommuDomain, IommuGroup } from './types.ts';

const PROBE_ACCESS: Access = { kind: 'read', privileged: false };
/** Addresses no scenario is likely to map: an identity window shows here. */
const SENTINELS = [0n, 0x1000_0000n];
const MAX_RANGES = 4;

/** A copy of the SMMU's caches and a muted event queue: what a DMA would do now, changing nothing. */
export function peekContext(smmu: Smmu): SmmuContext {
  return {
    mem: smmu.mem, features: smmu.features, configCache: smmu.configCache.clone(), iotlb: smmu.iotlb.clone(),
    enabled: smmu.enabled, gbpaAbort: smmu.gbpaAbort, streamTable: smmu.streamTable,
    recordEvent: () => ({ dropped: 'a check by the engine, not a real transaction' }),
  };
}

export function probeAddresses(d: IommuDomain | undefined, parent: IommuDomain | undefined): bigint[] {
  const out: bigint[] = [];
  for (const m of [...(d?.mappings ?? []), ...(parent?.mappings ?? [])].slice(0, MAX_RANGES)) {
    out.push(m.iova + (m.size > 0x10n ? 0x10n : 0n));
    if (m.size > 0x1000n) out.push(m.iova + m.size - 0x1000n);
  }
  return out;
}

export class Transition {
  readonly checkpoints: Checkpoint[] = [];
  readonly inflightResults: InflightResult[] = [];
  /** `pasid` set: one PASID of the group switches (iommu_attach_device_pasid and friends), not its RID. */
  private active: { group: IommuGroup; old: string | null; new: string; pasid?: number } | null = null;
  /** The device whose STE/CD the driver is rewriting now. */
  moving: { device: string; from: string | null; to: string } | null = null;
  private readonly reported = new Set<string>();

  constructor(private readonly ctx: CallContext, private readonly inflight: readonly InflightDma[]) {}

  begin(group: IommuGroup, old: string | null, target: string, pasid?: number): void {
    this.active = { group, old, new: target, ...(pasid !== undefined ? { pasid } : {}) };
    const what = pasid === undefined ? `group ${group.id}` : `PASID ${pasid} of group ${group.id}`;
    this.point(`start: ${what} leaves ${old ?? 'no domain'} for ${target}`);
  }

  end(): void {
    this.active = null;
    this.moving = null;
  }

  point(label: string): void {
    const a = this.active;
    if (!a) return;
    const { linux } = this.ctx;
    const index = this.checkpoints.length;
    this.checkpoints.push({
      index, label, group: a.group.id, old: a.old, new: a.new, ...(a.pasid !== undefined ? { pasid: a.pasid } : {}),
      devices: a.group.devices.map((name) => ({
        device: name,
        domain: a.pasid === undefined ? (masterOf(linux, name)?.ridDomain ?? null) : installedDomain(linux, name, a.pasid),
        ...(this.moving?.device === name ? { moving: { from: this.moving.from, to: this.moving.to } } : {}),
      })),
    });
    const oldDomain = findDomain(linux, a.old);
    const newDomain = findDomain(linux, a.new);
    for (const dma of this.inflight) {
      if (dma.at === undefined || dma.at === index) this.inflightDma(index, dma, oldDomain, newDomain);
    }
    const peek = this.ctx.ops.hw(this.ctx).peeker();
    const parentOf = (d: IommuDomain | undefined) => nestingParentOf(linux, d);
    const addressesOf = (d: IommuDomain | undefined) => [...probeAddresses(d, parentOf(d)), ...svaProbeAddresses(linux, d)];
    const addresses = [...SENTINELS, ...addressesOf(oldDomain), ...addressesOf(newDomain)];
    this.probe(index, peek, a.pasid, addresses, oldDomain, newDomain, a.old, a.new);
    // The RID and the other PASIDs of the group must keep reaching only their own domains meanwhile.
    for (const other of otherTraffic(a.group, a.pasid)) {
      const own = findDomain(linux, other.domain);
      this.probe(index, peek, other.ssid, [...SENTINELS, ...addressesOf(own)], own, own, other.domain, other.domain ?? 'nothing');
    }
  }

  private probe(index: number, peek: (tx: DmaTransaction) => DmaOutcome, ssid: number | undefined, addresses: readonly bigint[], oldDomain: IommuDomain | undefined, newDomain: IommuDomain | undefined, old: string | null, target: string): void {
    const { linux } = this.ctx;
    const a = this.active as { group: IommuGroup };
    for (const name of a.group.devices) {
      for (const sid of this.streamsOf(name)) {
        for (const address of addresses) {
          const outcome = peek({ sid, address, access: PROBE_ACCESS, ...(ssid !== undefined ? { ssid } : {}) });
          const j = judge(linux, outcome, oldDomain, newDomain);
          if (j.landed === 'outside') this.violation(index, name, sid, outcome, j.why, old, target, ssid);
        }
      }
    }
  }

  /** A real DMA from a device (the StreamID its requests carry), judged against the switch, or against its own group's domain if it is not switching. */
  private inflightDma(index: number, dma: InflightDma, oldDomain: IommuDomain | undefined, newDomain: IommuDomain | undefined): void {
    const a = this.active as { group: IommuGroup; old: string | null; new: string; pasid?: number };
    const { linux } = this.ctx;
    const dev = deviceNamed(linux, dma.device, 'inflight.device');
    const sid = wireRid(linux.devices, dev);
    const outcome = this.ctx.ops.hw(this.ctx).dma({ sid, address: dma.iova, access: dma.access, ...(dma.pasid !== undefined ? { ssid: dma.pasid } : {}) }).outcome;
    // Only the traffic being switched (the RID, or the one PASID) may land on either domain; the rest stays on its own.
    const switching = a.group.devices.includes(dev.name) && dma.pasid === a.pasid;
    const own = switching ? undefined : findDomain(linux, dmaDomainName(linux, dev, dma.pasid));
    const j = switching ? judge(linux, outcome, oldDomain, newDomain) : judge(linux, outcome, own, own);
    this.inflightResults.push({ checkpoint: index, device: dev.name, sid, iova: dma.iova, outcome, landed: j.landed });
    if (j.landed !== 'outside') return;
    if (switching) this.violation(index, dev.name, sid, outcome, j.why, a.old, a.new, dma.pasid);
    else this.ctx.finding({ rule: 'isolation', message: `checkpoint ${index}: DMA from ${dev.name} (StreamID ${sid}${dma.pasid !== undefined ? `, PASID ${dma.pasid}` : ''}), not part of the switch, ${j.why}`, checkpoint: index, device: dev.name, sid, iova: dma.iova, seen: { result: outcome.result, ...(outcome.output !== undefined ? { output: outcome.output } : {}) } });
  }

  private streamsOf(device: string): readonly number[] {
    return masterOf(this.ctx.linux, device)?.streams ?? [];
  }

  private violation(checkpoint: number, device: string, sid: number, outcome: DmaOutcome, why: string, old: string | null, target: string, ssid?: number): void {
    const key = `${device}/${sid}/${ssid ?? '-'}/${outcome.tx.address}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.ctx.finding({
      rule: 'transition-invariant',
      message: `checkpoint ${checkpoint} (${this.checkpoints[checkpoint]?.label ?? ''}): DMA from ${device} (StreamID ${sid}${ssid !== undefined ? `, PASID ${ssid}` : ''}) at 0x${outcome.tx.address.toString(16)} ${why}; only ${old ?? 'nothing'}, ${target} or blocked are allowed`,
      checkpoint, device, sid, iova: outcome.tx.address,
      seen: { result: outcome.result, ...(outcome.output !== undefined ? { output: outcome.output } : {}) },
      allowed: { old, new: target },
    });
  }
}
