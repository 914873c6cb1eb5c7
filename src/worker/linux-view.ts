/**
 * The page's view of the Linux IOMMU core after a step: the engine's own
 * linuxTopologyView, plus what it leaves out that the topology draws — which
 * domain each PASID of a group is attached to (group->pasid_array).
 */
import { linuxTopologyView, type LinuxState, type LinuxTopologyView } from '../engine/index.ts';

export interface PasidAttachment {
  readonly group: number;
  readonly pasid: number;
  readonly domain: string;
  /** The attach handle (an SVA bond's name, iommufd's handle), when there is one. */
  readonly handle?: string;
}

export interface LinuxView extends LinuxTopologyView {
  readonly pasidAttachments: readonly PasidAttachment[];
}

export function buildLinuxView(linux: LinuxState): LinuxView {
  const pasidAttachments = linux.groups.flatMap((g) =>
    g.pasidArray.map((p) => ({ group: g.id, pasid: p.pasid, domain: p.domain, ...(p.handle === undefined ? {} : { handle: p.handle }) })),
  );
  return { ...linuxTopologyView(linux), pasidAttachments };
}
