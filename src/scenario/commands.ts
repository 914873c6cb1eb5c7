/**
 * From a validated scenario to what the engine runs: one EngineCommand per
 * step, in order, and the engine's construction options. Defaults the file
 * may leave out (size 8, privileged true) are filled in here, so a Scenario
 * stays exactly what the user wrote.
 */
import type { EngineCommand, EngineOptions, Stage1Config } from '../engine/index.ts';
import { assertNever, parseU64 } from '../engine/index.ts';
import { linuxStepToCommand } from './commands-linux.ts';
import { smmuStepToCommand, stage2CreateCommand } from './commands-smmu.ts';
import { vtdStepToCommand } from './commands-vtd.ts';
import type { Scenario } from './schema.ts';
import { protOf } from './steps-prot.ts';
import type { PgtableCreateStep, ScenarioStep } from './steps.ts';

export { protOf };

export function engineOptionsOf(s: Scenario): EngineOptions {
  const memory = s.config?.tableMemory;
  if (!memory) return {};
  return { tableMemoryBase: parseU64(memory.base, 'config.tableMemory.base'), tableMemorySize: parseU64(memory.size, 'config.tableMemory.size') };
}

export function scenarioToCommands(s: Scenario): EngineCommand[] {
  return s.steps.map(stepToCommand);
}

export function stepToCommand(step: ScenarioStep): EngineCommand {
  switch (step.kind) {
    case 'memory.write':
      return { kind: 'memory.write', address: parseU64(step.address, 'address'), value: parseU64(step.value, 'value'), size: step.size ?? 8 };
    case 'pgtable.create':
      if (step.stage === 2) return stage2CreateCommand(step);
      return { kind: 'pgtable.create', name: step.name, config: stage1ConfigOf(step) };
    case 'pgtable.map':
      return {
        kind: 'pgtable.map',
        table: step.table,
        iova: parseU64(step.iova, 'iova'),
        paddr: parseU64(step.paddr, 'paddr'),
        size: parseU64(step.size, 'size'),
        prot: protOf(step.prot),
      };
    case 'pgtable.unmap':
      return { kind: 'pgtable.unmap', table: step.table, iova: parseU64(step.iova, 'iova'), size: parseU64(step.size, 'size') };
    case 'walk':
      return {
        kind: 'walk',
        table: step.table,
        address: parseU64(step.address, 'address'),
        access: { kind: step.access, privileged: step.privileged ?? true },
        ...(step.stage2 === undefined ? {} : { stage2: step.stage2 }),
      };
    case 'smmu.probe':
    case 'smmu.writeRegister':
    case 'smmu.writeSte':
    case 'smmu.updateSte':
    case 'smmu.writeCd':
    case 'smmu.updateCd':
    case 'smmu.commands':
    case 'smmu.dma':
    case 'smmu.dmaBurst':
      return smmuStepToCommand(step);
    case 'linux.boot':
    case 'linux.call':
    case 'linux.dma':
      return linuxStepToCommand(step);
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
      return vtdStepToCommand(step);
    default:
      return assertNever(step, 'scenario step');
  }
}

/** Only the CD fields the step gives; the engine supplies its defaults (and allocates TTB0) for the rest. */
function stage1ConfigOf(step: PgtableCreateStep): Partial<Stage1Config> & Pick<Stage1Config, 'TG0' | 'T0SZ'> {
  const config: Partial<Stage1Config> & Pick<Stage1Config, 'TG0' | 'T0SZ'> = {
    TG0: step.TG0,
    T0SZ: step.T0SZ,
    ...(step.IPS === undefined ? {} : { IPS: step.IPS }),
    ...(step.TTB0 === undefined ? {} : { TTB0: parseU64(step.TTB0, 'TTB0') }),
    ...(step.EPD0 === undefined ? {} : { EPD0: step.EPD0 }),
    ...(step.TTB1 === undefined ? {} : { TTB1: parseU64(step.TTB1, 'TTB1') }),
    ...(step.T1SZ === undefined ? {} : { T1SZ: step.T1SZ }),
    ...(step.TG1 === undefined ? {} : { TG1: step.TG1 }),
    ...(step.EPD1 === undefined ? {} : { EPD1: step.EPD1 }),
    ...(step.AFFD === undefined ? {} : { AFFD: step.AFFD }),
    ...(step.TBI === undefined ? {} : { TBI: step.TBI }),
    ...(step.HAD0 === undefined ? {} : { HAD0: step.HAD0 }),
    ...(step.HAD1 === undefined ? {} : { HAD1: step.HAD1 }),
  };
  return config;
}
