/**
 * The engine: commands in, events out, deterministic. It owns the simulated
 * physical memory and the objects built in it; everything the UI shows comes
 * from the events it returns.
 */
import type { EngineCommand } from './commands.ts';
import type { EngineEvent } from './events.ts';
import { PhysicalMemory } from './hw/memory/physical-memory.ts';
import { TableAllocator, type TableAllocatorState } from './hw/memory/table-allocator.ts';
import { IoPgtable } from './hw/pgtable/io-pgtable.ts';
import { compileStage1, type Stage1Regime } from './hw/pgtable/regime.ts';
import { translateStage1 } from './hw/pgtable/translate.ts';
import type { Stage1Config } from './hw/pgtable/types.ts';
import { assertNever, EngineError } from './util/assert.ts';

export interface EngineOptions {
  /** Where translation tables are allocated: 1GB at 0x4000_0000 unless a scenario says otherwise. */
  readonly tableMemoryBase?: bigint;
  readonly tableMemorySize?: bigint;
}

export const DEFAULT_TABLE_MEMORY = { base: 0x4000_0000n, size: 0x4000_0000n } as const;

interface PgtableEntry {
  readonly regime: Stage1Regime;
  readonly pgtable: IoPgtable;
}

export interface EngineSnapshot {
  readonly memory: PhysicalMemory;
  readonly allocator: TableAllocatorState;
  readonly tables: readonly (readonly [string, Stage1Config])[];
}

export class Engine {
  private readonly mem: PhysicalMemory;
  private readonly allocator: TableAllocator;
  private readonly tables = new Map<string, PgtableEntry>();

  constructor(options: EngineOptions = {}) {
    this.mem = new PhysicalMemory();
    this.allocator = TableAllocator.create(this.mem, options.tableMemoryBase ?? DEFAULT_TABLE_MEMORY.base, options.tableMemorySize ?? DEFAULT_TABLE_MEMORY.size);
  }

  /** Applies one command. A command the engine refuses changes nothing and yields one command.rejected event. */
  apply(command: EngineCommand): EngineEvent[] {
    try {
      return this.execute(command);
    } catch (e) {
      if (e instanceof EngineError || e instanceof RangeError) {
        return [{ kind: 'command.rejected', command: command.kind, message: e.message, ...(e instanceof EngineError && e.field ? { field: e.field } : {}) }];
      }
      throw e;
    }
  }

  /** The physical memory, for read-only views and the benchmark's direct use of the hot path. */
  get memory(): PhysicalMemory {
    return this.mem;
  }

  readMemory64(address: bigint): bigint | undefined {
    return this.mem.read64(address);
  }

  tableConfig(name: string): Stage1Config | undefined {
    return this.tables.get(name)?.regime.config;
  }

  /** The compiled regime of a page table, for the hot path (benchmarks, DMA). */
  regime(name: string): Stage1Regime | undefined {
    return this.tables.get(name)?.regime;
  }

  snapshot(): EngineSnapshot {
    return {
      memory: this.mem.clone(),
      allocator: this.allocator.cloneState(),
      tables: [...this.tables].map(([name, t]) => [name, t.regime.config] as const),
    };
  }

  static fromSnapshot(s: EngineSnapshot): Engine {
    const engine = Object.create(Engine.prototype) as Engine;
    const mem = s.memory.clone();
    const allocator = new TableAllocator(mem, { ...s.allocator, free: [...s.allocator.free] });
    Object.assign(engine, { mem, allocator, tables: new Map<string, PgtableEntry>() });
    for (const [name, config] of s.tables) engine.addTable(name, config);
    return engine;
  }

  private execute(command: EngineCommand): EngineEvent[] {
    switch (command.kind) {
      case 'memory.write': {
        const old = this.mem.read(command.address, command.size);
        this.mem.write(command.address, command.value, command.size);
        return [{ kind: 'memory.written', write: { address: command.address, size: command.size, old, value: command.value, what: 'memory write' } }];
      }
      case 'pgtable.create': {
        if (this.tables.has(command.name)) throw new EngineError(`a page table named "${command.name}" already exists`, 'name');
        const given = command.config.TTB0;
        // Compiled before allocating, so a bad configuration is refused with nothing changed.
        const probe = compileStage1({ ...command.config, TTB0: given ?? 0n });
        const root = given ?? this.allocator.alloc(BigInt(probe.ttbr0.geometry.granule));
        const entry = this.addTable(command.name, { ...probe.config, TTB0: root });
        const g = entry.pgtable.g;
        return [{ kind: 'pgtable.created', name: command.name, config: entry.regime.config, root: { address: root, level: g.startLevel }, startLevel: g.startLevel, granule: g.granule }];
      }
      case 'pgtable.map': {
        const t = this.table(command.table);
        const r = t.pgtable.map(command.iova, command.paddr, command.size, command.prot);
        return [{ kind: 'pgtable.mapped', table: command.table, iova: command.iova, paddr: command.paddr, size: command.size, entries: r.entries, tables: r.tables, writes: r.writes }];
      }
      case 'pgtable.unmap': {
        const t = this.table(command.table);
        const r = t.pgtable.unmap(command.iova, command.size);
        return [{ kind: 'pgtable.unmapped', table: command.table, iova: command.iova, size: command.size, unmapped: r.unmapped, entries: r.entries, tablesFreed: r.tablesFreed, writes: r.writes }];
      }
      case 'walk': {
        const t = this.table(command.table);
        return [{ kind: 'walk.completed', table: command.table, result: translateStage1(this.mem, t.regime, command.address, command.access) }];
      }
      default:
        return assertNever(command, 'engine command');
    }
  }

  private table(name: string): PgtableEntry {
    const t = this.tables.get(name);
    if (!t) throw new EngineError(`no page table named "${name}"`, 'table');
    return t;
  }

  private addTable(name: string, config: Stage1Config): PgtableEntry {
    const regime = compileStage1(config);
    const pgtable = new IoPgtable(this.mem, this.allocator, regime.ttbr0.geometry, config.TTB0, regime.oaBits);
    const entry = { regime, pgtable };
    this.tables.set(name, entry);
    return entry;
  }
}
