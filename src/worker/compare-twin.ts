/**
 * The twin of a scenario on the other IOMMU: the same steps, with the
 * linux.boot step's `iommu` flipped (arm-smmu-v3 <-> intel-iommu). Kernel
 * calls, kernel DMA, memory stores and Arm page-table steps run on both;
 * steps that program one IOMMU's hardware directly (smmu.* and vtd.*) have
 * no counterpart on the other and are skipped there, keeping the step
 * numbers aligned (the twin's step k is a no-op). Skipping rather than
 * translating them is deliberate: an smmu.writeCd has no VT-d meaning (there
 * is no CD table), and inventing one would show hardware no driver writes.
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

function sideOf(kind: string): 'smmu' | 'vtd' | null {
  if (kind.startsWith('smmu.')) return 'smmu';
  if (kind.startsWith('vtd.')) return 'vtd';
  return null;
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
    const own = sideOf(c.kind);
    if (c.kind === 'linux.boot') {
      smmu.push(original === 'arm-smmu-v3' ? c : flipBoot(c, 'arm-smmu-v3'));
      vtd.push(original === 'intel-iommu' ? c : flipBoot(c, 'intel-iommu'));
      return;
    }
    smmu.push(own === 'vtd' ? null : c);
    vtd.push(own === 'smmu' ? null : c);
    if (own !== null) {
      const other = own === 'smmu' ? 'vtd' : 'smmu';
      skipped.push({
        step: i + 1, kind: c.kind, skippedOn: other,
        why: own === 'smmu'
          ? `${c.kind} programs the SMMU itself (its STEs, CDs, queues or registers); VT-d has no such structure, so the intel-iommu twin skips it`
          : `${c.kind} programs the VT-d unit itself (its context or PASID entries, queue or registers); the SMMU has no such structure, so the arm-smmu-v3 twin skips it`,
      });
    }
  });
  return { ok: true, original, smmu, vtd, skipped };
}
