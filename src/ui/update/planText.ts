/**
 * Words for an update plan: what the entry is before and after, what the
 * SMMU would make of the entry at any moment, and why the driver chose the
 * sequence it did (the branch of arm_smmu_write_entry).
 */
import { decodeEntry, type DecodedEntry, type EntryKind } from '../../engine/hw/smmu/decoder.ts';
import type { SmmuFeatures } from '../../engine/hw/smmu/features.ts';

/** "abort", "bypass", "stage 1", "ASID 1" ...: the configuration an entry selects, briefly. */
export function configWord(d: DecodedEntry): string {
  if (!d.verdict.ok) return 'invalid';
  const field = (name: string) => d.fields.find((f) => f.spec.name === name);
  if (d.kind === 'STE') {
    const c = Number(field('Config')?.value ?? 0n);
    return c < 4 ? 'abort' : ['bypass', 'stage 1', 'stage 2', 'nested'][c - 4] ?? 'abort';
  }
  return `ASID ${field('ASID')?.value ?? 0n}`;
}

export function planTitle(kind: EntryKind, label: string, before: readonly bigint[], after: readonly bigint[], f: SmmuFeatures): string {
  return `${label} updated: ${configWord(decodeEntry(kind, before, f))} → ${configWord(decodeEntry(kind, after, f))}`;
}

/** What the SMMU would see if it fetched the entry now. */
export function entryState(d: DecodedEntry): { ok: boolean; text: string } {
  return d.verdict.ok ? { ok: true, text: d.verdict.summary } : { ok: false, text: `${d.verdict.event}: ${d.verdict.reason}` };
}

export function strategyText(strategy: string, critical: readonly number[], kind: EntryKind): string {
  switch (strategy) {
    case 'critical-qword':
      return `one critical qword (${critical[0]}): unused bits first, then one store switches the ${kind}, then clean-up`;
    case 'breaking':
      return `used bits change in qwords ${critical.join(', ')}: V = 0 first, then the rest, V last`;
    default:
      return 'only unused or update-safe bits change';
  }
}
