/**
 * How the comparison reads: field values as the spec names them (addresses
 * grouped in fours, small numbers in decimal), owners in the kernel's words.
 */
import type { OwnerRef, PgtableRef } from '../../worker/compare-types.ts';
import { hexGrouped } from '../format.ts';

/** Fields holding an address, shown as grouped hex; the others as numbers. */
const ADDRESS_FIELDS = new Set(['S1ContextPtr', 'S2TTB', 'TTB0', 'LCTP', 'UCTP', 'CTP', 'PASIDDIRPTR', 'PASIDPTR', 'FLPTR', 'SLPTPTR']);

export function fieldValue(name: string, value: bigint): string {
  if (ADDRESS_FIELDS.has(name)) return value === 0n ? '0' : hexGrouped(value);
  return value <= 9n ? String(value) : `${value} (0x${value.toString(16)})`;
}

export function ownerText(o: OwnerRef): string {
  if (o.domain === null) return 'no domain attached';
  const type = o.type ? ` (${o.type})` : '';
  if (o.mm) return `${o.mm}'s address space, through ${o.domain}${type}`;
  if (o.guest) return `the guest, through ${o.domain}${type}`;
  return `${o.domain}${type}`;
}

export function pgtableText(p: PgtableRef): string {
  // VT-d calls a guest's address a GPA (guest-physical), the Arm architecture an IPA.
  const guest = p.format.startsWith('x86') || p.format.startsWith('VT-d') ? 'GPA' : 'IPA';
  const at = `${p.ipa ? guest : 'PA'} ${hexGrouped(p.root)}`;
  const what = p.name ? `${p.name}` : 'a table no kernel object names';
  const pages = p.mappings === undefined ? '' : `, ${p.mappings} mapping${p.mappings === 1 ? '' : 's'}`;
  return `${what}: ${p.format} at ${at}${pages}`;
}

/** "02:00.0" -> "RID 0x0200". */
export function ridText(rid: number): string {
  return `0x${rid.toString(16).padStart(4, '0')}`;
}
