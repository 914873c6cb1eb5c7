/**
 * What an STE tells the SMMU to do with a stream (SMMUv3 spec, "Stream Table
 * Entry" and its ILLEGAL conditions). Every way an STE can be ILLEGAL yields
 * C_BAD_STE with the reason; QEMU's decode_ste applies the same checks.
 */
import { EngineError } from '../../util/assert.ts';
import { compileStage2 } from '../pgtable/stage2.ts';
import type { WalkTables } from '../pgtable/tables.ts';
import { granuleSupported, type SmmuFeatures } from './features.ts';
import { decodeFields, type Words } from './fields.ts';
import { STE_FIELDS } from './ste-fields.ts';

export interface SteStage1 {
  /** CD table (or L1 CD table) address: an IPA when stage 2 is also enabled. */
  readonly cdTable: bigint;
  readonly s1Fmt: number;
  readonly s1CdMax: number;
  /** 0 terminate, 1 bypass, 2 use CD 0: for transactions without a SubstreamID. */
  readonly s1dss: number;
}

export interface SteStage2 {
  readonly tables: WalkTables;
  /** STE.S2R: record stage-2 faults. */
  readonly record: boolean;
}

export type SteDecision =
  | { readonly kind: 'bad'; readonly reason: string; readonly field?: string }
  | { readonly kind: 'abort' }
  | { readonly kind: 'bypass' }
  | { readonly kind: 'translate'; readonly vmid: number; readonly s1: SteStage1 | null; readonly s2: SteStage2 | null; readonly eats: number };

const bad = (reason: string, field?: string): SteDecision => ({ kind: 'bad', reason, ...(field ? { field } : {}) });

export function decodeSte(words: Words, f: SmmuFeatures): SteDecision {
  const v = decodeFields(words, STE_FIELDS);
  const n = (name: string) => Number(v[name] as bigint);
  if (n('V') === 0) return bad('V = 0: the STE is not valid', 'V');
  const config = n('Config');
  if ((config & 0b100) === 0) return { kind: 'abort' };
  if (config === 0b100) return { kind: 'bypass' };
  const s1Enabled = (config & 1) !== 0;
  const s2Enabled = (config & 2) !== 0;
  if (s1Enabled && !f.stage1) return bad('Config enables stage 1, which this SMMU does not implement (IDR0.S1P = 0)', 'Config');
  if (s2Enabled && !f.stage2) return bad('Config enables stage 2, which this SMMU does not implement (IDR0.S2P = 0)', 'Config');
  if (n('STRW') === 1 || (n('STRW') === 2 && !f.hyp) || n('STRW') === 3) return bad(`STRW = ${n('STRW')} is not supported`, 'STRW');

  let s1: SteStage1 | null = null;
  if (s1Enabled) {
    const s1CdMax = n('S1CDMax');
    // S1Fmt is ignored when S1CDMax = 0 (S1ContextPtr then points at the one CD); the reserved 0b11 behaves as linear.
    const s1Fmt = s1CdMax === 0 || n('S1Fmt') === 3 ? 0 : n('S1Fmt');
    if (s1Fmt !== 0 && !f.twoLevelCdTable) return bad('S1Fmt selects a 2-level CD table, which this SMMU does not implement (IDR0.CD2L = 0)', 'S1Fmt');
    if (s1CdMax > f.ssidBits) return bad(`S1CDMax = ${s1CdMax} exceeds SSIDSIZE = ${f.ssidBits}`, 'S1CDMax');
    const cdTable = v.S1ContextPtr as bigint;
    if (!s2Enabled && cdTable >> BigInt(f.oasBits) !== 0n) return bad(`S1ContextPtr is beyond the ${f.oasBits}-bit OAS`, 'S1ContextPtr');
    // The reserved S1DSS = 0b11 behaves as 0b00 (terminate).
    s1 = { cdTable, s1Fmt, s1CdMax, s1dss: n('S1DSS') === 3 ? 0 : n('S1DSS') };
  }

  let s2: SteStage2 | null = null;
  if (s2Enabled) {
    if (n('S2AA64') === 0) return bad('S2AA64 = 0: AArch32 stage-2 tables are not modelled', 'S2AA64');
    if (!granuleSupported(f, n('S2TG'))) return bad(`S2TG = ${n('S2TG')} selects a granule this SMMU does not implement`, 'S2TG');
    if (n('S2ENDI') === 1) return bad('S2ENDI = 1: big-endian tables are not supported', 'S2ENDI');
    if (n('S2S') === 1 && !f.stall) return bad('S2S = 1 but this SMMU cannot stall', 'S2S');
    if ((n('S2HA') === 1 || n('S2HD') === 1) && !f.httu) return bad('S2HA/S2HD set but this SMMU has no hardware table updates', 'S2HA');
    try {
      const tables = compileStage2({
        S2TTB: v.S2TTB as bigint, S2T0SZ: n('S2T0SZ'), S2SL0: n('S2SL0'), S2TG: n('S2TG'), S2PS: n('S2PS'), S2AFFD: n('S2AFFD') === 1,
      }, f.oasBits);
      s2 = { tables, record: n('S2R') === 1 };
    } catch (e) {
      if (e instanceof EngineError) return bad(e.message, e.field);
      throw e;
    }
  }
  return { kind: 'translate', vmid: n('S2VMID'), s1, s2, eats: n('EATS') };
}
