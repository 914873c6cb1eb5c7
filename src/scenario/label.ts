/**
 * Short labels for the timeline: what a step does in a few words, with
 * addresses grouped in fours as the Arm documents print them.
 */
import type { EngineEvent } from '../engine/index.ts';
import { assertNever, parseU64 } from '../engine/index.ts';
import { groupedHex } from './hex-text.ts';
import { protText, sizeText } from './label-text.ts';
import { linuxStepLabel } from './label-linux.ts';
import { smmuStepLabel } from './label-smmu.ts';
import { vtdStepLabel } from './label-vtd.ts';
import type { ScenarioStep } from './steps.ts';

export { groupedHex, sizeText };

const GRANULE_OF_TG0: Readonly<Record<number, string>> = { 0: '4KB', 1: '64KB', 2: '16KB' };

const addr = (text: string) => groupedHex(parseU64(text));

/** A step in a few words: what the file asks for. */
export function stepLabel(step: ScenarioStep): string {
  return labelOf(step, undefined);
}

/**
 * The label once the step has run: an STE or CD update adds how the driver's
 * sequence went, "STE 3 ← stage 1 (hitless, 2 syncs)"; other steps read as
 * stepLabel gives them.
 */
export function stepLabelAfter(step: ScenarioStep, events: readonly EngineEvent[]): string {
  return labelOf(step, events);
}

function labelOf(step: ScenarioStep, events: readonly EngineEvent[] | undefined): string {
  switch (step.kind) {
    case 'memory.write':
      return `write ${addr(step.value)} to ${addr(step.address)} (${step.size ?? 8} bytes)`;
    case 'pgtable.create':
      if (step.stage === 2) return `create ${step.name}: stage 2, ${GRANULE_OF_TG0[step.S2TG] ?? '?'} granule, ${64 - step.S2T0SZ}-bit IPA`;
      return `create ${step.name}: ${GRANULE_OF_TG0[step.TG0] ?? '?'} granule, ${64 - step.T0SZ}-bit input`;
    case 'pgtable.map':
      return `map ${step.table} ${addr(step.iova)} → ${addr(step.paddr)}, ${sizeText(parseU64(step.size))} ${protText(step.prot)}`;
    case 'pgtable.unmap':
      return `unmap ${step.table} ${addr(step.iova)}, ${sizeText(parseU64(step.size))}`;
    case 'walk':
      return `walk ${step.table} ${addr(step.address)}${step.stage2 === undefined ? '' : ` nested in ${step.stage2}`}: ${step.privileged === false ? 'unprivileged ' : ''}${step.access}`;
    case 'smmu.probe':
    case 'smmu.writeRegister':
    case 'smmu.writeSte':
    case 'smmu.updateSte':
    case 'smmu.writeCd':
    case 'smmu.updateCd':
    case 'smmu.commands':
    case 'smmu.dma':
    case 'smmu.dmaBurst':
      return smmuStepLabel(step, events);
    case 'linux.boot':
    case 'linux.call':
    case 'linux.dma':
      return linuxStepLabel(step, events);
    case 'vtd.probe':
    case 'vtd.writeRegister':
    case 'vtd.clearFault':
    case 'vtd.writeContext':
    case 'vtd.writePasidEntry':
    case 'vtd.createPgtable':
    case 'vtd.map':
    case 'vtd.unmap':
    case 'vtd.invalidate':
    case 'vtd.dma':
      return vtdStepLabel(step);
    default:
      return assertNever(step, 'scenario step');
  }
}
