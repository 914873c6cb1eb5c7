/**
 * Checking a predict question's answer key against what the engine did:
 * the value at `expect.path` in the step's result line (the line
 * `npm run scenario` prints) must be the value of the choice marked right,
 * and of no other choice. Used by the tests; a lesson author can run it too.
 */
import { runScenario, type Scenario, type StepResult } from '../scenario/index.ts';
import type { Predict } from '../scenario/schema.ts';

/** The value at a dotted path ("event.name", "consumed.0.invalidated"); undefined when absent. */
export function valueAt(line: unknown, path: string): unknown {
  let at: unknown = line;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

const HEX = /^\s*0x[0-9a-f_]+\s*$/i;

/** Equal as the answer key means it: hex compared by value (0x1000_0000 = 0x10000000), null = absent. */
export function sameValue(actual: unknown, expected: string | number | boolean | null): boolean {
  if (expected === null) return actual === undefined || actual === null;
  if (typeof expected === 'string' && typeof actual === 'string' && HEX.test(expected) && HEX.test(actual)) {
    return BigInt(expected.replace(/_/g, '').trim()) === BigInt(actual.replace(/_/g, '').trim());
  }
  return actual === expected;
}

export interface PredictCheck {
  readonly step: number;
  readonly question: string;
  /** What the engine put at the path. */
  readonly actual: unknown;
  /** Indexes of the choices whose value matches the engine. */
  readonly matching: readonly number[];
  readonly answer: number;
  /** Exactly the marked answer matches. */
  readonly ok: boolean;
  /** Why not, in words. */
  readonly problem?: string;
}

export function checkPredict(step: number, predict: Predict, line: StepResult | undefined): PredictCheck {
  const base = { step, question: predict.question, answer: predict.answer };
  if (!predict.expect) return { ...base, actual: undefined, matching: [], ok: false, problem: 'has no expect: its answer cannot be checked' };
  if (!line) return { ...base, actual: undefined, matching: [], ok: false, problem: 'the step did not run' };
  if ('error' in line) return { ...base, actual: undefined, matching: [], ok: false, problem: `the engine refused the step: ${line.error}` };
  const actual = valueAt(line, predict.expect.path);
  const matching = predict.expect.values.flatMap((v, i) => (sameValue(actual, v) ? [i] : []));
  const ok = matching.length === 1 && matching[0] === predict.answer;
  const problem = ok
    ? undefined
    : matching.length === 0
      ? `the engine gives ${JSON.stringify(actual)} at "${predict.expect.path}", which no choice stands for`
      : matching.length > 1
        ? `choices ${matching.join(', ')} all stand for the engine's ${JSON.stringify(actual)}`
        : `the engine's ${JSON.stringify(actual)} is choice ${matching[0]}, but the key marks choice ${predict.answer}`;
  return { ...base, actual, matching, ok, ...(problem === undefined ? {} : { problem }) };
}

/** Runs the lesson on the real engine and checks every question; also lists the steps the engine refused. */
export function checkLesson(scenario: Scenario): { readonly rejected: readonly StepResult[]; readonly checks: readonly PredictCheck[] } {
  const lines = [...runScenario(scenario)];
  const rejected = lines.filter((l) => 'error' in l);
  const checks = scenario.steps.flatMap((step, i) => (step.predict ? [checkPredict(i, step.predict, lines[i])] : []));
  return { rejected, checks };
}
