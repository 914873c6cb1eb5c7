import { Engine, type EngineEvent, type Prot, type WalkResult } from '../../../src/engine/index.ts';

export const RW: Prot = { read: true, write: true, exec: false, priv: true };
export const RO: Prot = { read: true, write: false, exec: false, priv: true };

export function only<K extends EngineEvent['kind']>(events: EngineEvent[], kind: K): Extract<EngineEvent, { kind: K }> {
  if (events.length !== 1 || events[0]?.kind !== kind) {
    throw new Error(`expected one ${kind} event, got ${JSON.stringify(events, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))}`);
  }
  return events[0] as Extract<EngineEvent, { kind: K }>;
}

export function newTable(config: { TG0: number; T0SZ: number; IPS?: number; AFFD?: boolean; EPD1?: boolean; T1SZ?: number; TG1?: number; TBI?: number; TTB1?: bigint }, name = 't'): Engine {
  const e = new Engine();
  only(e.apply({ kind: 'pgtable.create', name, config }), 'pgtable.created');
  return e;
}

export function walk(e: Engine, address: bigint, kind: 'read' | 'write' | 'exec' = 'read', privileged = true, table = 't'): WalkResult {
  return only(e.apply({ kind: 'walk', table, address, access: { kind, privileged } }), 'walk.completed').result;
}

export function map(e: Engine, iova: bigint, paddr: bigint, size: bigint, prot: Prot = RW, table = 't') {
  return only(e.apply({ kind: 'pgtable.map', table, iova, paddr, size, prot }), 'pgtable.mapped');
}
