/**
 * The engine: commands in, events out, deterministic. It owns the simulated
 * physical memory and everything built in it; everything the UI shows comes
 * from the events it returns.
 */
import type { EngineCommand } from './commands.ts';
import type { EngineEvent } from './events.ts';
import { PhysicalMemory } from './hw/memory/physical-memory.ts';
import { TableAllocator, type TableAllocatorState } from './hw/memory/table-allocator.ts';
import type { Stage1Regime } from './hw/pgtable/regime.ts';
import type { Stage2Config } from './hw/pgtable/stage2.ts';
import type { WalkTables } from './hw/pgtable/tables.ts';
import type { Stage1Config } from './hw/pgtable/types.ts';
import type { Smmu } from './hw/smmu/smmu.ts';
import { addStage1, addStage2, handlePgtable } from './handlers/pgtable.ts';
import { handleLinux } from './handlers/linux.ts';
import { handleSmmu, startBurst } from './handlers/smmu.ts';
import { handleVtd } from './handlers/vtd.ts';
import type { VtdPgtable } from './hw/vtd/pgtable.ts';
import type { VtdUnit } from './hw/vtd/vtd.ts';
import { cloneLinuxState } from './os/core/state.ts';
import type { LinuxState } from './os/core/types.ts';
import type { EngineState } from './state.ts';
import { assertNever, EngineError } from './util/assert.ts';

export interface EngineOptions {
  /** Where translation tables are allocated: 1GB at 0x4000_0000 unless a scenario says otherwise. */
  readonly tableMemoryBase?: bigint;
  readonly tableMemorySize?: bigint;
}

/** A resumable smmu.dmaBurst (Engine.startDmaBurst). */
export interface DmaBurstRun {
  readonly count: number;
  runSlice(n: number): { done: number; count: number };
  finish(): EngineEvent[];
}

export const DEFAULT_TABLE_MEMORY = { base: 0x4000_0000n, size: 0x4000_0000n } as const;

export interface EngineSnapshot {
  readonly memory: PhysicalMemory;
  readonly allocator: TableAllocatorState;
  readonly tables: readonly (readonly [string, { stage: 1; config: Stage1Config } | { stage: 2; config: Stage2Config }])[];
  readonly smmu?: Smmu;
  readonly linux?: LinuxState;
  readonly vtd?: VtdUnit;
  readonly vtdTables?: readonly (readonly [string, VtdPgtable])[];
}

export class Engine {
  private readonly s: EngineState;

  constructor(options: EngineOptions = {}, restoredState?: EngineState) {
    if (restoredState) {
      this.s = restoredState;
      return;
    }
    const mem = new PhysicalMemory();
    const allocator = TableAllocator.create(mem, options.tableMemoryBase ?? DEFAULT_TABLE_MEMORY.base, options.tableMemorySize ?? DEFAULT_TABLE_MEMORY.size);
    this.s = { mem, allocator, tables: new Map(), smmu: undefined };
  }

  /** Applies one command. A command the engine refuses yields one command.rejected event. */
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

  /**
   * smmu.dmaBurst in slices, for a caller that reports progress and may stop:
   * runSlice(n) makes up to n more DMAs and returns { done, count }; finish()
   * returns the smmu.dmaBurst event for the DMAs made. Nothing else may use the
   * engine in between. A burst finished after k of its DMAs left the engine
   * exactly as the command with count = k does, so record that command.
   */
  startDmaBurst(command: Extract<EngineCommand, { kind: 'smmu.dmaBurst' }>): DmaBurstRun | { rejected: EngineEvent[] } {
    try {
      const burst = startBurst(this.s, command);
      return {
        count: command.count,
        runSlice: (n: number) => burst.runSlice(n),
        finish: () => [{ kind: 'smmu.dmaBurst', burst: burst.summary() }],
      };
    } catch (e) {
      if (e instanceof EngineError) return { rejected: [{ kind: 'command.rejected', command: command.kind, message: e.message, ...(e.field ? { field: e.field } : {}) }] };
      throw e;
    }
  }

  /** The physical memory, for read-only views and the benchmark's direct use of the hot path. */
  get memory(): PhysicalMemory {
    return this.s.mem;
  }

