/** Shared by the SMMU lesson tests: run a built-in with traces, and pick out its result lines. */
import { builtinScenario, runScenario, type Scenario, type StepResult } from '../../../src/scenario/index.ts';
import type { DmaLine, UpdateLine } from '../../../src/scenario/run-smmu.ts';

export const PAGE = 0x1000n;

export function lesson(id: string): { scenario: Scenario; results: StepResult[] } {
  const scenario = builtinScenario(id);
  if (!scenario) throw new Error(`no built-in ${id}`);
  return { scenario, results: [...runScenario(scenario, { trace: true })] };
}

export function dmaAt(results: StepResult[], step: number): DmaLine {
  const r = results[step];
  if (r?.kind !== 'smmu.dma' || 'error' in r) throw new Error(`steps[${step}] is not a DMA result: ${JSON.stringify(r)}`);
  return r;
}

export function updateAt(results: StepResult[], step: number): UpdateLine {
  const r = results[step];
  if ((r?.kind !== 'smmu.updateSte' && r?.kind !== 'smmu.updateCd') || 'error' in r) throw new Error(`steps[${step}] is not an update result`);
  return r as UpdateLine;
}

/** 0x880000123n -> "0x0000_0008_8000_0123", the way the notes print physical addresses. */
export const grouped16 = (v: bigint) => `0x${v.toString(16).padStart(16, '0').replace(/(.{4})(?!$)/g, '$1_')}`;
