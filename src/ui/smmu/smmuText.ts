/** Short readings of the SMMU views for the state panels. */
import type { SteRowView } from '../../worker/smmu-view-types.ts';
import { hexGrouped } from '../format.ts';

/** The Config column: the configuration, or ILLEGAL (the reason goes in the fields column). */
export function configShort(config: string): string {
  return config.startsWith('ILLEGAL') ? 'ILLEGAL' : config;
}

/** The STE fields that matter for this row's Config, as "name value" pairs. */
export function steFieldsText(r: SteRowView): string {
  const k = r.key;
  const v = (name: string) => k[name] ?? 0n;
  if (r.config.startsWith('ILLEGAL')) return r.config.replace(/^ILLEGAL: /, '');
  const s1 = `S1ContextPtr ${hexGrouped(v('S1ContextPtr'))} · S1CDMax ${v('S1CDMax')}${v('S1CDMax') !== 0n ? ` · S1Fmt ${v('S1Fmt')} · S1DSS ${v('S1DSS')}` : ''}`;
  const s2 = `S2VMID ${v('S2VMID')} · S2TTB ${hexGrouped(v('S2TTB'))}`;
  switch (r.config) {
    case 'bypass':
      return `SHCFG ${v('SHCFG')}`;
    case 'stage 1':
      return s1;
    case 'stage 2':
      return s2;
    case 'nested':
      return `${s1} · ${s2}`;
    default:
      return `V ${v('V')}`;
  }
}

/** Fields of a command worth showing: the non-zero ones (a zero Leaf or SSec says nothing). */
export function commandFieldsText(fields: Readonly<Record<string, bigint>> | undefined): string {
  if (!fields) return '';
  return Object.entries(fields)
    .filter(([, value]) => value !== 0n)
    .map(([name, value]) => `${name} ${name === 'Address' || name === 'MSIAddress' ? hexGrouped(value) : value <= 9n ? value : `0x${value.toString(16)}`}`)
    .join(' · ');
}
