/**
 * Cross-step checks for the SMMUv3 kinds and nested walks: the SMMU is
 * probed once, before anything else touches it; a register value fits the
 * register; a walk nests only through a stage-2 table made earlier. Like
 * checks.ts, these run on the raw document so that they are reported
 * together with any type errors.
 */
import { REGISTERS, type RegisterName } from '../engine/hw/smmu/registers.ts';
import { parseU64 } from '../engine/index.ts';
import { HEX_PATTERN } from './fields.ts';
import type { ScenarioIssue } from './issues.ts';

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function smmuCrossChecks(steps: readonly unknown[]): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  let probedAt: number | undefined;
  let bootProbed = false;
  const firstProbe = steps.findIndex((raw) => record(raw)?.kind === 'smmu.probe');
  /** Stage of each page table created so far, by name. */
  const stages = new Map<string, 1 | 2>();

  steps.forEach((raw, index) => {
    const step = record(raw);
    if (!step || typeof step.kind !== 'string') return;
    const at = (field: string) => `steps[${index}].${field}`;

    if (step.kind === 'smmu.probe') {
      if (probedAt !== undefined) issues.push({ path: at('kind'), message: `the SMMU was already probed at steps[${probedAt}]${bootProbed ? ' by linux.boot' : ''}; a scenario has one SMMU, probed once` });
      else probedAt = index;
    } else if (step.kind === 'linux.boot' && probedAt === undefined) {
      // linux.boot probes the SMMU itself (arm_smmu_device_probe) when no smmu.probe came first.
      probedAt = index;
      bootProbed = true;
    } else if (step.kind.startsWith('smmu.') && probedAt === undefined) {
      issues.push({
        path: at('kind'),
        message: `there is no SMMU yet: an smmu.probe step must come before this one${firstProbe > index ? ` (it comes later, at steps[${firstProbe}])` : ''}`,
      });
    }

    if (step.kind === 'smmu.writeRegister' && typeof step.register === 'string' && Object.hasOwn(REGISTERS, step.register)) {
      const size = REGISTERS[step.register as RegisterName].size;
      if (typeof step.value === 'string' && HEX_PATTERN.test(step.value) && parseU64(step.value) >> BigInt(size * 8) !== 0n) {
        issues.push({ path: at('value'), message: `does not fit: ${step.register} is a ${size * 8}-bit register` });
      }
    }

    if (step.kind === 'pgtable.create' && typeof step.name === 'string' && !stages.has(step.name)) stages.set(step.name, step.stage === 2 ? 2 : 1);

    if (step.kind === 'walk' && typeof step.stage2 === 'string') {
      const s2 = stages.get(step.stage2);
      if (s2 === undefined) issues.push({ path: at('stage2'), message: `no page table named "${step.stage2}" was created before this step` });
      else if (s2 !== 2) issues.push({ path: at('stage2'), message: `"${step.stage2}" is a stage-1 table; a nested walk goes through a stage-2 table (pgtable.create with "stage": 2)` });
      if (typeof step.table === 'string' && stages.get(step.table) === 2) {
        issues.push({ path: at('table'), message: `"${step.table}" is a stage-2 table; only a stage-1 walk nests through stage 2` });
      }
    }
  });
  return issues;
}
