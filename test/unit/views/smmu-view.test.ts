import { describe, expect, it } from 'vitest';
import { commandQueueView, configCacheView, Engine, eventQueueView, iotlbView, streamTableView, type EngineCommand } from '../../../src/engine/index.ts';

const READ = { kind: 'read', privileged: true } as const;
const RW = { read: true, write: true, exec: false, priv: true };

/** A stage-1 stream 3 with a linear CD table of one CD, mapping IOVA 0x1000 -> 0x8_8000_0000. */
function setup(streamTable: 'linear' | '2-level' = 'linear'): Engine {
  const e = new Engine();
  const run = (c: EngineCommand) => {
    const [ev] = e.apply(c);
    if (ev?.kind === 'command.rejected') throw new Error(ev.message);
    return ev;
  };
  run({ kind: 'smmu.probe', preset: 'full', options: { streamTable, log2size: streamTable === 'linear' ? 4 : 16 } });
  const created = run({ kind: 'pgtable.create', name: 'io', config: { TG0: 0, T0SZ: 16 } });
  const ttb0 = created?.kind === 'pgtable.created' ? created.root.address : 0n;
  run({ kind: 'pgtable.map', table: 'io', iova: 0x1000n, paddr: 0x8_8000_0000n, size: 0x1000n, prot: RW });
  run({ kind: 'smmu.writeSte', sid: 3, fields: { V: 1n, Config: 5n, S1ContextPtr: 0x7000_0000n } });
  run({ kind: 'smmu.writeCd', sid: 3, ssid: 0, fields: { V: 1n, AA64: 1n, R: 1n, A: 1n, T0SZ: 16n, TG0: 0n, IPS: 5n, EPD1: 1n, ASID: 9n, TTB0: ttb0 } });
  return e;
}

describe('SMMU views', () => {
  it('list the STEs in use with their configuration, for linear and 2-level tables', () => {
    const lin = streamTableView(setup('linear').smmu!);
    expect(lin.fmt).toBe('linear');
    expect(lin.stes.find((r) => r.sid === 3)).toMatchObject({ valid: true, config: 'stage 1' });
    expect(lin.stes.find((r) => r.sid === 2)).toMatchObject({ valid: true, config: 'abort' });
    const two = streamTableView(setup('2-level').smmu!);
    expect(two.l1).toEqual([{ index: 0, address: two.base, span: 9, l2: expect.any(BigInt) }]);
    expect(two.stes.find((r) => r.sid === 3)?.config).toBe('stage 1');
    expect(two.stes.find((r) => r.sid === 4)?.config).toBe('abort'); // a new L2 table starts as abort STEs
  });

  it('show the commands the driver queued and the events the SMMU recorded', () => {
    const e = setup();
    e.apply({ kind: 'smmu.dma', sid: 3, address: 0x5000n, access: READ }); // unmapped: F_TRANSLATION, CD.R = 1
    e.apply({ kind: 'smmu.dma', sid: 1, address: 0x1000n, access: READ }); // abort STE: no event
    const events = eventQueueView(e.smmu!);
    expect(events.map((x) => x.decoded.name)).toEqual(['F_TRANSLATION']);
    expect(events[0]?.decoded.fields).toMatchObject({ StreamID: 3n, InputAddr: 0x5000n, RnW: 1n });
    const cmds = commandQueueView(e.smmu!).map((c) => c.decoded?.op);
    expect(cmds).toEqual(['CMD_CFGI_STE_RANGE', 'CMD_TLBI_NSNH_ALL', 'CMD_SYNC']);
  });

  it('mark a cached translation stale when the table changed without a TLBI', () => {
    const e = setup();
    e.apply({ kind: 'smmu.dma', sid: 3, address: 0x1000n, access: READ });
    expect(iotlbView(e.smmu!).map((x) => [x.input, x.output, x.stale])).toEqual([[0x1000n, 0x8_8000_0000n, undefined]]);
    e.apply({ kind: 'pgtable.unmap', table: 'io', iova: 0x1000n, size: 0x1000n });
    e.apply({ kind: 'pgtable.map', table: 'io', iova: 0x1000n, paddr: 0x9_0000_0000n, size: 0x1000n, prot: RW });
    expect(iotlbView(e.smmu!)[0]?.stale).toEqual({ now: 0x9_0000_0000n });
    e.apply({ kind: 'pgtable.unmap', table: 'io', iova: 0x1000n, size: 0x1000n });
    expect(iotlbView(e.smmu!)[0]?.stale).toEqual({ now: 'fault' });
  });

  it('mark a cached STE stale when memory changed without a CFGI', () => {
    const e = setup();
    e.apply({ kind: 'smmu.dma', sid: 3, address: 0x1000n, access: READ });
    expect(configCacheView(e.smmu!).stes).toEqual([expect.objectContaining({ sid: 3, stale: false })]);
    e.apply({ kind: 'smmu.writeSte', sid: 3, fields: { V: 1n, Config: 4n } });
    expect(configCacheView(e.smmu!).stes[0]?.stale).toBe(true);
    expect(configCacheView(e.smmu!).cds[0]).toMatchObject({ sid: 3, ssid: 0, stale: false });
  });
});
