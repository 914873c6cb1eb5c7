/**
 * What the importers return. Every importer is strict and kind: a line it
 * cannot read becomes a problem naming the line, its text and why, and what
 * it could read is still returned. Nothing here throws on any input.
 */

/** One line that did not parse. */
export interface ImportProblem {
  /** 1-based, as an editor numbers lines. */
  readonly line: number;
  /** The line as pasted, shortened for display and with control characters made visible. */
  readonly text: string;
  readonly reason: string;
}

/** The kinds of text the importer recognises; one paste may hold several. */
export type DumpKind = 'iommu-groups' | 'lspci' | 'vtd-dmar' | 'vtd-domain';

export const DUMP_KIND_LABELS: Readonly<Record<DumpKind, string>> = {
  'iommu-groups': 'IOMMU groups (find /sys/kernel/iommu_groups)',
  lspci: 'lspci -nn device list',
  'vtd-dmar': 'VT-d dmar_translation_struct',
  'vtd-domain': 'VT-d domain_translation_struct',
};

/** A PCI requester: segment (domain), bus, device, function. */
export interface Bdf {
  readonly segment: number;
  readonly bus: number;
  readonly device: number;
  readonly fn: number;
}
