/**
 * Context descriptor tables and SubstreamIDs (SMMUv3 spec, "Context
 * descriptor table"; Linux arm_smmu_alloc_cd_ptr): linear, CD n at
 * S1ContextPtr + 64n; 2-level, L1CD index = SSID >> 10 with 1024-CD leaves
 * (S1Fmt = 2) or SSID >> 6 with 64-CD leaves (S1Fmt = 1), each L1CD holding
 * V (bit 0) and L2Ptr [51:12]. One device, many address spaces: each
 * SubstreamID selects its own CD, ASID and page table.
 */
import { describe, expect, it } from 'vitest';
import { observe } from './helpers/evtq.ts';
import { CD_TABLE, PA_BASE, map, probe, s1Cd, s1Ste, s1Table, smmuOf, writeCd, writeSte } from './helpers/smmu.ts';
import type { Engine } from '../../../src/engine/index.ts';

const SID = 33;
const IOVA = 0x7f_0000_1000n;
const L1CD_L2PTR = 0x000f_ffff_ffff_f000n;

/** A process per SubstreamID: its own table mapping IOVA to PA_BASE + 0x10000 * (ssid + 1), ASID 100 + ssid. */
function addressSpaces(e: Engine, ssids: number[]): void {
  for (const ssid of ssids) {
    const ttb0 = s1Table(e, `proc${ssid}`);
    map(e, `proc${ssid}`, IOVA, PA_BASE + 0x10000n * BigInt(ssid + 1));
    writeCd(e, SID, ssid, s1Cd(ttb0, 100 + ssid));
  }
}

const expected = (ssid: number, offset = 0n) => PA_BASE + 0x10000n * BigInt(ssid + 1) + offset;

describe('linear CD table', () => {
  it('selects CD n at S1ContextPtr + 64n: the same IOVA reaches a different PA for each SubstreamID', () => {
    const e = probe();
    writeSte(e, SID, s1Ste(CD_TABLE, { S1CDMax: 3n, S1DSS: 0n }));
    const ssids = [1, 2, 7];
    addressSpaces(e, ssids);
    for (const ssid of ssids) {
      const o = observe(e, SID, IOVA + 0x42n, { ssid }).outcome;
      expect(o.output).toBe(expected(ssid, 0x42n));
      expect(o.trace.cd).toMatchObject({ ssid, address: CD_TABLE + 64n * BigInt(ssid), asid: 100 + ssid });
      expect(o.trace.cd?.l1).toBeUndefined();
    }
    // The IOTLB keeps one entry per address space, told apart by ASID.
    const asids = smmuOf(e).iotlb.entries().filter((t) => t.input === IOVA).map((t) => t.asid).sort((a, b) => a - b);
    expect(asids).toEqual([101, 102, 107]);
  });

  it('S1DSS = bypass lets traffic without a SubstreamID through untranslated, while SubstreamIDs translate', () => {
    const e = probe();
    writeSte(e, SID, s1Ste(CD_TABLE, { S1CDMax: 2n, S1DSS: 1n }));
    addressSpaces(e, [1]);
    const o = observe(e, SID, IOVA).outcome;
    expect(o).toMatchObject({ result: 'bypassed', output: IOVA });
    expect(observe(e, SID, IOVA, { ssid: 1 }).outcome.output).toBe(expected(1));
  });
});

describe('2-level CD table', () => {
  it('S1Fmt = 2: 1024-CD leaves, L1CD index = SSID >> 10', () => {
    const e = probe();
    writeSte(e, SID, s1Ste(CD_TABLE, { S1Fmt: 2n, S1CDMax: 12n, S1DSS: 0n }));
    const ssids = [5, 1029, 4095];
    addressSpaces(e, ssids);
    const leaves = new Set<bigint>();
    for (const ssid of ssids) {
      const l1Address = CD_TABLE + BigInt(ssid >> 10) * 8n;
      const desc = e.readMemory64(l1Address) as bigint;
      expect(desc & 1n).toBe(1n);
      const leaf = desc & L1CD_L2PTR;
      expect(leaf % 0x10000n).toBe(0n); // 1024 CDs x 64 bytes = 64KB, naturally aligned
      leaves.add(leaf);
      const o = observe(e, SID, IOVA, { ssid }).outcome;
      expect(o.output).toBe(expected(ssid));
      expect(o.trace.cd?.l1).toMatchObject({ ipa: l1Address, address: l1Address, descriptor: desc });
      expect(o.trace.cd?.address).toBe(leaf + BigInt((ssid & 1023) * 64));
    }
    expect(leaves.size).toBe(3);
  });

  it('S1Fmt = 1: 64-CD leaves, L1CD index = SSID >> 6 (the full preset implements IDR0.CD2L)', () => {
    const e = probe();
    writeSte(e, SID, s1Ste(CD_TABLE, { S1Fmt: 1n, S1CDMax: 8n, S1DSS: 0n }));
    const ssids = [3, 63, 64, 200];
    addressSpaces(e, ssids);
    for (const ssid of ssids) {
      const desc = e.readMemory64(CD_TABLE + BigInt(ssid >> 6) * 8n) as bigint;
      const o = observe(e, SID, IOVA, { ssid }).outcome;
      expect(o.output).toBe(expected(ssid));
      expect(o.trace.cd?.address).toBe((desc & L1CD_L2PTR) + BigInt((ssid & 63) * 64));
    }
    // SSIDs 3 and 63 share leaf 0; 64 and 200 are in leaves 1 and 3.
    expect(e.readMemory64(CD_TABLE + 2n * 8n)).toBe(0n);
  });

  it('is C_BAD_STE on an SMMU without 2-level CD tables (the QEMU preset)', () => {
    const e = probe({ preset: 'qemu' });
    writeSte(e, SID, s1Ste(CD_TABLE, { S1Fmt: 2n, S1CDMax: 12n }));
    expect(observe(e, SID, IOVA, { ssid: 1 }).outcome.event?.name).toBe('C_BAD_STE');
  });
});
