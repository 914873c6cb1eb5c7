/**
 * The selected stream: its STE and the CDs of its CD table, found the way
 * the SMMU finds them (the engine's own fetch functions, which only read
 * memory: a CD table behind stage 2 is reached through stage 2).
 *
 * The engine does not export a CD-table view yet, so this reaches into
 * hw/smmu for fetchSte / fetchCd / decodeSte; a cdTableView in
 * engine/views would let it use the public surface only.
 */
import { decodeEntry, ENTRY_FIELDS, streamTableView } from '../engine/index.ts';
import { fetchCd } from '../engine/hw/smmu/cd-table.ts';
import { decodeFields } from '../engine/hw/smmu/fields.ts';
import type { Smmu } from '../engine/hw/smmu/smmu.ts';
import { decodeSte } from '../engine/hw/smmu/ste.ts';
import { hex } from '../engine/util/u64.ts';
import type { CdRowView, StreamView } from './smmu-view-types.ts';
import { MAX_CD_ROWS } from './smmu-view-types.ts';
import { steRowOf } from './ste-row.ts';

export const CD_KEY_FIELDS = ['V', 'ASID', 'TTB0', 'T0SZ', 'TG0', 'IPS', 'EPD0', 'R', 'A'] as const;

const FMT_NAMES: Record<number, string> = { 0: 'linear', 1: '2-level, 4KB leaf tables', 2: '2-level, 64KB leaf tables' };

function cdRow(smmu: Smmu, ssid: number, got: ReturnType<typeof fetchCd>): CdRowView {
  if (!got.ok) {
    const ipa = got.event === 'stage2' ? { ipa: got.ipa } : {};
    return { ssid, ...ipa, ok: false, verdict: got.event === 'stage2' ? `stage 2 fault: ${got.reason}` : `${got.event}: ${got.reason}` };
  }
  const all = decodeFields(got.words, ENTRY_FIELDS.CD);
  const key: Record<string, bigint> = {};
  for (const name of CD_KEY_FIELDS) key[name] = all[name] ?? 0n;
  const v = decodeEntry('CD', got.words, smmu.features).verdict;
  return {
    ssid, ipa: got.ipa, address: got.address, words: got.words, key,
    ok: v.ok, verdict: v.ok ? v.summary : `${v.event}: ${v.reason}`,
  };
}

export function streamView(smmu: Smmu, sid: number): StreamView {
  const size = 2 ** Math.min(smmu.streamTable.log2size, smmu.features.sidBits);
  if (!Number.isInteger(sid) || sid < 0 || sid >= size) return { sid, note: `StreamID ${sid} is beyond the stream table (${size} StreamIDs)` };
  const row = streamTableView(smmu, sid, 1).stes[0];
  if (!row) return { sid, note: `no STE for StreamID ${sid}: its L1 descriptor has no L2 table` };
  const ste = steRowOf(row);
  const d = decodeSte(row.words, smmu.features);
  if (d.kind !== 'translate' || !d.s1) {
    const why = d.kind === 'bad' ? `the STE is ILLEGAL (${d.reason})` : d.kind === 'translate' ? 'stage 1 is bypassed (Config = stage 2 only)' : `Config = ${d.kind}`;
    return { sid, ste, note: `no CD table: ${why}` };
  }
  const s1 = d.s1;
  const s2 = d.s2?.tables ?? null;
  const count = s1.s1CdMax === 0 ? 1 : 2 ** s1.s1CdMax;
  const rows: CdRowView[] = [];
  for (let ssid = 0; ssid < Math.min(count, MAX_CD_ROWS); ssid++) rows.push(cdRow(smmu, ssid, fetchCd(smmu.mem, s1, s2, ssid)));
  return {
    sid, ste,
    cdTable: { address: s1.cdTable, nested: s2 !== null, fmt: FMT_NAMES[s1.s1Fmt] ?? `S1Fmt ${s1.s1Fmt}`, size: count, rows },
    ...(count > MAX_CD_ROWS ? { note: `the first ${MAX_CD_ROWS} of ${count} SubstreamIDs (S1CDMax = ${s1.s1CdMax}); the table at ${hex(s1.cdTable)}` } : {}),
  };
}
