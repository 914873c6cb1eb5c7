/**
 * The IOTLB really caches (SMMUv3 spec, "TLB invalidation"): after a table
 * changes in memory, DMA keeps getting the old translation until the right
 * TLBI reaches the entry and a CMD_SYNC completes it. A TLBI with the wrong
 * ASID, VMID or address leaves the stale entry in place. CMD_TLBI_S2_IPA
 * removes stage-2-only entries but not combined stage 1+2 (nested) ones,
 * which is why Linux follows it with a stage-1 invalidation for nesting.
 */
import { describe, expect, it } from 'vitest';
import { observe } from './helpers/evtq.ts';
import { IOVA, IPA, PA, nestedStream } from './helpers/nested.ts';
import { PA_BASE, issueSync, map, probe, s2Fields, s2Table, smmuOf, stage1Stream, unmap, writeSte } from './helpers/smmu.ts';

const VA = 0x5_0000_3000n;
const OLD = PA_BASE + 0x1000n;
const NEW = PA_BASE + 0x2000n;

function stage1() {
  const e = probe();
  stage1Stream(e, 1, 't', 5);
  map(e, 't', VA, OLD);
  return e;
}

const out = (e: ReturnType<typeof probe>, sid: number, a: bigint) => observe(e, sid, a).outcome;

describe('IOTLB, stage 1', () => {
  it('is filled by a walk and hit by the next DMA to the page', () => {
    const e = stage1();
    const first = out(e, 1, VA + 0x10n);
    expect(first.trace.tlb?.hit).toBe(false);
    expect(first.trace.walk).toBeDefined();
    const entries = smmuOf(e).iotlb.entries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ asid: 5, vmid: 0, input: VA, size: 0x1000n, output: OLD });
    const second = out(e, 1, VA + 0xff8n);
    expect(second.trace.tlb?.hit).toBe(true);
    expect(second.trace.walk).toBeUndefined();
    expect(second.output).toBe(OLD + 0xff8n);
  });

  it('serves the old PA after a remap without invalidation, and the new one after CMD_TLBI_NH_VA + CMD_SYNC', () => {
    const e = stage1();
    expect(out(e, 1, VA).output).toBe(OLD);
    unmap(e, 't', VA);
    expect(out(e, 1, VA).output).toBe(OLD); // unmapped in memory, still translated
    map(e, 't', VA, NEW);
    expect(out(e, 1, VA).output).toBe(OLD);

    // Invalidations that do not name the entry change nothing.
    issueSync(e, { op: 'CMD_TLBI_NH_VA', fields: { VMID: 0n, ASID: 6n, Address: VA } });
    issueSync(e, { op: 'CMD_TLBI_NH_VA', fields: { VMID: 0n, ASID: 5n, Address: VA + 0x1000n } });
    issueSync(e, { op: 'CMD_TLBI_NH_VA', fields: { VMID: 1n, ASID: 5n, Address: VA } });
    expect(out(e, 1, VA).output).toBe(OLD);

    const issued = issueSync(e, { op: 'CMD_TLBI_NH_VA', fields: { VMID: 0n, ASID: 5n, Address: VA, Leaf: 1n } });
    expect(issued.consumed.map((c) => c.invalidated)).toEqual([1, 0]);
    const after = out(e, 1, VA + 4n);
    expect(after.trace.tlb?.hit).toBe(false);
    expect(after.output).toBe(NEW + 4n);
  });

  it('CMD_TLBI_NH_ASID removes every entry of that ASID and only those', () => {
    const e = probe();
    stage1Stream(e, 1, 'a', 5);
    stage1Stream(e, 2, 'b', 6, 0x1001_0000n);
    map(e, 'a', VA, OLD);
    map(e, 'a', VA + 0x20_0000n, OLD + 0x10_0000n);
    map(e, 'b', VA, OLD);
    for (const a of [VA, VA + 0x20_0000n]) out(e, 1, a);
    out(e, 2, VA);
    unmap(e, 'a', VA);
    map(e, 'a', VA, NEW);
    unmap(e, 'b', VA);
    map(e, 'b', VA, NEW);

    const issued = issueSync(e, { op: 'CMD_TLBI_NH_ASID', fields: { VMID: 0n, ASID: 5n } });
    expect(issued.consumed[0]?.invalidated).toBe(2);
    expect(out(e, 1, VA).output).toBe(NEW);
    expect(out(e, 2, VA).output).toBe(OLD); // ASID 6 still stale
    expect(smmuOf(e).iotlb.entries().filter((t) => t.asid === 6).map((t) => t.output)).toEqual([OLD]);
  });
});

