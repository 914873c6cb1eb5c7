/**
 * Realistic dumps the import page offers as "Try a sample". Bundled as
 * text (Vite's ?raw) so the page works offline. The VT-d samples were
 * built to agree with themselves: every table address, index and entry
 * follows the layouts in vtd-fields.ts; the machines are made up.
 */
import groupsDesktop from './groups-desktop.txt?raw';
import vtdLegacy from './vtd-legacy.txt?raw';
import vtdScalable from './vtd-scalable.txt?raw';

export type SampleId = 'groups' | 'vtd-legacy' | 'vtd-scalable';

export interface Sample {
  readonly id: SampleId;
  readonly label: string;
  readonly description: string;
  readonly text: string;
}

export const SAMPLES: readonly Sample[] = [
  { id: 'groups', label: 'Desktop: IOMMU groups + lspci', description: 'A Coffee Lake desktop with a GeForce card: find /sys/kernel/iommu_groups/ -type l, then lspci -nn.', text: groupsDesktop },
  { id: 'vtd-legacy', label: 'VT-d legacy mode', description: 'A laptop whose IOMMU has no scalable mode: dmar_translation_struct and the one-file domain_translation_struct of kernels before 6.7.', text: vtdLegacy },
  { id: 'vtd-scalable', label: 'VT-d scalable mode', description: 'A server in scalable mode, with PASID entries (DMA, SVA, a VM\'s second stage, pass-through) and per-device domain_translation_struct files.', text: vtdScalable },
];

/** "?import=groups", "?import=vtd" (the legacy sample), or a sample id. */
export function sampleForParam(param: string | null): Sample | undefined {
  const p = (param ?? '').trim().toLowerCase();
  const id = p === 'vtd' ? 'vtd-legacy' : p;
  return SAMPLES.find((s) => s.id === id);
}
