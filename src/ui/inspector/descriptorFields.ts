/**
 * A VMSAv8-64 stage-1 descriptor as a list of fields with their bit
 * positions (Arm ARM D8.3, "Translation table descriptor formats"). Values
 * come from what the engine decoded; the bit positions are the format's.
 */
import type { WalkSetup, WalkStep } from '../../engine/hw/pgtable/types.ts';
import { hexGrouped } from '../format.ts';
import { apMeaning } from '../walk/describe.ts';

export interface DescriptorField {
  readonly name: string;
  /** "[47:12]" or "[63]". */
  readonly bits: string;
  readonly value: string;
  readonly meaning: string;
}

const range = (msb: number, lsb: number): string => (msb === lsb ? `[${msb}]` : `[${msb}:${lsb}]`);
const bin = (value: number | undefined, width: number): string => (value === undefined ? '—' : `0b${value.toString(2).padStart(width, '0')}`);
const flag = (value: number | undefined): string => (value === undefined ? '—' : String(value));

/** Highest output-address bit a descriptor holds in the 48-bit formats (52-bit OA is a later issue). */
const OA_MSB = 47;

function typeField(step: WalkStep): DescriptorField {
  const low = Number((step.descriptor ?? 0n) & 3n);
  const type = step.decoded?.type ?? 'invalid';
  const meaning =
    type === 'table' ? 'table descriptor: points to the next-level table'
      : type === 'page' ? 'page descriptor (0b11 at level 3)'
        : type === 'block' ? 'block descriptor (0b01 above level 3)'
          : type === 'reserved' ? 'reserved (0b01 at level 3): a translation fault'
            : 'invalid (bit 0 = 0): a translation fault';
  return { name: 'Type', bits: '[1:0]', value: bin(low, 2), meaning };
}

export function descriptorFields(step: WalkStep, setup: WalkSetup | undefined): DescriptorField[] {
  const d = step.decoded;
  if (step.descriptor === undefined || !d) return [];
  const granuleShift = setup ? Math.log2(setup.granule) : 12;
  const fields: DescriptorField[] = [typeField(step)];
  switch (d.type) {
    case 'table':
      fields.push(
        { name: 'Next-level table address', bits: range(OA_MSB, granuleShift), value: hexGrouped(d.address ?? 0n), meaning: `base of the level ${step.level + 1} table${step.s2 ? ' (an IPA)' : ''}` },
        { name: 'NSTable', bits: '[63]', value: flag(d.NSTable), meaning: d.NSTable ? 'later levels are Non-secure' : 'no effect' },
        { name: 'APTable', bits: '[62:61]', value: bin(d.APTable, 2), meaning: apTableMeaning(d.APTable ?? 0) },
        { name: 'UXNTable', bits: '[60]', value: flag(d.UXNTable), meaning: d.UXNTable ? 'unprivileged execute never below' : 'no effect' },
        { name: 'PXNTable', bits: '[59]', value: flag(d.PXNTable), meaning: d.PXNTable ? 'privileged execute never below' : 'no effect' },
      );
      break;
    case 'block':
    case 'page': {
      const oaLsb = d.type === 'page' ? granuleShift : step.indexBits[1];
      if (d.stage === 2) {
        fields.push(...stage2Leaf(d, range(OA_MSB, oaLsb)));
        break;
      }
      fields.push(
        // In a nested walk every stage-1 step carries its stage-2 walk, and the OA is an IPA.
        { name: 'Output address (OA)', bits: range(OA_MSB, oaLsb), value: hexGrouped(d.address ?? 0n), meaning: step.s2 ? `${d.type} base, an IPA that stage 2 translates` : `${d.type} base in physical memory` },
        { name: 'AttrIndx', bits: '[4:2]', value: flag(d.AttrIndx), meaning: `memory attributes: MAIR index ${d.AttrIndx ?? '—'}` },
        { name: 'NS', bits: '[5]', value: flag(d.NS), meaning: d.NS ? 'Non-secure output address' : 'Secure when the walk is Secure' },
        { name: 'AP', bits: '[7:6]', value: bin(d.AP, 2), meaning: `AP[2:1]: ${apMeaning(d.AP ?? 0)}` },
        { name: 'SH', bits: '[9:8]', value: bin(d.SH, 2), meaning: shMeaning(d.SH ?? 0) },
        { name: 'AF', bits: '[10]', value: flag(d.AF), meaning: d.AF ? 'accessed: no access flag fault' : 'not yet accessed: access flag fault unless AFFD' },
        { name: 'nG', bits: '[11]', value: flag(d.nG), meaning: d.nG ? 'not global: TLB entries are tagged with the ASID' : 'global' },
        { name: 'Contiguous', bits: '[52]', value: flag(d.Contiguous), meaning: d.Contiguous ? 'one of a contiguous set of entries' : 'no contiguous hint' },
        { name: 'PXN', bits: '[53]', value: flag(d.PXN), meaning: d.PXN ? 'privileged execute never' : 'privileged execute allowed' },
        { name: 'UXN', bits: '[54]', value: flag(d.UXN), meaning: d.UXN ? 'unprivileged execute never (XN)' : 'unprivileged execute allowed' },
      );
      break;
    }
    case 'invalid':
    case 'reserved':
      break;
  }
  return fields;
}

/** Stage-2 block/page attributes (Arm ARM, "Stage 2 memory region attributes"). */
function stage2Leaf(d: NonNullable<WalkStep['decoded']>, oaBits: string): DescriptorField[] {
  const s2ap = d.S2AP ?? 0;
  const access = ['no access', 'read-only', 'write-only', 'read/write'][s2ap & 3] ?? '—';
  return [
    { name: 'Output address (OA)', bits: oaBits, value: hexGrouped(d.address ?? 0n), meaning: `${d.type} base in physical memory` },
    { name: 'MemAttr', bits: '[5:2]', value: bin(d.MemAttr, 4), meaning: 'stage-2 memory type and cacheability' },
    { name: 'S2AP', bits: '[7:6]', value: bin(d.S2AP, 2), meaning: `bit 6 read, bit 7 write: ${access}` },
    { name: 'SH', bits: '[9:8]', value: bin(d.SH, 2), meaning: shMeaning(d.SH ?? 0) },
    { name: 'AF', bits: '[10]', value: flag(d.AF), meaning: d.AF ? 'accessed: no access flag fault' : 'not yet accessed: access flag fault unless S2AFFD' },
    { name: 'Contiguous', bits: '[52]', value: flag(d.Contiguous), meaning: d.Contiguous ? 'one of a contiguous set of entries' : 'no contiguous hint' },
    { name: 'XN', bits: '[54:53]', value: bin(d.XN, 2), meaning: d.XN ? 'execute never (for some or all levels)' : 'execute allowed' },
  ];
}

function apTableMeaning(ap: number): string {
  switch (ap & 3) {
    case 0:
      return 'no effect on later levels';
    case 1:
      return 'no unprivileged access below';
    case 2:
      return 'no writes below';
    default:
      return 'no writes and no unprivileged access below';
  }
}

function shMeaning(sh: number): string {
  switch (sh & 3) {
    case 0:
      return 'Non-shareable';
    case 2:
      return 'Outer Shareable';
    case 3:
      return 'Inner Shareable';
    default:
      return 'reserved';
  }
}
