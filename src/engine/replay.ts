/**
 * Replaying a command list: the engine after the first n commands and the
 * events of each. Stepping back in the UI is a replay from a cached snapshot.
 */
import type { EngineCommand } from './commands.ts';
import { Engine, type EngineOptions, type EngineSnapshot } from './engine.ts';
import type { EngineEvent } from './events.ts';

export interface Replayed {
  readonly engine: Engine;
  /** events[i] are the events of command i. */
  readonly events: EngineEvent[][];
}

export function replay(commands: readonly EngineCommand[], n: number, options: EngineOptions = {}, from?: { snapshot: EngineSnapshot; at: number }): Replayed {
  const engine = from ? Engine.fromSnapshot(from.snapshot) : new Engine(options);
  const start = from ? from.at : 0;
  const events: EngineEvent[][] = [];
  for (let i = start; i < Math.min(n, commands.length); i++) events.push(engine.apply(commands[i] as EngineCommand));
  return { engine, events };
}