describe('IOTLB, stage 2 and nested', () => {
  it('CMD_TLBI_S2_IPA leaves a nested (stage 1+2) entry stale; a stage-1 invalidation of the VMID then removes it', () => {
    const n = nestedStream({ vmid: 3 });
    expect(out(n.e, n.sid, IOVA).output).toBe(PA);
    unmap(n.e, n.s2Name, IPA);
    map(n.e, n.s2Name, IPA, NEW);

    const s2ipa = issueSync(n.e, { op: 'CMD_TLBI_S2_IPA', fields: { VMID: 3n, Address: IPA } });
    expect(s2ipa.consumed[0]?.invalidated).toBe(0);
    const stale = out(n.e, n.sid, IOVA);
    expect(stale.trace.tlb?.hit).toBe(true);
    expect(stale.output).toBe(PA);

    issueSync(n.e, { op: 'CMD_TLBI_NH_ALL', fields: { VMID: 3n } });
    expect(out(n.e, n.sid, IOVA).output).toBe(NEW);
  });

  it('CMD_TLBI_S2_IPA removes a stage-2-only entry of its VMID and IPA', () => {
    const e = probe();
    const vtcr = { S2TG: 0, S2T0SZ: 24, S2SL0: 1 };
    const t = s2Table(e, 's2', vtcr);
    const ipa = 0x12_3456_7000n;
    map(e, 's2', ipa, OLD);
    writeSte(e, 4, { V: 1n, Config: 0b110n, ...s2Fields(t, vtcr, { S2VMID: 7n }) });
    expect(out(e, 4, ipa).output).toBe(OLD);
    expect(smmuOf(e).iotlb.entries()[0]).toMatchObject({ vmid: 7, asid: -1, input: ipa });
    unmap(e, 's2', ipa);
    map(e, 's2', ipa, NEW);
    expect(out(e, 4, ipa).output).toBe(OLD);

    issueSync(e, { op: 'CMD_TLBI_S2_IPA', fields: { VMID: 8n, Address: ipa } });
    expect(out(e, 4, ipa).output).toBe(OLD); // another VMID's invalidation
    // Stage-1 invalidations do not touch stage-2-only entries.
    issueSync(e, { op: 'CMD_TLBI_NH_ALL', fields: { VMID: 7n } });
    expect(out(e, 4, ipa).output).toBe(OLD);

    issueSync(e, { op: 'CMD_TLBI_S2_IPA', fields: { VMID: 7n, Address: ipa } });
    expect(out(e, 4, ipa).output).toBe(NEW);
  });

  it('CMD_TLBI_S12_VMALL removes nested entries of its VMID', () => {
    const n = nestedStream({ vmid: 3 });
    out(n.e, n.sid, IOVA);
    unmap(n.e, n.s2Name, IPA);
    map(n.e, n.s2Name, IPA, NEW);
    issueSync(n.e, { op: 'CMD_TLBI_S12_VMALL', fields: { VMID: 4n } });
    expect(out(n.e, n.sid, IOVA).output).toBe(PA);
    issueSync(n.e, { op: 'CMD_TLBI_S12_VMALL', fields: { VMID: 3n } });
    expect(out(n.e, n.sid, IOVA).output).toBe(NEW);
  });
});
