/**
 * What a Context Descriptor tells the SMMU (SMMUv3 spec, "Context
 * Descriptor" and its ILLEGAL conditions): the stage-1 regime, the ASID and
 * whether faults are recorded. An ILLEGAL CD yields C_BAD_CD with the reason.
 */
import { EngineError } from '../../util/assert.ts';
import { compileStage1, type Stage1Regime } from '../pgtable/regime.ts';
import { granuleSupported, type SmmuFeatures } from './features.ts';
import { decodeFields, type Words } from './fields.ts';
import { CD_FIELDS } from './cd-fields.ts';

export interface ContextConfig {
  readonly regime: Stage1Regime;
  readonly asid: number;
  /** CD.R: record stage-1 faults in the event queue. */
  readonly record: boolean;
  /** CD.A: terminated transactions are aborted (1) or get RAZ/WI (0). */
  readonly abort: boolean;
}

export type CdDecision = { readonly kind: 'bad'; readonly reason: string; readonly field?: string } | { readonly kind: 'ok'; readonly cd: ContextConfig };

const bad = (reason: string, field?: string): CdDecision => ({ kind: 'bad', reason, ...(field ? { field } : {}) });

export function decodeCd(words: Words, f: SmmuFeatures): CdDecision {
  const v = decodeFields(words, CD_FIELDS);
  const n = (name: string) => Number(v[name] as bigint);
  if (n('V') === 0) return bad('V = 0: the CD is not valid', 'V');
  if (n('AA64') === 0) return bad('AA64 = 0: AArch32 (VMSAv8-32) tables are not modelled', 'AA64');
  if (n('ENDI') === 1) return bad('ENDI = 1: big-endian tables are not supported', 'ENDI');
  if ((n('HA') === 1 || n('HD') === 1) && !f.httu) return bad('HA/HD set but this SMMU has no hardware table updates (IDR0.HTTU = 0)', n('HA') ? 'HA' : 'HD');
  if (n('S') === 1 && !f.stall) return bad('S = 1 but this SMMU cannot stall faults', 'S');
  if (n('EPD0') === 0 && !granuleSupported(f, n('TG0'))) return bad(`TG0 = ${n('TG0')} selects a granule this SMMU does not implement`, 'TG0');
  if (!f.asid16 && n('ASID') > 0xff) return bad(`ASID ${n('ASID')} needs 16-bit ASIDs (IDR0.ASID16 = 0)`, 'ASID');
  // A table base beyond the effective output size makes the CD ILLEGAL (QEMU decode_cd; SMMUv3 "Address sizes").
  const ipsBits = [32, 36, 40, 42, 44, 48, 52][n('IPS')];
  const effective = Math.min(ipsBits ?? 52, f.oasBits);
  for (const [ttb, epd] of [['TTB0', 'EPD0'], ['TTB1', 'EPD1']] as const) {
    if (n(epd) === 0 && (v[ttb] as bigint) >> BigInt(effective) !== 0n) return bad(`${ttb} 0x${(v[ttb] as bigint).toString(16)} is beyond the ${effective}-bit output size (min of IPS and OAS)`, ttb);
  }
  try {
    const regime = compileStage1({
      // With EPD0 = 1 the TTB0 fields are unused (arm_smmu_get_cd_used), so they cannot make the CD ILLEGAL.
      TTB0: v.TTB0 as bigint, T0SZ: n('EPD0') ? 16 : n('T0SZ'), TG0: n('EPD0') ? 0 : n('TG0'), EPD0: n('EPD0') === 1,
      TTB1: v.TTB1 as bigint, T1SZ: n('EPD1') ? 16 : n('T1SZ'), TG1: n('EPD1') ? 2 : n('TG1'), EPD1: n('EPD1') === 1,
      IPS: n('IPS'), AFFD: n('AFFD') === 1, TBI: n('TBI'), HAD0: n('HAD0') === 1, HAD1: n('HAD1') === 1,
    }, f.oasBits);
    return { kind: 'ok', cd: { regime, asid: n('ASID'), record: n('R') === 1, abort: n('A') === 1 } };
  } catch (e) {
    if (e instanceof EngineError) return bad(e.message, e.field);
    throw e;
  }
}
