/** One stream-table row for the page: the STE's words, its Config in words, and the fields a reader scans for. */
import type { SteRowView } from './smmu-view-types.ts';

/** The STE fields the stream table shows in its row (the inspector shows all of them). */
export const STE_KEY_FIELDS = ['V', 'Config', 'S1Fmt', 'S1ContextPtr', 'S1CDMax', 'S1DSS', 'SHCFG', 'S2VMID', 'S2TTB'] as const;

export function steRowOf(row: { sid: number; address: bigint; words: readonly bigint[]; valid: boolean; config: string; fields: Readonly<Record<string, bigint>> }): SteRowView {
  const key: Record<string, bigint> = {};
  for (const name of STE_KEY_FIELDS) key[name] = row.fields[name] ?? 0n;
  return { sid: row.sid, address: row.address, words: row.words, valid: row.valid, config: row.config, key };
}
