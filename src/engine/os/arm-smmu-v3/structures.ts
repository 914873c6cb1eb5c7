/**
 * Where the driver puts a StreamID's STE and a SubstreamID's CD, allocating
 * level-2 tables on first use as arm_smmu_init_l2_strtab and
 * arm_smmu_alloc_cd_ptr do, and writing an entry field by field (the words
 * computed from the named fields). Writing a live entry in place is what the
 * hitless update sequence exists to avoid; these writers are for entries the
 * SMMU is not using yet, and for scenarios that show what goes wrong.
 */
import type { MemoryWrite } from '../../events.ts';
import type { TableAllocator } from '../../hw/memory/table-allocator.ts';
import { translateStage2 } from '../../hw/pgtable/translate.ts';
import { CD_BYTES, CD_FIELDS, L1CD_FIELDS } from '../../hw/smmu/cd-fields.ts';
import { encodeFields, getField, type FieldValues } from '../../hw/smmu/fields.ts';
import type { Smmu } from '../../hw/smmu/smmu.ts';
import { decodeSte } from '../../hw/smmu/ste.ts';
import { L1STD_FIELDS, STE_BYTES, STE_CONFIG, STE_FIELDS } from '../../hw/smmu/ste-fields.ts';
import { readQwords } from '../../hw/smmu/stream-table.ts';
import { EngineError } from '../../util/assert.ts';
import { storeQwords } from './cmdq.ts';

const [SPAN, STD_L2PTR] = L1STD_FIELDS as [typeof L1STD_FIELDS[0], typeof L1STD_FIELDS[0]];
const [CD_V, CD_L2PTR] = L1CD_FIELDS as [typeof L1CD_FIELDS[0], typeof L1CD_FIELDS[0]];

/** The PA of a StreamID's STE, allocating its L2 table (and writing the L1 descriptor) on first use. */
export function steAddressFor(smmu: Smmu, alloc: TableAllocator, sid: number, writes: MemoryWrite[]): bigint {
  const t = smmu.streamTable;
  if (t.base === 0n) throw new EngineError('the SMMU has no stream table yet: probe it first', 'sid');
  if (!Number.isInteger(sid) || sid < 0 || sid >= 2 ** Math.min(t.log2size, smmu.features.sidBits)) {
    throw new EngineError(`StreamID ${sid} is beyond the stream table (2^${t.log2size} entries)`, 'sid');
  }
  if (t.fmt === 0) return t.base + BigInt(sid * STE_BYTES);
  const l1 = t.base + BigInt(Math.floor(sid / 2 ** t.split) * 8);
  let desc = smmu.mem.read64(l1) ?? 0n;
  if (getField([desc], SPAN) === 0n) {
    const count = 2 ** t.split;
    const l2 = alloc.alloc(BigInt(count * STE_BYTES));
    // arm_smmu_init_initial_stes: every STE of a new L2 table starts as an abort STE (V = 1, Config = abort),
    // so the other StreamIDs it covers are terminated quietly rather than reported as C_BAD_STE.
    const abort = encodeFields({ V: 1n, Config: BigInt(STE_CONFIG.abort) }, STE_FIELDS, 1)[0] as bigint;
    const first = sid - (sid % count);
    storeQwords(smmu.mem, l2, [abort], `STEs ${first}..${first + count - 1} of the new L2 table initialised to abort (one write shown of ${count})`, writes);
    for (let i = 1; i < count; i++) smmu.mem.write64(l2 + BigInt(i * STE_BYTES), abort);
    desc = encodeFields({ Span: BigInt(t.split + 1), L2Ptr: l2 }, L1STD_FIELDS, 1)[0] as bigint;
    storeQwords(smmu.mem, l1, [desc], `L1 stream table descriptor -> new L2 table for StreamIDs ${first}..${first + count - 1}`, writes);
  }
  return getField([desc], STD_L2PTR) + BigInt((sid % 2 ** t.split) * STE_BYTES);
}

