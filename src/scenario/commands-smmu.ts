/**
 * SMMUv3 steps (and the stage-2 pgtable.create) as engine commands. Field
 * values become bigints here; the defaults the file may leave out (a
 * privileged access, the preset's granules) are filled in here too, so a
 * Scenario stays exactly what the user wrote.
 */
import type { CommandRequest } from '../engine/os/arm-smmu-v3/cmdq.ts';
import { FEATURE_PRESETS, type SmmuFeatures } from '../engine/hw/smmu/features.ts';
import type { EngineCommand } from '../engine/index.ts';
import { parseU64 } from '../engine/index.ts';
import { fieldValuesOf } from './entry-fields.ts';
import { CFGI_ALL, type CommandSpec } from './steps-cmdq.ts';
import type { SmmuCommandsStep } from './steps-cmdq.ts';
import type { SmmuProbeStep } from './steps-smmu.ts';
import { burstStepToCommand } from './smmu-burst.ts';
import type { PgtableCreateStage2Step, ScenarioStep } from './steps.ts';

export type SmmuStep = Extract<ScenarioStep, { kind: `smmu.${string}` }>;

export function stage2CreateCommand(step: PgtableCreateStage2Step): EngineCommand {
  return {
    kind: 'pgtable.create',
    name: step.name,
    stage: 2,
    config: {
      S2TG: step.S2TG,
      S2T0SZ: step.S2T0SZ,
      S2SL0: step.S2SL0,
      ...(step.S2PS === undefined ? {} : { S2PS: step.S2PS }),
      ...(step.S2AFFD === undefined ? {} : { S2AFFD: step.S2AFFD }),
      ...(step.S2TTB === undefined ? {} : { S2TTB: parseU64(step.S2TTB, 'S2TTB') }),
    },
  };
}

function featuresOf(step: SmmuProbeStep): Partial<SmmuFeatures> | undefined {
  const f = step.features;
  if (!f) return undefined;
  const { granules, ...rest } = f;
  // The engine replaces the preset's granules as a whole, so the ones the file leaves out keep the preset's value.
  return { ...rest, ...(granules ? { granules: { ...FEATURE_PRESETS[step.preset].granules, ...granules } } : {}) };
}

/** CMD_CFGI_ALL is CMD_CFGI_STE_RANGE with Range = 31 (Linux's arm_smmu_cmdq_build_cmd does the same). */
export function commandRequestOf(spec: CommandSpec): CommandRequest {
  const { op, ...fields } = spec;
  if (op === CFGI_ALL) return { op: 'CMD_CFGI_STE_RANGE', fields: { Range: 31n } };
  return { op, fields: fieldValuesOf(fields) };
}

export function commandRequestsOf(step: SmmuCommandsStep): CommandRequest[] {
  return step.commands.map((c) => commandRequestOf(c as CommandSpec));
}

export function smmuStepToCommand(step: SmmuStep): EngineCommand {
  switch (step.kind) {
    case 'smmu.probe': {
      const features = featuresOf(step);
      return {
        kind: 'smmu.probe',
        preset: step.preset,
        ...(features ? { features } : {}),
        options: {
          streamTable: step.streamTable,
          ...(step.log2size === undefined ? {} : { log2size: step.log2size }),
          ...(step.cmdqLog2 === undefined ? {} : { cmdqLog2: step.cmdqLog2 }),
          ...(step.evtqLog2 === undefined ? {} : { evtqLog2: step.evtqLog2 }),
        },
      };
    }
    case 'smmu.writeRegister':
      return { kind: 'smmu.writeRegister', register: step.register, value: parseU64(step.value, 'value') };
    case 'smmu.writeSte':
    case 'smmu.updateSte':
      return { kind: step.kind, sid: step.sid, fields: fieldValuesOf(step.fields) };
    case 'smmu.writeCd':
    case 'smmu.updateCd':
      return { kind: step.kind, sid: step.sid, ssid: step.ssid, fields: fieldValuesOf(step.fields), ...(step.cdTable !== undefined ? { cdTable: parseU64(step.cdTable, 'cdTable') } : {}) };
    case 'smmu.commands':
      return { kind: 'smmu.issueCommands', commands: commandRequestsOf(step) };
    case 'smmu.dma':
      return {
        kind: 'smmu.dma',
        sid: step.sid,
        ...(step.ssid === undefined ? {} : { ssid: step.ssid }),
        address: parseU64(step.address, 'address'),
        access: { kind: step.access, privileged: step.privileged ?? true },
      };
    case 'smmu.dmaBurst':
      return burstStepToCommand(step);
  }
}
