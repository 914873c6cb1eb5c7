/**
 * Real walks for UI tests: a built-in scenario run by the real engine, and
 * the PA its own mapping says the walk must produce (worked out from the
 * scenario file, not from the engine).
 */
import { Engine } from '../../../src/engine/engine.ts';
import type { WalkResult } from '../../../src/engine/hw/pgtable/types.ts';
import { builtinScenario, engineOptionsOf, scenarioToCommands } from '../../../src/scenario/index.ts';
import type { Scenario } from '../../../src/scenario/index.ts';

const hex = (text: string): bigint => BigInt(text.replace(/_/g, ''));

export function scenarioById(id: string): Scenario {
  const s = builtinScenario(id);
  if (!s) throw new Error(`no built-in scenario ${id}`);
  return s;
}

/** Every walk the scenario makes, with its step number (from 1) and the engine's result. */
export function walksOf(id: string): { step: number; address: bigint; access: string; result: WalkResult }[] {
  const s = scenarioById(id);
  const engine = new Engine(engineOptionsOf(s));
  const out: { step: number; address: bigint; access: string; result: WalkResult }[] = [];
  scenarioToCommands(s).forEach((command, i) => {
    for (const event of engine.apply(command)) {
      if (event.kind === 'walk.completed' && command.kind === 'walk') {
        out.push({ step: i + 1, address: command.address, access: command.access.kind, result: event.result });
      }
    }
  });
  return out;
}

/** paddr + (address - iova) of the map step covering the address; undefined when none does. */
export function mappedPa(id: string, address: bigint): bigint | undefined {
  for (const step of scenarioById(id).steps) {
    if (step.kind !== 'pgtable.map') continue;
    const iova = hex(step.iova);
    if (address >= iova && address < iova + hex(step.size)) return hex(step.paddr) + (address - iova);
  }
  return undefined;
}

/** The first walk that succeeds, as the scenario's mapping says it must. */
export function firstSuccessfulWalk(id: string): { step: number; result: WalkResult; expectedPa: bigint } {
  for (const w of walksOf(id)) {
    const pa = mappedPa(id, w.address);
    if (pa !== undefined && w.result.output !== undefined) return { step: w.step, result: w.result, expectedPa: pa };
  }
  throw new Error(`${id} has no successful walk`);
}
