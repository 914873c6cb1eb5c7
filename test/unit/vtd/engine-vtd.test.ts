/**
 * The VT-d commands through the Engine: refusals name the field and change
 * nothing, the event log is deterministic, a snapshot replays to the same
 * state (caches and fault records included), and the view reports stale
 * cache entries.
 */
import { describe, expect, it } from 'vitest';
import { Engine, type EngineCommand } from '../../../src/engine/index.ts';
import { vtdView } from '../../../src/engine/views/vtd-view.ts';

const SID = 0x0300;
const commands: EngineCommand[] = [
  { kind: 'vtd.probe', preset: 'scalable' },
  { kind: 'vtd.createPgtable', name: 'fs', format: 'first-stage', levels: 4 },
  { kind: 'vtd.map', table: 'fs', iova: 0x1000_0000n, paddr: 0x8_0000_0000n, size: 0x1000n, prot: { read: true, write: true } },
  { kind: 'vtd.writeContext', sid: SID, fields: { P: 1n, PASIDE: 1n, PDTS: 0n, PASIDDIRPTR: 0x5000_0000n } },
  { kind: 'vtd.writePasidEntry', sid: SID, pasid: 0, fields: { P: 1n, PGTT: 1n, FLPTR: 0x4000_3000n, DID: 1n, AW: 2n } },
  { kind: 'vtd.dma', sid: SID, address: 0x1000_0008n, access: { kind: 'read', privileged: false } },
  { kind: 'vtd.unmap', table: 'fs', iova: 0x1000_0000n, size: 0x1000n },
  { kind: 'vtd.dma', sid: SID, address: 0x1000_2000n, access: { kind: 'write', privileged: false } },
];

describe('VT-d through the engine', () => {
  it('refuses a command with a message naming the field, and nothing changes', () => {
    const e = new Engine();
    expect(e.apply({ kind: 'vtd.dma', sid: 1, address: 0n, access: { kind: 'read', privileged: false } })[0]).toMatchObject({ kind: 'command.rejected', field: 'kind' });
    e.apply({ kind: 'vtd.probe', preset: 'scalable' });
    const before = e.snapshot();
    const r = e.apply({ kind: 'vtd.writePasidEntry', sid: SID, pasid: 1, fields: { P: 1n } });
    expect(r[0]).toMatchObject({ kind: 'command.rejected', message: expect.stringContaining('PASIDDIRPTR'), field: 'sid' });
    expect(e.apply({ kind: 'vtd.writeContext', sid: SID, fields: { TT: 1n } })[0]).toMatchObject({ kind: 'command.rejected', field: 'TT' });
    expect(e.memory.frames).toBe(before.memory.frames);
  });

  it('gives the same events every time, and a snapshot carries the caches and fault records', () => {
    const a = new Engine();
    const b = new Engine();
    const logA = commands.map((c) => a.apply(c));
    const logB = commands.map((c) => b.apply(c));
    expect(logA).toEqual(logB);
    const restored = Engine.fromSnapshot(a.snapshot());
    expect(vtdView(restored.vtd!)).toEqual(vtdView(a.vtd!));
    // The restored engine goes on exactly as the original would.
    const next: EngineCommand = { kind: 'vtd.dma', sid: SID, address: 0x1000_0010n, access: { kind: 'read', privileged: false } };
    expect(restored.apply(next)).toEqual(a.apply(next));
  });

  it('the view decodes the tables and marks the IOTLB entry the unmap made stale', () => {
    const e = new Engine();
    commands.forEach((c) => e.apply(c));
    const v = vtdView(e.vtd!);
    expect(v.mode).toBe('scalable');
    const ctx = v.roots.find((r) => r.bus === 3)?.contexts[0];
    expect(ctx).toMatchObject({ sid: SID, bdf: '03:00.0', translation: 'PASID table' });
    expect(ctx?.pasidDirectory?.entries[0]?.entries[0]).toMatchObject({ pasid: 0, pgtt: 'first-stage' });
    expect(v.caches.iotlb).toEqual([expect.objectContaining({ did: 1, pasid: 0, kind: 'first-stage', page: 0x1000_0000n, stale: true })]);
    expect(v.caches.pasid).toEqual([expect.objectContaining({ pasid: 0, did: 1, stale: false })]);
    expect(v.faults.records).toEqual([expect.objectContaining({ index: 0, name: 'FS_PAGING_ENTRY_P' })]);
    expect(v.queue.entries.map((q) => q.summary)).toEqual(['Context-cache invalidate (global)', 'PASID-cache invalidate (global)', 'IOTLB invalidate (global)', 'Invalidation wait (status 0x1 -> 0x40002000)']);
    expect(v.registers.find((r) => r.name === 'ECAP')?.fields.SMTS).toBe(1n);
  });
});
