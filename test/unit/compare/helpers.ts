/** Built-in scenarios for the comparison tests, and a scenario built from one with its boot step changed. */
import { builtinScenario, type Scenario } from '../../../src/scenario/index.ts';

export function builtin(id: string): Scenario {
  const s = builtinScenario(id);
  if (!s) throw new Error(`no built-in ${id}`);
  return s;
}

/** The same scenario with its linux.boot step given other fields (another IOMMU, another VT-d mode). */
export function withBoot(s: Scenario, fields: Record<string, unknown>): Scenario {
  return { ...s, steps: s.steps.map((st) => (st.kind === 'linux.boot' ? ({ ...st, ...fields } as typeof st) : st)) };
}
