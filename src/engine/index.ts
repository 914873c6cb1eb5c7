/** The engine's public surface: what the worker, the scenario runner, tests and benchmarks use. */
export { Engine, DEFAULT_TABLE_MEMORY, type EngineOptions, type EngineSnapshot } from './engine.ts';
export { replay, type Replayed } from './replay.ts';
export type { EngineCommand, EngineCommandKind, Prot } from './commands.ts';
export type { EngineEvent, EngineEventKind, MemoryWrite } from './events.ts';
export type * from './hw/pgtable/types.ts';
export type { MappedEntry, TableRef } from './hw/pgtable/io-pgtable.ts';
export { PhysicalMemory } from './hw/memory/physical-memory.ts';
export { compileStage1, STAGE1_DEFAULTS, type Stage1Regime } from './hw/pgtable/regime.ts';
export { geometry, granuleFromTG0, addressBitsFromPS, levelShift, levelIndexBits, levelSize, type Geometry } from './hw/pgtable/geometry.ts';
export { decodeDescriptor } from './hw/pgtable/descriptor.ts';
export { translateStage1, encodeAccess } from './hw/pgtable/translate.ts';
export { walkStage1, newWalkOut, ACCESS_READ, ACCESS_WRITE, ACCESS_EXEC, ACCESS_UNPRIVILEGED, type WalkOut } from './hw/pgtable/walk.ts';
export { FaultCode, Reason, REASON_TEXT } from './hw/pgtable/walk-codes.ts';
export { bits, bit, withBits, hex, parseU64, hi32, lo32, fromHalves } from './util/u64.ts';
export { assertNever, EngineError } from './util/assert.ts';
export * from './types.ts';
