/**
 * The Linux part of the diagram panel, from the store: what the engine
 * caught (first), the topology after the step (or at the checkpoint the
 * scrubber is on, with the in-flight DMA of that checkpoint as packets),
 * then the kernel call and its hardware writes, or a device's DMA and where
 * it landed (its path through the SMMU follows, drawn by the DMA view).
 */
import { useMemo } from 'react';
import type { EngineEvent, LinuxFinding } from '../../engine/index.ts';
import { selectCheckpoint, useAppStore } from '../../store/appStore.ts';
import {
  selectCheckpoint as selectCheckpointPosition, selectCurrentEvents, selectCurrentLinuxCall, selectCurrentLinuxDma, selectLinux, selectRevision, selectSmmu,
  type LinuxCallEvent, type LinuxDmaEvent,
} from '../../store/selectors.ts';
import { hexGrouped } from '../format.ts';
import { stepFocus } from '../topology/focus.ts';
import type { PacketSpec } from '../topology/packets.ts';
import type { DeviceOverride } from '../topology/topologyLayout.ts';
import { TopologyView } from '../topology/TopologyView.tsx';
import { checkpointPasid } from './CheckpointScrubber.tsx';
import { FindingsBanner } from './FindingsBanner.tsx';
import { LinuxCallView } from './LinuxCallView.tsx';
import './linux.css';

const NO_FINDINGS: readonly LinuxFinding[] = [];

function findingsOf(events: readonly EngineEvent[]): readonly LinuxFinding[] {
  const out = events.flatMap((e) => (e.kind === 'linux.finding' ? [e.finding] : []));
  return out.length === 0 ? NO_FINDINGS : out;
}

/** The checkpoint's devices and packets; none after the call. */
function atCheckpoint(call: LinuxCallEvent | undefined, position: number): { overrides?: Map<string, DeviceOverride>; groupDomains?: Map<number, string | null>; packets?: PacketSpec[] } {
  const c = call?.checkpoints[position];
  if (!call || !c) return {};
  // A PASID switch moves one PASID's CD: the devices' STEs and group->domain stay as they are.
  const pasid = checkpointPasid(c);
  const overrides = pasid === undefined ? new Map(c.devices.map((d) => [d.device, { domain: d.domain, ...(d.moving ? { moving: d.moving } : {}) }] as const)) : undefined;
  const inflight = call.kind === 'linux.called' ? call.inflight.filter((r) => r.checkpoint === position) : [];
  const packets = inflight.map((r, i): PacketSpec => ({
    key: `${position}:${i}`, device: r.device, landed: r.landed, label: hexGrouped(r.iova), access: r.outcome.tx.access.kind,
    domain: r.landed === 'old domain' ? c.old : r.landed === 'blocked' ? null : c.new,
  }));
  // group->domain changes only once every device has moved (__iommu_group_set_domain_internal).
  return pasid === undefined ? { overrides, groupDomains: new Map([[c.group, c.old]]), packets } : { packets };
}

function dmaPacket(dma: LinuxDmaEvent): PacketSpec[] {
  return [{ key: 'dma', device: dma.device, landed: dma.landed, domain: dma.landed === 'domain' ? dma.domain : null, label: hexGrouped(dma.outcome.tx.address), access: dma.outcome.tx.access.kind }];
}

function DmaLanding({ dma }: { dma: LinuxDmaEvent }) {
  const tone = dma.landed === 'domain' ? 'tone-new' : dma.landed === 'blocked' ? 'tone-blocked' : 'tone-outside';
  // 'outside' and any other word (a stale IOTLB hit) mean memory the group's domain does not map.
  return (
    <p className="dma-landing" data-testid="dma-landing">
      DMA from <strong>{dma.device}</strong> (StreamID 0x{dma.sid.toString(16)}, iommu_group {dma.group ?? 'none'}) at <code>{hexGrouped(dma.outcome.tx.address)}</code>:{' '}
      <span className={`landed ${tone}`}>{dma.landed === 'domain' ? `through ${dma.domain ?? 'its domain'}` : dma.landed}</span> <span className="muted">— {dma.why}</span>
    </p>
  );
}

export function LinuxStage() {
  const view = useAppStore(selectLinux);
  const events = useAppStore(selectCurrentEvents);
  const call = useAppStore(selectCurrentLinuxCall);
  const dma = useAppStore(selectCurrentLinuxDma);
  const stored = useAppStore(selectCheckpointPosition);
  const revision = useAppStore(selectRevision);
  const smmu = useAppStore(selectSmmu);
  const last = call?.checkpoints.length ?? 0;
  const position = Math.min(stored ?? last, last);
  const findings = findingsOf(events);
  const focus = useMemo(() => stepFocus(events, view), [events, view]);
  const { overrides, groupDomains, packets } = useMemo(() => (dma ? { packets: dmaPacket(dma) } : atCheckpoint(call, position)), [dma, call, position]);
  if (!view) return null;
  return (
    <div className="linux-stage" data-testid="linux-stage">
      <FindingsBanner findings={findings} />
      <TopologyView view={view} {...(overrides ? { overrides } : {})} {...(groupDomains ? { groupDomains } : {})} {...(packets ? { packets } : {})} focus={focus} replayKey={`${revision}:${position}`}
        caption={call && position < last ? `At checkpoint ${position}` : 'After this step'} />
      {dma && <DmaLanding dma={dma} />}
      {call && <LinuxCallView event={call} position={position} onMove={selectCheckpoint} features={smmu?.features} />}
    </div>
  );
}
