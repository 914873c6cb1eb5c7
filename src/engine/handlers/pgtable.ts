/** Commands on io-pgtables: create (stage 1 or 2), map, unmap, walk. */
import type { EngineCommand } from '../commands.ts';
import type { EngineEvent } from '../events.ts';
import { IoPgtable } from '../hw/pgtable/io-pgtable.ts';
import { compileStage1 } from '../hw/pgtable/regime.ts';
import { compileStage2, concatenatedTables, type Stage2Config } from '../hw/pgtable/stage2.ts';
import { startTableBytes } from '../hw/pgtable/tables.ts';
import { translateStage1, translateStage2 } from '../hw/pgtable/translate.ts';
import type { Stage1Config } from '../hw/pgtable/types.ts';
import type { EngineState, PgtableEntry } from '../state.ts';
import { EngineError } from '../util/assert.ts';

export const S2_DEFAULTS: Stage2Config = { S2TTB: 0n, S2T0SZ: 24, S2SL0: 1, S2TG: 0, S2PS: 5, S2AFFD: false };

export function addStage1(s: EngineState, name: string, config: Stage1Config): PgtableEntry & { stage: 1 } {
  const regime = compileStage1(config);
  const t = regime.ttbr0;
  const entry = { stage: 1 as const, config: regime.config, regime, pgtable: new IoPgtable(s.mem, s.allocator, { stage: 1, g: t.geometry, startBits: t.startBits }, config.TTB0, regime.oaBits) };
  s.tables.set(name, entry);
  return entry;
}

export function addStage2(s: EngineState, name: string, config: Stage2Config): PgtableEntry & { stage: 2 } {
  const tables = compileStage2(config, 52);
  const entry = { stage: 2 as const, config, tables, pgtable: new IoPgtable(s.mem, s.allocator, { stage: 2, g: tables.geometry, startBits: tables.startBits }, config.S2TTB, tables.oaBits) };
  s.tables.set(name, entry);
  return entry;
}

export function table(s: EngineState, name: string): PgtableEntry {
  const t = s.tables.get(name);
  if (!t) throw new EngineError(`no page table named "${name}"`, 'table');
  return t;
}

type PgtableCommand = Extract<EngineCommand, { kind: 'pgtable.create' | 'pgtable.map' | 'pgtable.unmap' | 'walk' }>;

export function handlePgtable(s: EngineState, c: PgtableCommand): EngineEvent[] {
  switch (c.kind) {
    case 'pgtable.create': {
      if (s.tables.has(c.name)) throw new EngineError(`a page table named "${c.name}" already exists`, 'name');
      if (c.stage === 2) {
        const config = { ...S2_DEFAULTS, ...c.config };
        // Compiled before allocating, so a bad configuration is refused with nothing changed.
        const probe = compileStage2({ ...config, S2TTB: config.S2TTB }, 52);
        const root = c.config.S2TTB ?? s.allocator.alloc(startTableBytes(probe.startBits) > BigInt(probe.geometry.granule) ? startTableBytes(probe.startBits) : BigInt(probe.geometry.granule));
        const e = addStage2(s, c.name, { ...config, S2TTB: root });
        const g = e.tables.geometry;
        return [{ kind: 'pgtable.created', name: c.name, stage: 2, config: e.config, root: { address: root, level: g.startLevel }, startLevel: g.startLevel, granule: g.granule, concatenated: concatenatedTables(e.tables) }];
      }
      const probe = compileStage1({ ...c.config, TTB0: c.config.TTB0 ?? 0n });
      const root = c.config.TTB0 ?? s.allocator.alloc(BigInt(probe.ttbr0.geometry.granule));
      const e = addStage1(s, c.name, { ...probe.config, TTB0: root });
      const g = e.pgtable.g;
      return [{ kind: 'pgtable.created', name: c.name, stage: 1, config: e.config, root: { address: root, level: g.startLevel }, startLevel: g.startLevel, granule: g.granule }];
    }
    case 'pgtable.map': {
      const r = table(s, c.table).pgtable.map(c.iova, c.paddr, c.size, c.prot);
      return [{ kind: 'pgtable.mapped', table: c.table, iova: c.iova, paddr: c.paddr, size: c.size, entries: r.entries, tables: r.tables, writes: r.writes }];
    }
    case 'pgtable.unmap': {
      const r = table(s, c.table).pgtable.unmap(c.iova, c.size);
      return [{ kind: 'pgtable.unmapped', table: c.table, iova: c.iova, size: c.size, unmapped: r.unmapped, entries: r.entries, tablesFreed: r.tablesFreed, writes: r.writes }];
    }
    case 'walk': {
      const t = table(s, c.table);
      if (t.stage === 2) {
        if (c.stage2) throw new EngineError('a stage-2 table cannot be nested through another stage 2', 'stage2');
        return [{ kind: 'walk.completed', table: c.table, stage: 2, result: translateStage2(s.mem, t.tables, c.address, c.access) }];
      }
      let s2 = null;
      if (c.stage2) {
        const n = table(s, c.stage2);
        if (n.stage !== 2) throw new EngineError(`"${c.stage2}" is a stage-1 table; nesting needs a stage-2 table`, 'stage2');
        s2 = n.tables;
      }
      return [{ kind: 'walk.completed', table: c.table, stage: 1, ...(c.stage2 ? { stage2: c.stage2 } : {}), result: translateStage1(s.mem, t.regime, c.address, c.access, s2) }];
    }
  }
}
