/**
 * The handful of STE/CD fields the DMA path shows for an entry: those the
 * SMMU uses in this configuration (the decoder's used bits), in a fixed
 * order, each with the spec's meaning as a tooltip.
 */
import type { DecodedEntry, DecodedField } from '../../engine/hw/smmu/decoder.ts';
import { hexGrouped } from '../format.ts';

const STE_KEYS = ['Config', 'S1ContextPtr', 'S1Fmt', 'S1CDMax', 'S1DSS', 'SHCFG', 'S2VMID', 'S2T0SZ', 'S2SL0', 'S2TG', 'S2PS', 'S2R', 'S2TTB'];
const CD_KEYS = ['ASID', 'TTB0', 'T0SZ', 'TG0', 'IPS', 'EPD0', 'R', 'A'];

/** A field's value as it reads best: addresses grouped hex, wide fields hex, narrow ones decimal or binary. */
export function fieldValueText(f: DecodedField): string {
  const width = f.spec.msb - f.spec.lsb + 1;
  if (f.spec.kind === 'address') return hexGrouped(f.value);
  if (f.spec.name === 'Config' || f.spec.name === 'S1DSS' || f.spec.name === 'S1Fmt') return `0b${f.value.toString(2).padStart(width, '0')}`;
  // Tags and sizes read as numbers; other wide fields (MAIR, attributes) as hex.
  if (['ASID', 'S2VMID', 'T0SZ', 'T1SZ', 'S2T0SZ'].includes(f.spec.name)) return f.value.toString();
  if (width > 8) return `0x${f.value.toString(16)}`;
  return f.value.toString();
}

export function keyChips(d: DecodedEntry): { name: string; value: string; title?: string }[] {
  const keys = d.kind === 'STE' ? STE_KEYS : CD_KEYS;
  const out: { name: string; value: string; title?: string }[] = [];
  for (const name of keys) {
    const f = d.fields.find((x) => x.spec.name === name);
    if (!f || !f.used) continue;
    out.push({ name, value: fieldValueText(f) + (f.meaning && name !== 'Config' ? ` (${f.meaning})` : ''), title: f.spec.doc });
  }
  return out;
}

export function configMeaning(d: DecodedEntry): string {
  const f = d.fields.find((x) => x.spec.name === 'Config');
  return f?.meaning ?? '';
}