export function writeSte(smmu: Smmu, alloc: TableAllocator, sid: number, fields: Partial<FieldValues>) {
  const writes: MemoryWrite[] = [];
  const words = encodeFields(fields, STE_FIELDS, 8);
  const address = steAddressFor(smmu, alloc, sid, writes);
  storeQwords(smmu.mem, address, words, `STE ${sid}`, writes);
  return { address, words, writes };
}

/**
 * The PA of a CD. The STE (as in memory) names the table; with stage 2
 * enabled its address is an IPA, which the driver (a guest, for nesting)
 * reaches through stage 2 — the writer translates it the same way.
 */
export function cdAddressFor(smmu: Smmu, alloc: TableAllocator, sid: number, ssid: number, writes: MemoryWrite[], cdTable?: bigint): { ipa: bigint; pa: bigint } {
  if (cdTable !== undefined) {
    if ((cdTable & 0x3fn) !== 0n) throw new EngineError(`cdTable 0x${cdTable.toString(16)} must be 64-byte aligned`, 'cdTable');
    const pa = cdTable + BigInt(ssid * CD_BYTES);
    return { ipa: pa, pa };
  }
  const steWords = readQwords(smmu.mem, steAddressFor(smmu, alloc, sid, writes), 8) ?? [];
  const d = decodeSte(steWords, smmu.features);
  if (d.kind !== 'translate' || !d.s1) throw new EngineError(`STE ${sid} does not enable stage 1, so it has no CD table`, 'sid');
  const s1 = d.s1;
  if (ssid >= 2 ** s1.s1CdMax) throw new EngineError(`SubstreamID ${ssid} is beyond S1CDMax = ${s1.s1CdMax}`, 'ssid');
  const toPa = (ipa: bigint): bigint => {
    if (!d.s2) return ipa;
    const r = translateStage2(smmu.mem, d.s2.tables, ipa, { kind: 'write', privileged: true });
    if (r.output === undefined) throw new EngineError(`stage 2 does not map the CD table IPA 0x${ipa.toString(16)} for writing: ${r.fault?.reason}`, 'ssid');
    return r.output;
  };
  const leafBits = s1.s1Fmt === 1 ? 6 : s1.s1Fmt === 2 ? 10 : undefined;
  if (leafBits === undefined) {
    const ipa = s1.cdTable + BigInt(ssid * CD_BYTES);
    return { ipa, pa: toPa(ipa) };
  }
  const l1Ipa = s1.cdTable + BigInt((ssid >>> leafBits) * 8);
  const l1 = toPa(l1Ipa);
  let desc = smmu.mem.read64(l1) ?? 0n;
  if (getField([desc], CD_V) === 0n) {
    if (d.s2) throw new EngineError('the guest owns this CD table: its L2 tables must be allocated in guest memory (write the L1 descriptor first)', 'ssid');
    const leaf = alloc.alloc(BigInt(2 ** leafBits * CD_BYTES));
    desc = encodeFields({ V: 1n, L2Ptr: leaf }, L1CD_FIELDS, 1)[0] as bigint;
    storeQwords(smmu.mem, l1, [desc], `L1 CD descriptor -> new leaf CD table`, writes);
  }
  const ipa = getField([desc], CD_L2PTR) + BigInt((ssid & ((1 << leafBits) - 1)) * CD_BYTES);
  return { ipa, pa: toPa(ipa) };
}

export function writeCd(smmu: Smmu, alloc: TableAllocator, sid: number, ssid: number, fields: Partial<FieldValues>, cdTable?: bigint) {
  const writes: MemoryWrite[] = [];
  const words = encodeFields(fields, CD_FIELDS, 8);
  const { ipa, pa } = cdAddressFor(smmu, alloc, sid, ssid, writes, cdTable);
  storeQwords(smmu.mem, pa, words, `CD ${ssid} of stream ${sid}`, writes);
  return { ipa, address: pa, words, writes };
}
