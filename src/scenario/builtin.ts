/**
 * The lessons that ship with the app. Each is a plain JSON file in builtin/,
 * in the same format users write, and goes through the same validation: a
 * broken built-in fails loudly when this module loads (and in its test),
 * never silently at the moment a user picks it.
 */
import block2m from './builtin/block-2m.json' with { type: 'json' };
import compareSmmuVtd from './builtin/compare-smmu-vtd.json' with { type: 'json' };
import linuxClaimDmaOwner from './builtin/linux-claim-dma-owner.json' with { type: 'json' };
import linuxDmaApiFq from './builtin/linux-dma-api-fq.json' with { type: 'json' };
import linuxMsiDoorbell from './builtin/linux-msi-doorbell.json' with { type: 'json' };
import linuxNestedIommufd from './builtin/linux-nested-iommufd.json' with { type: 'json' };
import linuxReplaceDomain from './builtin/linux-replace-domain.json' with { type: 'json' };
import linuxSvaBind from './builtin/linux-sva-bind.json' with { type: 'json' };
import permissionFault from './builtin/permission-fault.json' with { type: 'json' };
import smmuHitlessUpdate from './builtin/smmu-hitless-update.json' with { type: 'json' };
import smmuMillionDmas from './builtin/smmu-million-dmas.json' with { type: 'json' };
import smmuNested from './builtin/smmu-nested.json' with { type: 'json' };
import smmuStage1Dma from './builtin/smmu-stage1-dma.json' with { type: 'json' };
import smmuStaleIotlb from './builtin/smmu-stale-iotlb.json' with { type: 'json' };
import vtdFirstStageDma from './builtin/vtd-first-stage-dma.json' with { type: 'json' };
import vtdStaleIotlb from './builtin/vtd-stale-iotlb.json' with { type: 'json' };
import walk16kPage from './builtin/walk-16k-page.json' with { type: 'json' };
import walk4kPage from './builtin/walk-4k-page.json' with { type: 'json' };
import walk64kPage from './builtin/walk-64k-page.json' with { type: 'json' };
import { parseScenario } from './parse.ts';
import type { Scenario } from './schema.ts';

export interface BuiltinScenario {
  readonly id: string;
  readonly scenario: Scenario;
}

/** In the order the scenario picker lists them: the 4KB walk is the first diagram users see, then the SMMU lessons, then Linux's. */
const SOURCES: readonly (readonly [id: string, json: unknown])[] = [
  ['walk-4k-page', walk4kPage],
  ['walk-16k-page', walk16kPage],
  ['walk-64k-page', walk64kPage],
  ['block-2m', block2m],
  ['permission-fault', permissionFault],
  ['smmu-stage1-dma', smmuStage1Dma],
  ['smmu-stale-iotlb', smmuStaleIotlb],
  ['smmu-hitless-update', smmuHitlessUpdate],
  ['smmu-nested', smmuNested],
  ['smmu-million-dmas', smmuMillionDmas],
  ['linux-claim-dma-owner', linuxClaimDmaOwner],
  ['linux-replace-domain', linuxReplaceDomain],
  ['linux-nested-iommufd', linuxNestedIommufd],
  ['linux-sva-bind', linuxSvaBind],
  ['linux-dma-api-fq', linuxDmaApiFq],
  ['linux-msi-doorbell', linuxMsiDoorbell],
  ['vtd-first-stage-dma', vtdFirstStageDma],
  ['vtd-stale-iotlb', vtdStaleIotlb],
  ['compare-smmu-vtd', compareSmmuVtd],
];

export function loadBuiltin(id: string, json: unknown): BuiltinScenario {
  const parsed = parseScenario(json);
  if (!parsed.ok) {
    const problems = parsed.errors.map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`).join('; ');
    throw new Error(`built-in scenario "${id}" (src/scenario/builtin/${id}.json) is invalid: ${problems}`);
  }
  return { id, scenario: parsed.scenario };
}

export const builtinScenarios: readonly BuiltinScenario[] = SOURCES.map(([id, json]) => loadBuiltin(id, json));

export function builtinScenario(id: string): Scenario | undefined {
  return builtinScenarios.find((b) => b.id === id)?.scenario;
}
