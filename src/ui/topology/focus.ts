/**
 * What the current step touched, as topology node ids, so the drawing can
 * highlight it: the devices, groups and domains a kernel call named, the
 * devices whose STE or CD the driver rewrote, the group a switch moved; a
 * device's DMA and the domain it went through.
 */
import type { EngineEvent, LinuxTopologyView } from '../../engine/index.ts';
import { argRole } from '../../scenario/index.ts';
import { deviceId, domainId, groupId } from './topologyLayout.ts';

function groupOfDevice(view: LinuxTopologyView | undefined, name: string): number | null {
  return view?.devices.find((d) => d.name === name)?.group ?? null;
}

export function stepFocus(events: readonly EngineEvent[], view: LinuxTopologyView | undefined): Set<string> {
  const ids = new Set<string>();
  for (const e of events) {
    if (e.kind === 'linux.called') {
      for (const [arg, value] of Object.entries(e.call.args as Record<string, unknown>)) {
        const role = argRole(e.call.call, arg);
        if (typeof value === 'string' && role === 'device') {
          ids.add(deviceId(value));
        } else if (role === 'group') {
          const g = typeof value === 'number' ? value : typeof value === 'string' ? groupOfDevice(view, value) : null;
          if (g !== null) ids.add(groupId(g));
        } else if (typeof value === 'string' && (role === 'domain' || role === 'domain|null' || role === 'new-domain')) {
          ids.add(domainId(value));
        } else if (typeof value === 'string' && (role === 'viommu' || role === 'new-viommu')) {
          ids.add(`viommu:${value}`);
        }
      }
      for (const h of e.hw) if (h.kind === 'ste' || h.kind === 'cd') ids.add(deviceId(h.device));
      for (const c of e.checkpoints.slice(0, 1)) {
        ids.add(groupId(c.group));
        ids.add(domainId(c.new));
        if (c.old) ids.add(domainId(c.old));
      }
    } else if (e.kind === 'linux.dma') {
      ids.add(deviceId(e.device));
      if (e.domain) ids.add(domainId(e.domain));
    } else if (e.kind === 'linux.finding' && e.finding.device) {
      ids.add(deviceId(e.finding.device));
    }
  }
  return ids;
}
