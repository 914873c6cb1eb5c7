/**
 * Every built-in with its whole document: the twelve lessons first, then the
 * other built-ins. The app lists and opens scenarios through menu.ts (light
 * entries, each document fetched when opened; exercises added there); this
 * full list is loaded only to recognise a scenario that arrives from outside.
 */
import { builtinScenarios, type Scenario } from '../scenario/index.ts';
import { canonicalLessons } from './generate.ts';

export interface RegisteredScenario {
  readonly id: string;
  readonly scenario: Scenario;
}

/** Every built-in document, validated: what builtinIdOf (menu.ts) compares a scenario from outside with. */
export const scenarioRegistry: readonly RegisteredScenario[] = [
  ...canonicalLessons().map((l) => ({ id: l.id, scenario: l.scenario })),
  ...builtinScenarios,
];
