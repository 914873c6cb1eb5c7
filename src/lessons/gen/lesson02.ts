/**
 * Lesson 2: the stream table, StreamID to STE. A 2-level table: the L1
 * descriptor chosen by StreamID[15:8], the STE by StreamID[7:0] in an L2
 * table allocated on first use. The seed picks the StreamIDs.
 */
import { CANONICAL_SEED, seededRng } from '../prng.ts';
import { hx, plain } from '../hex.ts';
import { question } from '../predict.ts';
import { FORMAT, type ScenarioDoc } from '../types.ts';
import { CD_TABLE, cfgiSte, dma, stage1Cd, stage1Ste, stage1Table } from './common.ts';

/** Where a 2-level probe leaves things: the L1 table (256 descriptors) at 0x4000_0000, queues after it, the page table at 0x4000_3000. */
const L1_TABLE = 0x4000_0000n;
const PGD = 0x4000_3000n;
/** The first L2 table: 256 STEs x 64 bytes = 16KB, aligned to its size, after the page table's three lower tables. */
const L2_TABLE = 0x4000_8000n;

export interface Lesson02Numbers {
  readonly sid: number;
  /** A StreamID whose L1 descriptor is still empty (Span = 0). */
  readonly stranger: number;
  readonly asid: number;
  readonly iova: bigint;
  readonly pa: bigint;
  readonly bypassAddress: bigint;
}

export function lesson02Numbers(seed: number): Lesson02Numbers {
  if (seed === CANONICAL_SEED) return { sid: 0x1234, stranger: 0x1f40, asid: 1, iova: 0x1000_0000n, pa: 0x8_8000_0000n, bypassAddress: 0x8_1234_5678n };
  const r = seededRng(seed);
  // hi = 2 would put the linear-table answer on the right one (0x4000_0000 + 0x2xx x 64 = 0x4000_8000 + 0xxx x 64), and lo = hi would make two choices equal.
  const hi = r.int(3, 0xfe);
  const otherHi = (hi + r.int(1, 0xfe)) % 0x100;
  const lo = r.int(0, 0xfc);
  return {
    sid: (hi << 8) | (lo === hi ? 0xfd : lo),
    stranger: (otherHi << 8) | r.int(0, 0xff),
    asid: r.int(1, 255),
    iova: r.big(0x10_0000n, 0xffff_f000n, 0x1000n),
    pa: r.big(0x8_0000_0000n, 0x8_ffff_f000n, 0x1000n),
    bypassAddress: r.big(0x8_0000_0000n, 0x8_ffff_fff0n, 0x10n),
  };
}

const sidText = (sid: number) => `${sid} (${hx(sid)})`;

