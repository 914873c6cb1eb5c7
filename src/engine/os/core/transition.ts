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
import { runDma, type SmmuContext } from '../../hw/smmu/dma.ts';
import type { DmaOutcome } from '../../hw/smmu/dma-types.ts';
import type { Smmu } from '../../hw/smmu/smmu.ts';
import type { Access } from '../../hw/pgtable/types.ts';
import type { InflightDma } from './call-types.ts';
import type { CallContext } from './context.ts';
import { wireRid } from './pci.ts';
import { judge } from './reach.ts';
import type { Checkpoint, InflightResult } from './record-types.ts';
import { deviceNamed, findDomain, masterOf } from './state.ts';
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
  private active: { group: IommuGroup; old: string | null; new: string } | null = null;
  /** The device whose STE/CD the driver is rewriting now. */
  moving: { device: string; from: string | null; to: string } | null = null;
  private readonly reported = new Set<string>();

  constructor(private readonly ctx: CallContext, private readonly inflight: readonly InflightDma[]) {}

  begin(group: IommuGroup, old: string | null, target: string): void {
    this.active = { group, old, new: target };
    this.point(`start: group ${group.id} leaves ${old ?? 'no domain'} for ${target}`);
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
      index, label, group: a.group.id, old: a.old, new: a.new,
      devices: a.group.devices.map((name) => ({
        device: name,
        domain: masterOf(linux, name)?.ridDomain ?? null,
        ...(this.moving?.device === name ? { moving: { from: this.moving.from, to: this.moving.to } } : {}),
      })),
    });
    const oldDomain = findDomain(linux, a.old);
    const newDomain = findDomain(linux, a.new);
    for (const dma of this.inflight) {
      if (dma.at === undefined || dma.at === index) this.inflightDma(index, dma, oldDomain, newDomain);
    }
    const peek = peekContext(this.ctx.smmu);
    const parentOf = (d: IommuDomain | undefined) => findDomain(linux, linux.viommus.find((v) => v.name === d?.nested?.viommu)?.parent ?? null);
    const addresses = [...SENTINELS, ...probeAddresses(oldDomain, parentOf(oldDomain)), ...probeAddresses(newDomain, parentOf(newDomain))];
    for (const name of a.group.devices) {
      for (const sid of this.streamsOf(name)) {
        for (const address of addresses) {
          const outcome = runDma(peek, { sid, address, access: PROBE_ACCESS });
          const j = judge(linux, outcome, oldDomain, newDomain);
          if (j.landed === 'outside') this.violation(index, name, sid, outcome, j.why, a.old, a.new);
        }
      }
    }
  }

  /** A real DMA from a device (the StreamID its requests carry), judged against the switch, or against its own group's domain if it is not switching. */
  private inflightDma(index: number, dma: InflightDma, oldDomain: IommuDomain | undefined, newDomain: IommuDomain | undefined): void {
    const a = this.active as { group: IommuGroup; old: string | null; new: string };
    const { linux } = this.ctx;
    const dev = deviceNamed(linux, dma.device, 'inflight.device');
    const sid = wireRid(linux.devices, dev);
    const outcome = this.ctx.smmu.dma({ sid, address: dma.iova, access: dma.access, ...(dma.pasid !== undefined ? { ssid: dma.pasid } : {}) });
    const switching = a.group.devices.includes(dev.name);
    const own = switching ? undefined : findDomain(linux, linux.groups.find((g) => g.id === dev.group)?.domain ?? null);
    const j = switching ? judge(linux, outcome, oldDomain, newDomain) : judge(linux, outcome, own, own);
    this.inflightResults.push({ checkpoint: index, device: dev.name, sid, iova: dma.iova, outcome, landed: j.landed });
    if (j.landed !== 'outside') return;
    if (switching) this.violation(index, dev.name, sid, outcome, j.why, a.old, a.new);
    else this.ctx.finding({ rule: 'isolation', message: `checkpoint ${index}: DMA from ${dev.name} (StreamID ${sid}), not in the switching group, ${j.why}`, checkpoint: index, device: dev.name, sid, iova: dma.iova, seen: { result: outcome.result, ...(outcome.output !== undefined ? { output: outcome.output } : {}) } });
  }

  private streamsOf(device: string): readonly number[] {
    return masterOf(this.ctx.linux, device)?.streams ?? [];
  }

  private violation(checkpoint: number, device: string, sid: number, outcome: DmaOutcome, why: string, old: string | null, target: string): void {
    const key = `${device}/${sid}/${outcome.tx.address}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.ctx.finding({
      rule: 'transition-invariant',
      message: `checkpoint ${checkpoint} (${this.checkpoints[checkpoint]?.label ?? ''}): DMA from ${device} (StreamID ${sid}) at 0x${outcome.tx.address.toString(16)} ${why}; only ${old ?? 'nothing'}, ${target} or blocked are allowed`,
      checkpoint, device, sid, iova: outcome.tx.address,
      seen: { result: outcome.result, ...(outcome.output !== undefined ? { output: outcome.output } : {}) },
      allowed: { old, new: target },
    });
  }
}
