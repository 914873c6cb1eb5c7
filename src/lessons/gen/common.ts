/**
 * Steps several generated lessons share: bringing the SMMU up and giving a
 * StreamID a stage-1 STE and CD, narrated with the numbers the seed picked.
 */
import { hx } from '../hex.ts';

/** Where the model's probe (linear, 256 STEs) leaves the first free page of table memory: the first page table's level-0 table. */
export const FIRST_TABLE = 0x4000_6000n;
/** A linear CD table of one CD, outside table memory, as the SMMU lessons place it. */
export const CD_TABLE = 0x9000_0000n;
export const MAIR = '0xf404_ff44';

export function probeLinear(note: string): Record<string, unknown> {
  return { kind: 'smmu.probe', preset: 'full', streamTable: 'linear', note };
}

export function stage1Table(name: string, note: string): Record<string, unknown> {
  return { kind: 'pgtable.create', name, TG0: 0, T0SZ: 16, IPS: 5, note };
}

export function stage1Ste(sid: number, cdTable: bigint, note: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'smmu.writeSte',
    sid,
    fields: { V: 1, Config: 5, S1Fmt: 0, S1ContextPtr: hx(cdTable), S1CDMax: 0, S1DSS: 0, S1CIR: 1, S1COR: 1, S1CSH: 3, ...extra },
    note,
  };
}

export function stage1Cd(sid: number, ssid: number, asid: number, ttb0: bigint, note: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'smmu.writeCd',
    sid,
    ssid,
    fields: { T0SZ: 16, TG0: 0, IRGN0: 1, ORGN0: 1, SH0: 3, EPD1: 1, V: 1, IPS: 5, AA64: 1, R: 1, A: 1, ASID: asid, TTB0: hx(ttb0), MAIR0: MAIR, ...extra },
    note,
  };
}

export function cfgiSte(sid: number, note: string): Record<string, unknown> {
  return { kind: 'smmu.commands', commands: [{ op: 'CMD_CFGI_STE', StreamID: sid, Leaf: 1 }, { op: 'CMD_SYNC' }], note };
}

export function dma(sid: number, address: bigint, access: 'read' | 'write', note: string, ssid?: number): Record<string, unknown> {
  return { kind: 'smmu.dma', sid, ...(ssid === undefined ? {} : { ssid }), address: hx(address), access, note };
}
