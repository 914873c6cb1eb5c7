/** The scenario module's public surface: the format, its validation, conversion to engine commands, the runner and the built-ins. */
export type { Scenario, ScenarioConfig } from './schema.ts';
export { CURRENT_VERSION, SCENARIO_FORMAT, scenarioJsonSchema, scenarioSchema } from './schema.ts';
export type { ScenarioStep, StepKind, MemoryWriteStep, PgtableCreateStep, PgtableMapStep, PgtableUnmapStep, WalkStepSpec, ProtSpec } from './steps.ts';
export { STEP_KINDS } from './steps.ts';
export type { ScenarioIssue } from './issues.ts';
export { type ParseResult, parseScenario, parseScenarioText } from './parse.ts';
export { migrateToCurrent, type MigrationResult } from './migrate.ts';
export { scenarioToCommands, engineOptionsOf, stepToCommand, protOf } from './commands.ts';
export { stepLabel, groupedHex, sizeText } from './label.ts';
export { builtinScenarios, builtinScenario, type BuiltinScenario } from './builtin.ts';
export { runScenario, stepResult, type StepResult, type RunOptions } from './run.ts';
export { toHex, jsonFriendly, toJsonLine, type Hex, type JsonFriendly } from './format.ts';
export { MAX_STEPS, MAX_NAME_LENGTH, MAX_NOTE_LENGTH } from './fields.ts';
