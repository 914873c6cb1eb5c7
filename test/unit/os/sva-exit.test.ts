import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/index.ts';
import { boot, call, commandsOf, group } from './helpers.ts';
import { cd, dmaPasid, domainOf, mmView, PASID_TOPOLOGY, process, sva, VA } from './sva-helpers.ts';

function bound(): Engine {
  const { engine } = boot(PASID_TOPOLOGY);
  process(engine, 'P');
  call(engine, { call: 'iommu_sva_bind_device', args: { dev: 'A', mm: 'P' } });
  return engine;
}

describe('the mm going away (process exit)', () => {
  it('S9: the CD becomes the quiet CD (V = 1, EPD0 = 1, R = S = 0), then the ASID is invalidated; the bond, PASID and domain stay', () => {
    const e = bound();
    const asid = BigInt(domainOf(e, 'sva:P')?.smmu?.asid as number);
    dmaPasid(e, 'A', VA, 1);
    const r = call(e, { call: 'mm_exit', args: { mm: 'P' } });
    expect(r.ret).toBe(0);
    const c = cd(e, 'A', 1);
    expect({ V: c.V, EPD0: c.EPD0, R: c.R, S: c.S, ASID: c.ASID, TTB0: c.TTB0 }).toEqual({ V: 1n, EPD0: 1n, R: 0n, S: 0n, ASID: asid, TTB0: 0n });
    // The quiet CD first, then TLBI_NH_ASID, then the CPU's tables go.
    const kinds = r.hw.map((h) => h.kind);
    expect(kinds.indexOf('cd')).toBeLessThan(kinds.indexOf('commands'));
    expect(kinds.indexOf('commands')).toBeLessThan(kinds.indexOf('free'));
    const tlbi = r.hw.flatMap((h) => (h.kind === 'commands' ? h.consumed : [])).map((x) => x.command);
    expect(tlbi.map((x) => x?.op)).toEqual(['CMD_TLBI_NH_ASID', 'CMD_SYNC']);
    expect(tlbi[0]?.fields.ASID).toBe(asid);
    // The switch to the quiet CD was hitless: V never dropped.
    const cdWrite = r.hw.find((h) => h.kind === 'cd');
    expect(cdWrite?.kind === 'cd' && cdWrite.update.plan.strategy).not.toBe('breaking');
    expect(r.findings).toEqual([]);

    const d = dmaPasid(e, 'A', VA, 1);
    expect(d.landed).toBe('blocked');
    expect(d.outcome.trace.tlb?.hit).toBe(false);
    expect(d.outcome.event?.name).toBe('F_TRANSLATION');
    expect(d.outcome.recorded).toMatchObject({ dropped: expect.stringMatching(/not recorded/) });

    expect(sva(e).bonds).toMatchObject([{ name: 'sva:A:P', users: 1 }]);
    expect(group(e, 'A').pasidArray).toEqual([{ pasid: 1, domain: 'sva:P', handle: 'sva:A:P' }]);
    expect(mmView(e, 'P')).toMatchObject({ alive: false, mmCount: 1, pasid: 1, mappings: [] });
    expect(sva(e).globalPasids).toEqual([1]);
  });

  it('DMA streaming through the exit never reaches the freed pages: old domain, then blocked', () => {
    const e = bound();
    const r = call(e, { call: 'mm_exit', args: { mm: 'P' } }, [{ device: 'A', iova: VA + 0x40n, access: { kind: 'read', privileged: false }, pasid: 1 }]);
    expect(r.findings).toEqual([]);
    expect(r.checkpoints[0]).toMatchObject({ pasid: 1, old: 'sva:P', new: 'arm_smmu_blocked_domain' });
    const landed = r.inflight.map((x) => x.landed);
    expect(landed[0]).toBe('old domain');
    expect(landed.at(-1)).toBe('blocked');
  });

  it('S10: binding an exited mm is a caller bug; the driver\'s mmget_not_zero guard makes it -EINVAL', () => {
    const e = bound();
    call(e, { call: 'mm_exit', args: { mm: 'P' } });
    const asids = [...(e.linux?.asids ?? [])];
    const r = call(e, { call: 'iommu_sva_bind_device', args: { dev: 'C', mm: 'P' } });
    expect(r.ret).toBe('EINVAL');
    expect(r.warnings.join()).toMatch(/caller bug/);
    expect(group(e, 'C').pasidArray).toEqual([]);
    expect(e.linux?.asids).toEqual(asids);
    expect(mmView(e, 'P').mmCount).toBe(1);
  });

  it('S11: the unbind after exit clears the CD and frees the domain, and with it the mm, its pgd and its PASID', () => {
    const e = bound();
    const pgd = mmView(e, 'P').pgd;
    call(e, { call: 'mm_exit', args: { mm: 'P' } });
    const r = call(e, { call: 'iommu_sva_unbind_device', args: { handle: 'sva:A:P' } });
    expect(Number(cd(e, 'A', 1).V)).toBe(0);
    expect(r.hw.some((h) => h.kind === 'free' && h.address === pgd)).toBe(true);
    expect(commandsOf(r)).toContain('CMD_TLBI_NH_ASID');
    expect(sva(e)).toMatchObject({ mms: [], bonds: [], svaDomains: [], globalPasids: [] });
    expect(e.linux?.domains.some((d) => d.type === 'SVA')).toBe(false);
    // The PASID is free again: the next process gets it.
    const { engine } = { engine: e };
    process(engine, 'Q');
    call(engine, { call: 'iommu_sva_bind_device', args: { dev: 'A', mm: 'Q' } });
    expect(mmView(engine, 'Q').pasid).toBe(1);
  });

  it('the normal order: unbind, then exit: the PASID lives until the exit', () => {
    const e = bound();
    call(e, { call: 'iommu_sva_unbind_device', args: { handle: 'sva:A:P' } });
    expect(sva(e).globalPasids).toEqual([1]);
    const r = call(e, { call: 'mm_exit', args: { mm: 'P' } });
    expect(commandsOf(r)).toEqual([]);
    expect(sva(e)).toMatchObject({ mms: [], globalPasids: [] });
    expect(e.apply({ kind: 'linux.call', call: 'mm_map', args: { mm: 'P', va: VA, paddr: 0x9000_0000n, size: 0x1000n, prot: { read: true, write: true, exec: false, priv: false } } })[0]?.kind).toBe('command.rejected');
  });

  it('an exit with two devices bound quiets both CDs, and each later unbind handles its own', () => {
    const e = bound();
    call(e, { call: 'iommu_sva_bind_device', args: { dev: 'C', mm: 'P' } });
    const r = call(e, { call: 'mm_exit', args: { mm: 'P' } });
    expect(r.hw.filter((h) => h.kind === 'cd').map((h) => h.kind === 'cd' && h.device)).toEqual(['A', 'C']);
    expect([cd(e, 'A', 1).EPD0, cd(e, 'C', 1).EPD0]).toEqual([1n, 1n]);
    call(e, { call: 'iommu_sva_unbind_device', args: { handle: 'sva:A:P' } });
    expect(mmView(e, 'P').mmCount).toBe(1);
    call(e, { call: 'iommu_sva_unbind_device', args: { handle: 'sva:C:P' } });
    expect(sva(e).mms).toEqual([]);
  });
});
