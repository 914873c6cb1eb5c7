import { describe, expect, it } from 'vitest';
import { Engine, type EngineEvent } from '../../../src/engine/index.ts';
import { decodeFields } from '../../../src/engine/hw/smmu/fields.ts';
import { STE_FIELDS } from '../../../src/engine/hw/smmu/ste-fields.ts';

function one<K extends EngineEvent['kind']>(events: EngineEvent[], kind: K): Extract<EngineEvent, { kind: K }> {
  const e = events[0];
  if (events.length !== 1 || e?.kind !== kind) throw new Error(`expected ${kind}, got ${JSON.stringify(events, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))}`);
  return e as Extract<EngineEvent, { kind: K }>;
}

function probed(): Engine {
  const e = new Engine();
  one(e.apply({ kind: 'smmu.probe', preset: 'full', options: { streamTable: 'linear', log2size: 4 } }), 'smmu.probed');
  return e;
}

const READ = { kind: 'read', privileged: true } as const;

describe('driver-style STE updates through the command queue', () => {
  it('abort -> bypass is one 64-bit store and one CMD_CFGI_STE + CMD_SYNC, and the SMMU sees the new STE at once', () => {
    const e = probed();
    expect(one(e.apply({ kind: 'smmu.dma', sid: 3, address: 0x1000n, access: READ }), 'smmu.dma').outcome.result).toBe('terminated');
    const u = one(e.apply({ kind: 'smmu.updateSte', sid: 3, fields: { V: 1n, Config: 4n, SHCFG: 1n } }), 'smmu.steUpdated').update;
    expect(u.plan.hitless).toBe(true);
    const syncs = u.executed.filter((s) => s.kind === 'sync');
    expect(syncs.length).toBe(u.plan.syncs);
    for (const s of syncs) {
      if (s.kind !== 'sync') continue;
      expect(s.consumed.map((c) => c.command?.op)).toEqual(['CMD_CFGI_STE', 'CMD_SYNC']);
      expect(s.consumed[0]?.command?.fields.StreamID).toBe(3n);
    }
    expect(decodeFields(u.after, STE_FIELDS)).toMatchObject({ V: 1n, Config: 4n, SHCFG: 1n });
    expect(one(e.apply({ kind: 'smmu.dma', sid: 3, address: 0x1000n, access: READ }), 'smmu.dma').outcome).toMatchObject({ result: 'bypassed', output: 0x1000n });
  });

  it('a plain field write to a live STE is not seen until CMD_CFGI_STE: the config cache holds the old one', () => {
    const e = probed();
    e.apply({ kind: 'smmu.updateSte', sid: 2, fields: { V: 1n, Config: 4n } });
    expect(one(e.apply({ kind: 'smmu.dma', sid: 2, address: 0x2000n, access: READ }), 'smmu.dma').outcome.result).toBe('bypassed');
    one(e.apply({ kind: 'smmu.writeSte', sid: 2, fields: { V: 1n, Config: 0n } }), 'smmu.steWritten');
    const stale = one(e.apply({ kind: 'smmu.dma', sid: 2, address: 0x2000n, access: READ }), 'smmu.dma').outcome;
    expect(stale.result).toBe('bypassed');
    expect(stale.trace.ste?.cached).toBe(true);
    e.apply({ kind: 'smmu.issueCommands', commands: [{ op: 'CMD_CFGI_STE', fields: { StreamID: 2n, Leaf: 1n } }, { op: 'CMD_SYNC' }] });
    expect(one(e.apply({ kind: 'smmu.dma', sid: 2, address: 0x2000n, access: READ }), 'smmu.dma').outcome.result).toBe('terminated');
  });

  it('bypass -> stage 1 -> stage 2 follows the plan, each sync invalidating the STE', () => {
    const e = probed();
    e.apply({ kind: 'smmu.updateSte', sid: 1, fields: { V: 1n, Config: 4n, SHCFG: 1n } });
    const s1 = one(e.apply({ kind: 'smmu.updateSte', sid: 1, fields: { V: 1n, Config: 5n, S1ContextPtr: 0x8000_0000n, S1CIR: 1n, S1COR: 1n, S1CSH: 3n } }), 'smmu.steUpdated').update;
    const s2 = one(e.apply({ kind: 'smmu.updateSte', sid: 1, fields: { V: 1n, Config: 6n, S2VMID: 1n, S2T0SZ: 24n, S2SL0: 1n, S2TG: 0n, S2PS: 5n, S2AA64: 1n, S2R: 1n, S2TTB: 0x8010_0000n } }), 'smmu.steUpdated').update;
    for (const u of [s1, s2]) {
      expect(u.executed.filter((x) => x.kind === 'write').length).toBe(u.plan.writes);
      expect(u.executed.filter((x) => x.kind === 'sync').length).toBe(u.plan.syncs);
    }
    // Stage 1 (VMID 0) -> stage 2 (VMID 1): both use S2VMID and VTCR differs, so V must be cleared first.
    expect(s2.plan.hitless).toBe(false);
    expect(s2.executed[0]).toMatchObject({ kind: 'write', qword: 0 });
  });
});
