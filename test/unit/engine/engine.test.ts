import { describe, expect, it } from 'vitest';
import { Engine, replay, type EngineCommand } from '../../../src/engine/index.ts';
import { RO, RW } from './helpers.ts';

const commands: EngineCommand[] = [
  { kind: 'pgtable.create', name: 'dev', config: { TG0: 0, T0SZ: 16 } },
  { kind: 'pgtable.map', table: 'dev', iova: 0x40_0000_0000n, paddr: 0x8_8000_0000n, size: 0x3000n, prot: RW },
  { kind: 'pgtable.map', table: 'dev', iova: 0x40_0020_0000n, paddr: 0x8_9000_0000n, size: 0x20_0000n, prot: RO },
  { kind: 'walk', table: 'dev', address: 0x40_0000_2468n, access: { kind: 'read', privileged: true } },
  { kind: 'walk', table: 'dev', address: 0x40_0030_0000n, access: { kind: 'write', privileged: true } },
  { kind: 'pgtable.unmap', table: 'dev', iova: 0x40_0000_1000n, size: 0x1000n },
  { kind: 'walk', table: 'dev', address: 0x40_0000_1000n, access: { kind: 'read', privileged: true } },
];

describe('Engine', () => {
  it('is deterministic: the same commands give the same event log', () => {
    expect(replay(commands, commands.length).events).toEqual(replay(commands, commands.length).events);
  });

  it('a snapshot restores the exact state: replaying the rest gives the same events', () => {
    const full = replay(commands, commands.length);
    const head = replay(commands, 3);
    const snap = head.engine.snapshot();
    head.engine.apply({ kind: 'pgtable.unmap', table: 'dev', iova: 0x40_0000_0000n, size: 0x1000n }); // must not leak into the snapshot
    const tail = replay(commands, commands.length, {}, { snapshot: snap, at: 3 });
    expect(tail.events).toEqual(full.events.slice(3));
  });

  it('a refused command changes nothing and names the field', () => {
    const e = new Engine();
    const [ev] = e.apply({ kind: 'pgtable.create', name: 'x', config: { TG0: 3, T0SZ: 16 } });
    expect(ev).toMatchObject({ kind: 'command.rejected', field: 'TG0' });
    expect(e.tableConfig('x')).toBeUndefined();
    expect(e.memory.frames).toBe(0);
    expect(e.apply({ kind: 'walk', table: 'nope', address: 0n, access: { kind: 'read', privileged: true } })[0]).toMatchObject({ kind: 'command.rejected', field: 'table' });
    expect(e.apply({ kind: 'pgtable.create', name: 'y', config: { TG0: 0, T0SZ: 12 } })[0]).toMatchObject({ field: 'T0SZ' });
    expect(e.apply({ kind: 'pgtable.create', name: 'y', config: { TG0: 0, T0SZ: 16, IPS: 7 } })[0]).toMatchObject({ field: 'IPS' });
  });

  it('refuses a second page table with the same name', () => {
    const e = new Engine();
    e.apply(commands[0] as EngineCommand);
    expect(e.apply(commands[0] as EngineCommand)[0]).toMatchObject({ kind: 'command.rejected', field: 'name' });
  });

  it('memory.write reports the old and new value', () => {
    const e = new Engine();
    const [a] = e.apply({ kind: 'memory.write', address: 0x9000n, value: 5n, size: 8 });
    const [b] = e.apply({ kind: 'memory.write', address: 0x9000n, value: 6n, size: 4 });
    expect(a).toMatchObject({ write: { old: undefined, value: 5n } });
    expect(b).toMatchObject({ write: { old: 5n, value: 6n, size: 4 } });
  });
});