export function lesson02(seed: number): ScenarioDoc {
  const n = lesson02Numbers(seed);
  const r = seededRng(seed ^ 0x5eed_0002);
  const hi = n.sid >> 8;
  const lo = n.sid & 0xff;
  const steAt = L2_TABLE + BigInt(lo) * 64n;
  const l1At = L1_TABLE + BigInt(hi) * 8n;
  const sid2 = n.sid + 1;
  const sid3 = n.sid + 2;
  const first = hi << 8;
  return {
    format: FORMAT,
    version: 1,
    title: 'Lesson 2: The stream table, StreamID to STE (linear and 2-level)',
    description: `Every transaction carries a StreamID that says which device sent it (for PCI, the requester ID). The SMMU uses it to find the device's Stream Table Entry. A linear stream table is an array of 64-byte STEs, indexed by StreamID: simple, but 2^16 StreamIDs take 4MB. A 2-level table (STRTAB_BASE_CFG.FMT = 2-level) has a small level-1 table of descriptors, one per 256 StreamIDs with SPLIT = 8, each pointing at an L2 table of STEs that the driver allocates only when a device in that range appears.${seed === CANONICAL_SEED ? '' : ` Exercise seed ${seed}.`}`,
    steps: [
      {
        kind: 'smmu.probe', preset: 'full', streamTable: '2-level',
        note: `arm_smmu_device_reset with a 2-level stream table: IDR1.SIDSIZE = 16, so STRTAB_BASE_CFG.LOG2SIZE = 16 and SPLIT = 8. The L1 table at ${hx(L1_TABLE)} holds 2^(16 - 8) = 256 descriptors of 8 bytes, all with Span = 0 (no L2 table). The command queue goes at 0x4000_1000 and the event queue at 0x4000_2000. No STE exists yet.`,
        predict: question({
          question: 'For 2^16 StreamIDs, how much memory does the stream table take right after the probe?',
          choices: [
            { text: '2KB: 256 L1 descriptors of 8 bytes', value: '0x800' },
            { text: '4MB: 65,536 STEs of 64 bytes', value: '0x400000' },
            { text: '16KB: one L2 table of 256 STEs', value: '0x4000' },
          ],
          right: 0,
          path: 'streamTable.bytes',
          explain: 'Only the level-1 table is allocated at probe; each L2 table (256 STEs, 16KB) comes when the first StreamID of its range is used. A linear table for the same range would be 4MB.',
        }, r),
      },
      stage1Table('dev', `A stage-1 io-pgtable for the device, 4KB granule, 48-bit IOVAs; its level-0 table is at ${hx(PGD)}.`),
      { kind: 'pgtable.map', table: 'dev', iova: hx(n.iova), paddr: hx(n.pa, 16), size: '0x1000', prot: 'rw', note: `A 4KB buffer: IOVA ${hx(n.iova)} to PA ${hx(n.pa, 16)}.` },
      {
        ...stage1Ste(n.sid, CD_TABLE, `The device is StreamID ${sidText(n.sid)}. StreamID[15:8] = ${hx(hi)} picks L1 descriptor ${hi}, at ${hx(L1_TABLE)} + ${hi} x 8 = ${hx(l1At)}; it has Span = 0, so arm_smmu_init_l2_strtab allocates an L2 table for StreamIDs ${first} to ${first + 255} at ${hx(L2_TABLE)}, fills it with abort STEs, and writes the descriptor: L2Ptr = ${hx(L2_TABLE)}, Span = 9 (SPLIT + 1: 2^8 STEs). StreamID[7:0] = ${hx(lo)} then picks the STE, at ${hx(steAt)}: Config = stage 1, S1ContextPtr = ${hx(CD_TABLE)}.`),
        predict: question({
          question: `The new L2 table is at ${hx(L2_TABLE)}. At which address is STE ${sidText(n.sid)} written?`,
          choices: [
            { text: `${hx(steAt)}: L2 table + StreamID[7:0] x 64`, value: plain(steAt) },
            { text: `${hx(L1_TABLE + BigInt(n.sid) * 64n)}: base + StreamID x 64, as in a linear table`, value: plain(L1_TABLE + BigInt(n.sid) * 64n) },
            { text: `${hx(L2_TABLE + BigInt(hi) * 64n)}: L2 table + StreamID[15:8] x 64`, value: plain(L2_TABLE + BigInt(hi) * 64n) },
            { text: `${hx(l1At)}: in the L1 table`, value: plain(l1At) },
          ],
          right: 0,
          path: 'address',
          explain: 'The high bits (above SPLIT) choose the L1 descriptor, the low SPLIT = 8 bits index the L2 table it points at; an STE is 64 bytes.',
        }, r),
      },
      stage1Cd(n.sid, 0, n.asid, PGD, `CD 0 for StreamID ${n.sid}: TTB0 = ${hx(PGD)}, ASID ${n.asid}. The SMMU finds the CD table through the STE just written.`),
      cfgiSte(n.sid, `CMD_CFGI_STE for StreamID ${n.sid} and CMD_SYNC. On a 2-level table Linux also relies on the SMMU never caching an L1 descriptor with Span = 0, so a new L2 table needs no invalidation of its own.`),
      dma(n.sid, n.iova + 0x10n, 'read', `StreamID ${n.sid} reads IOVA ${hx(n.iova + 0x10n)}: the SMMU reads L1 descriptor ${hi}, follows L2Ptr to the STE at ${hx(steAt)}, then CD 0 and the page table: PA ${hx(n.pa + 0x10n, 16)}. Two reads to find the STE instead of one: the price of the smaller table.`),
      {
        kind: 'smmu.writeSte', sid: sid2, fields: { V: 1, Config: 4, SHCFG: 1 },
        note: `A second device, StreamID ${sidText(sid2)}, in the same range of 256: it gets a bypass STE (Config = 0b100, an identity domain), at ${hx(steAt + 64n)}. Its L1 descriptor already points at the L2 table, so only the STE's eight qwords are stored.`,
      },
      cfgiSte(sid2, `CMD_CFGI_STE for StreamID ${sid2} and CMD_SYNC, as the driver always does after writing an STE.`),
      dma(sid2, n.bypassAddress, 'read', `StreamID ${sid2} reads address ${hx(n.bypassAddress, 16)}: Config = bypass, so the address goes to memory untranslated, PA ${hx(n.bypassAddress, 16)}.`),
      {
        ...dma(sid3, n.iova + 0x10n, 'read', `StreamID ${sidText(sid3)} was never given an STE, but its L2 table exists: its STE is one of the abort STEs the driver filled the table with (V = 1, Config = 0b000). The transaction is terminated, and abort is not an error: no event is recorded.`),
        predict: question({
          question: `StreamID ${sid3} has no device attached, but shares the L2 table. What does the SMMU record when it sends a read?`,
          choices: [
            { text: 'Nothing: its STE says abort, which is not an error', value: null },
            { text: 'C_BAD_STREAMID', value: 'C_BAD_STREAMID' },
            { text: 'C_BAD_STE', value: 'C_BAD_STE' },
            { text: 'F_TRANSLATION', value: 'F_TRANSLATION' },
          ],
          right: 0,
          path: 'event.name',
          explain: 'arm_smmu_init_l2_strtab writes every STE of a new L2 table as V = 1, Config = abort: the device is silently blocked.',
        }, r),
      },
      {
        ...dma(n.stranger, n.iova + 0x10n, 'read', `StreamID ${sidText(n.stranger)} is in another range: its L1 descriptor, number ${n.stranger >> 8}, still has Span = 0. There is no STE to fetch at all, so the SMMU records C_BAD_STREAMID (CR2.RECINVSID = 1, as Linux sets it) and terminates the read.`),
        predict: question({
          question: `A read from StreamID ${sidText(n.stranger)}, whose L1 descriptor has Span = 0. Which event record does the SMMU write?`,
          choices: [
            { text: 'C_BAD_STREAMID', value: 'C_BAD_STREAMID' },
            { text: 'None: it is blocked silently, like an abort STE', value: null },
            { text: 'C_BAD_STE', value: 'C_BAD_STE' },
            { text: 'F_STE_FETCH', value: 'F_STE_FETCH' },
          ],
          right: 0,
          path: 'event.name',
          explain: 'Span = 0 means no L2 table: the StreamID is invalid, which is C_BAD_STREAMID (recorded while CR2.RECINVSID = 1). F_STE_FETCH is for an STE the SMMU tried to read from memory that does not answer.',
        }, r),
      },
      dma(0x1_0000 + (n.sid & 0xfff), n.iova + 0x10n, 'read', `StreamID ${0x1_0000 + (n.sid & 0xfff)} is beyond 2^16: outside the stream table altogether (STRTAB_BASE_CFG.LOG2SIZE = 16), C_BAD_STREAMID again.`),
    ],
  };
}