  /** The SMMU, once probed: for views of its registers, caches and queues. */
  get smmu(): Smmu | undefined {
    return this.s.smmu;
  }

  /** The VT-d unit, once probed: for views of its tables, caches, queue and fault records (views/vtd-view.ts). */
  get vtd(): VtdUnit | undefined {
    return this.s.vtd;
  }

  /** The Linux IOMMU core's state, once booted: for the topology view (os/core/view.ts). */
  get linux(): LinuxState | undefined {
    return this.s.linux;
  }

  readMemory64(address: bigint): bigint | undefined {
    return this.s.mem.read64(address);
  }

  tableConfig(name: string): Stage1Config | undefined {
    const t = this.s.tables.get(name);
    return t?.stage === 1 ? t.config : undefined;
  }

  /** The compiled stage-1 regime of a page table, for the hot path (benchmarks). */
  regime(name: string): Stage1Regime | undefined {
    const t = this.s.tables.get(name);
    return t?.stage === 1 ? t.regime : undefined;
  }

  /** The compiled stage-2 tables of a stage-2 page table, for nested walks on the hot path (benchmarks). */
  stage2Tables(name: string): WalkTables | undefined {
    const t = this.s.tables.get(name);
    return t?.stage === 2 ? t.tables : undefined;
  }

  snapshot(): EngineSnapshot {
    const memory = this.s.mem.clone();
    return {
      memory,
      allocator: this.s.allocator.cloneState(),
      tables: [...this.s.tables].map(([name, t]) => [name, t.stage === 1 ? { stage: 1, config: t.config } : { stage: 2, config: t.config }] as const),
      ...(this.s.smmu ? { smmu: this.s.smmu.clone(memory) } : {}),
      ...(this.s.linux ? { linux: cloneLinuxState(this.s.linux) } : {}),
      ...(this.s.vtd ? { vtd: this.s.vtd.clone(memory) } : {}),
      ...(this.s.vtdTables ? { vtdTables: [...this.s.vtdTables] } : {}),
    };
  }

  static fromSnapshot(snap: EngineSnapshot): Engine {
    const mem = snap.memory.clone();
    const allocator = new TableAllocator(mem, { ...snap.allocator, free: [...snap.allocator.free] });
    const state: EngineState = {
      mem, allocator, tables: new Map(), smmu: snap.smmu?.clone(mem), ...(snap.linux ? { linux: cloneLinuxState(snap.linux) } : {}),
      ...(snap.vtd ? { vtd: snap.vtd.clone(mem) } : {}), ...(snap.vtdTables ? { vtdTables: new Map(snap.vtdTables) } : {}),
    };
    for (const [name, t] of snap.tables) {
      if (t.stage === 1) addStage1(state, name, t.config);
      else addStage2(state, name, t.config);
    }
    return new Engine({}, state);
  }

  private execute(c: EngineCommand): EngineEvent[] {
    switch (c.kind) {
      case 'memory.write': {
        const old = this.s.mem.read(c.address, c.size);
        this.s.mem.write(c.address, c.value, c.size);
        return [{ kind: 'memory.written', write: { address: c.address, size: c.size, old, value: c.value, what: 'memory write' } }];
      }
      case 'pgtable.create':
      case 'pgtable.map':
      case 'pgtable.unmap':
      case 'walk':
        return handlePgtable(this.s, c);
      case 'smmu.probe':
      case 'smmu.writeRegister':
      case 'smmu.writeSte':
      case 'smmu.writeCd':
      case 'smmu.updateSte':
      case 'smmu.updateCd':
      case 'smmu.issueCommands':
      case 'smmu.dma':
      case 'smmu.dmaBurst':
        return handleSmmu(this.s, c);
      case 'linux.boot':
      case 'linux.call':
      case 'linux.dma':
        return handleLinux(this.s, c);
      case 'vtd.probe':
      case 'vtd.writeRegister':
      case 'vtd.clearFault':
      case 'vtd.writeContext':
      case 'vtd.writePasidEntry':
      case 'vtd.createPgtable':
      case 'vtd.map':
      case 'vtd.unmap':
      case 'vtd.invalidate':
      case 'vtd.dma':
        return handleVtd(this.s, c);
      default:
        return assertNever(c, 'engine command');
    }
  }
}
