/**
 * A nested stream (STE.Config = 0b111) built as a hypervisor and its guest
 * would build it: the guest's stage-1 tables and CD live at IPAs, which the
 * hypervisor's stage-2 table maps to PAs. The stage-1 tables come from the
 * same table memory as everything else, so stage 2 maps their pages at
 * IPA = PA (a guest whose RAM is identity-mapped); the CD is deliberately
 * not identity-mapped, so a test can tell the IPA from the PA.
 */
import type { Engine } from '../../../../src/engine/index.ts';
import { PA_BASE, map, probe, s1Cd, s1Table, s2Fields, s2Table, writeCd, writeSte, type S2Table } from './smmu.ts';

/** 4KB granule, 48-bit IPA, S2SL0 = 2: a 4-level stage 2 starting at level 0. */
export const VTCR_4K_48 = { S2TG: 0, S2T0SZ: 16, S2SL0: 2 } as const;

export const CD_IPA = 0x1000_0000n;
export const CD_PA = 0x2000_0000n;
export const IOVA = 0x12_3456_7000n;
export const IPA = 0x80_0000_5000n;
export const PA = PA_BASE + 0x7000n;

export interface NestedStream {
  readonly e: Engine;
  readonly sid: number;
  readonly s2: S2Table;
  readonly ttb0: bigint;
  /** The guest's stage-1 tables, top level first: TTB0 and the tables the mapping of IOVA allocated. */
  readonly s1Tables: readonly bigint[];
  readonly vmid: number;
  readonly asid: number;
  /** Names of the two io-pgtables, for map/unmap/walk commands. */
  readonly s1Name: string;
  readonly s2Name: string;
}

export interface NestedOptions {
  readonly sid?: number;
  readonly vmid?: number;
  readonly asid?: number;
  readonly ste?: Record<string, bigint>;
  readonly cd?: Record<string, bigint>;
  /** Stage-1 input size (CD.T0SZ, 4KB granule); 16 = 48 bits, four levels. */
  readonly t0sz?: number;
  readonly vtcr?: { readonly S2TG: number; readonly S2T0SZ: number; readonly S2SL0: number };
}

export function nestedStream(opts: NestedOptions = {}): NestedStream {
  const e = probe();
  const sid = opts.sid ?? 6;
  const vmid = opts.vmid ?? 3;
  const asid = opts.asid ?? 9;
  const vtcr = opts.vtcr ?? VTCR_4K_48;
  const t0sz = opts.t0sz ?? 16;
  const s2 = s2Table(e, `s2.${sid}`, vtcr);
  const ttb0 = s1Table(e, `s1.${sid}`, { T0SZ: t0sz });
  const mapped = map(e, `s1.${sid}`, IOVA, IPA);
  const s1Tables = [ttb0, ...mapped.tables.map((t) => t.address)];
  for (const t of s1Tables) map(e, `s2.${sid}`, t, t);
  map(e, `s2.${sid}`, CD_IPA, CD_PA);
  map(e, `s2.${sid}`, IPA, PA);
  writeSte(e, sid, { V: 1n, Config: 0b111n, S1ContextPtr: CD_IPA, ...s2Fields(s2, vtcr, { S2VMID: BigInt(vmid), ...opts.ste }) });
  writeCd(e, sid, 0, s1Cd(ttb0, asid, { T0SZ: BigInt(t0sz), ...opts.cd }));
  return { e, sid, s2, ttb0, s1Tables, vmid, asid, s1Name: `s1.${sid}`, s2Name: `s2.${sid}` };
}
