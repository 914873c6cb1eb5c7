/** The scenario module's public surface: the format, its validation, conversion to engine commands, the runner and the built-ins. */
export type { Scenario, ScenarioConfig } from './schema.ts';
export { CURRENT_VERSION, SCENARIO_FORMAT, scenarioJsonSchema, scenarioSchema } from './schema.ts';
export type { ScenarioStep, StepKind, MemoryWriteStep, PgtableCreateStep, PgtableCreateStage2Step, PgtableMapStep, PgtableUnmapStep, WalkStepSpec, ProtSpec } from './steps.ts';
export type { SmmuProbeStep, SmmuWriteRegisterStep, SmmuWriteSteStep, SmmuUpdateSteStep, SmmuWriteCdStep, SmmuUpdateCdStep, SmmuDmaStep } from './steps-smmu.ts';
export type { SmmuCommandsStep, CommandSpec, CommandOp } from './steps-cmdq.ts';
export { COMMAND_OPS } from './steps-cmdq.ts';
export { STEP_KINDS } from './steps.ts';
export type { ScenarioIssue } from './issues.ts';
export { type ParseResult, parseScenario, parseScenarioText } from './parse.ts';
export { migrateToCurrent, type MigrationResult } from './migrate.ts';
export { scenarioToCommands, engineOptionsOf, stepToCommand, protOf } from './commands.ts';
export { stepLabel, stepLabelAfter, groupedHex, sizeText } from './label.ts';
export { builtinScenarios, builtinScenario, type BuiltinScenario } from './builtin.ts';
export { runScenario, stepResult, type StepResult, type RunOptions } from './run.ts';
export type { SmmuStepResult, DmaLine, EventLine, UpdateLine, ConsumedLine } from './run-smmu.ts';
export { descriptorReads } from './walk-reads.ts';
export { toHex, jsonFriendly, toJsonLine, type Hex, type JsonFriendly } from './format.ts';
export { MAX_STEPS, MAX_NAME_LENGTH, MAX_NOTE_LENGTH } from './fields.ts';
