/**
 * The twin of a scenario on the other IOMMU: the same steps, with the
 * linux.boot step's `iommu` flipped (arm-smmu-v3 <-> intel-iommu). Kernel
 * calls, kernel DMA, memory stores and Arm page-table steps run on both;
 * steps that program one IOMMU's hardware directly (smmu.* and vtd.*) have
 * no counterpart on the other and are skipped there, keeping the step
 * numbers aligned (the twin's step k is a no-op). Skipping rather than
 * translating them is deliberate: an smmu.writeCd has no VT-d meaning (there
 * is no CD table), and inventing one would show hardware no driver writes.
 *
 * The iommufd calls that make a nested domain differ by IOMMU too: on
 * arm-smmu-v3 it comes from a vIOMMU and the guest's STE, on intel-iommu
 * from IOMMU_HWPT_DATA_VTD_S1 on the nesting parent. Such a call runs only
 * on the IOMMU whose uAPI it is, so a scenario can make the same nested
 * domain both ways (under one name) and attach it with a call both run.
 */
import type { EngineCommand } from '../engine/commands.ts';
import type { Scenario } from '../scenario/index.ts';
import { scenarioToCommands } from '../scenario/index.ts';
import type { IommuName, TwinStepNote } from './compare-types.ts';

/** One side's commands, one per scenario step; null where that side skips the step. */
export type SideCommands = readonly (EngineCommand | null)[];

export type TwinPlan =
  | { readonly ok: false; readonly reason: string }
  | { readonly ok: true; readonly original: IommuName; readonly smmu: SideCommands; readonly vtd: SideCommands; readonly skipped: readonly TwinStepNote[] };

type BootCommand = Extract<EngineCommand, { kind: 'linux.boot' }>;

/** linux.boot on the other IOMMU: the same devices and default domain type, the other driver with its default unit. */
export function flipBoot(boot: BootCommand, to: IommuName): BootCommand {
  const { smmu, vtd, iommu: _from, ...common } = boot;
  if (to === 'intel-iommu') return { ...common, iommu: 'intel-iommu', ...(vtd ? { vtd } : {}) };
  return { ...common, ...(smmu ? { smmu } : {}) };
}

/** Kernel calls that exist for one IOMMU driver only (iommufd's driver-specific uAPI). */
export const CALLS_OF: Readonly<Record<string, 'smmu' | 'vtd'>> = {
  iommufd_viommu_alloc: 'smmu',
  iommufd_vdevice_alloc: 'smmu',
  iommufd_viommu_alloc_hwpt_nested: 'smmu',
  iommufd_hwpt_nested_alloc: 'vtd',
  iommufd_hwpt_invalidate: 'vtd',
};

function sideOf(c: EngineCommand): 'smmu' | 'vtd' | null {
  if (c.kind.startsWith('smmu.')) return 'smmu';
  if (c.kind.startsWith('vtd.')) return 'vtd';
  if (c.kind === 'linux.call') return CALLS_OF[c.call] ?? null;
  return null;
}

function whySkipped(c: EngineCommand, own: 'smmu' | 'vtd'): string {
  if (c.kind === 'linux.call') {
    return own === 'smmu'
      ? `${c.call} is arm-smmu-v3's iommufd uAPI (a vIOMMU and the guest's STE); intel-iommu makes its nested domains with iommufd_hwpt_nested_alloc instead, so the intel-iommu side skips it`
      : `${c.call} is intel-iommu's iommufd uAPI (IOMMU_HWPT_DATA_VTD_S1: the guest's first-stage table); arm-smmu-v3 makes its nested domains from a vIOMMU instead, so the arm-smmu-v3 side skips it`;
  }
  return own === 'smmu'
    ? `${c.kind} programs the SMMU itself (its STEs, CDs, queues or registers); VT-d has no such structure, so the intel-iommu side skips it`
    : `${c.kind} programs the VT-d unit itself (its context or PASID entries, queue or registers); the SMMU has no such structure, so the arm-smmu-v3 side skips it`;
}

export function buildTwin(scenario: Scenario): TwinPlan {
  const commands = scenarioToCommands(scenario);
  const boots = commands.filter((c): c is BootCommand => c.kind === 'linux.boot');
  if (boots.length === 0) return { ok: false, reason: 'this scenario does not boot Linux (no linux.boot step), so there is no kernel state to run on both IOMMUs' };
  const original: IommuName = boots[0]?.iommu ?? 'arm-smmu-v3';
  if (boots.some((b) => (b.iommu ?? 'arm-smmu-v3') !== original)) return { ok: false, reason: 'its linux.boot steps name different IOMMUs, so it has no single twin' };
  const skipped: TwinStepNote[] = [];
  const smmu: (EngineCommand | null)[] = [];
  const vtd: (EngineCommand | null)[] = [];
  commands.forEach((c, i) => {
    const own = sideOf(c);
    if (c.kind === 'linux.boot') {
      smmu.push(original === 'arm-smmu-v3' ? c : flipBoot(c, 'arm-smmu-v3'));
      vtd.push(original === 'intel-iommu' ? c : flipBoot(c, 'intel-iommu'));
      return;
    }
    smmu.push(own === 'vtd' ? null : c);
    vtd.push(own === 'smmu' ? null : c);
    if (own !== null) {
      const other = own === 'smmu' ? 'vtd' : 'smmu';
      skipped.push({ step: i + 1, kind: c.kind === 'linux.call' ? c.call : c.kind, skippedOn: other, why: whySkipped(c, own) });
    }
  });
  return { ok: true, original, smmu, vtd, skipped };
}
