/**
 * Lesson 6: caches and invalidation. The IOTLB does not watch the page
 * table: a remap without a TLBI leaves a stale translation in use; a TLBI
 * with the wrong ASID removes nothing; the right one fixes it.
 */
import { CANONICAL_SEED, seededRng } from '../prng.ts';
import { hx, plain } from '../hex.ts';
import { question } from '../predict.ts';
import { FORMAT, type ScenarioDoc } from '../types.ts';
import { CD_TABLE, FIRST_TABLE, cfgiSte, dma, probeLinear, stage1Cd, stage1Ste, stage1Table } from './common.ts';

export interface Lesson06Numbers {
  readonly sid: number;
  readonly asid: number;
  /** An ASID some other domain has: what a buggy invalidation names. */
  readonly wrongAsid: number;
  readonly iova: bigint;
  readonly oldPa: bigint;
  readonly newPa: bigint;
  readonly offset: bigint;
}

export function lesson06Numbers(seed: number): Lesson06Numbers {
  if (seed === CANONICAL_SEED) return { sid: 3, asid: 1, wrongAsid: 2, iova: 0x1000_0000n, oldPa: 0x8_8000_0000n, newPa: 0x8_9000_0000n, offset: 0x10n };
  const r = seededRng(seed);
  const asid = r.int(1, 250);
  return {
    sid: r.int(1, 255),
    asid,
    wrongAsid: asid + r.int(1, 5),
    iova: r.big(0x10_0000n, 0xffff_f000n, 0x1000n),
    oldPa: r.big(0x8_0000_0000n, 0x8_7fff_f000n, 0x1000n),
    newPa: r.big(0x8_8000_0000n, 0x8_ffff_f000n, 0x1000n),
    offset: r.big(0x8n, 0xff8n, 0x8n),
  };
}

export function lesson06(seed: number): ScenarioDoc {
  const n = lesson06Numbers(seed);
  const r = seededRng(seed ^ 0x5eed_0006);
  const at = n.iova + n.offset;
  const oldOut = n.oldPa + n.offset;
  const newOut = n.newPa + n.offset;
  const tlbi = (asid: number) => ({ op: 'CMD_TLBI_NH_VA', VMID: 0, ASID: asid, Address: hx(n.iova), Leaf: 1 });
  const where = [
    { text: `${hx(oldOut, 16)}: the old page`, value: plain(oldOut) },
    { text: `${hx(newOut, 16)}: the new page`, value: plain(newOut) },
    { text: 'Nowhere: a translation fault', value: null },
  ];
  return {
    format: FORMAT,
    version: 1,
    title: 'Lesson 6: Caches and invalidation: a stale IOTLB entry and the commands that fix it',
    description: `The SMMU caches what it reads: STEs and CDs in its configuration cache, translations in its IOTLB, tagged by VMID and ASID. It never watches memory, so when software changes a table it must say so with a command in the command queue — CMD_CFGI_* for configuration, CMD_TLBI_* for translations — and wait for it with CMD_SYNC. This lesson leaves out an invalidation, sends a wrong one, then the right one.${seed === CANONICAL_SEED ? '' : ` Exercise seed ${seed}.`}`,
    steps: [
      probeLinear('arm_smmu_device_reset: stream table, command queue, event queue; CMD_CFGI_ALL, CMD_TLBI_NSNH_ALL and CMD_SYNC start the SMMU with empty caches.'),
      stage1Table('dev', `A stage-1 table, level 0 at ${hx(FIRST_TABLE)}.`),
      { kind: 'pgtable.map', table: 'dev', iova: hx(n.iova), paddr: hx(n.oldPa, 16), size: '0x1000', prot: 'rw', note: `A 4KB buffer: IOVA ${hx(n.iova)} to PA ${hx(n.oldPa, 16)}.` },
      stage1Ste(n.sid, CD_TABLE, `STE ${n.sid}: stage 1, CD table at ${hx(CD_TABLE)}.`),
      stage1Cd(n.sid, 0, n.asid, FIRST_TABLE, `CD 0: TTB0 = ${hx(FIRST_TABLE)}, ASID ${n.asid}. Every translation made through this CD is cached with the tag (VMID 0, ASID ${n.asid}).`),
      cfgiSte(n.sid, `CMD_CFGI_STE and CMD_SYNC for StreamID ${n.sid}: the configuration cache forgets the old abort STE.`),
      dma(n.sid, at, 'read', `The device reads IOVA ${hx(at)}: IOTLB miss, a 4-level walk, PA ${hx(oldOut, 16)}. The IOTLB now holds (VMID 0, ASID ${n.asid}, IOVA ${hx(n.iova)}) -> ${hx(n.oldPa, 16)}, 4KB.`),
      { kind: 'pgtable.unmap', table: 'dev', iova: hx(n.iova), size: '0x1000', note: `iommu_unmap clears the level-3 descriptor. Linux would now send CMD_TLBI_NH_VA + CMD_SYNC from arm_smmu_iotlb_sync; this lesson leaves it out on purpose.` },
      { kind: 'pgtable.map', table: 'dev', iova: hx(n.iova), paddr: hx(n.newPa, 16), size: '0x1000', prot: 'rw', note: `The IOVA is reused for a new buffer at PA ${hx(n.newPa, 16)}. The page table in memory is right; the old page may already belong to someone else.` },
      {
        ...dma(n.sid, at, 'read', `The read of IOVA ${hx(at)} hits the IOTLB entry nobody invalidated: it reaches the old page, PA ${hx(oldOut, 16)}. The SMMU did not even look at the page table. This is a stale translation: the device reads memory that is no longer its own.`),
        predict: question({
          question: `The page table now maps IOVA ${hx(n.iova)} to ${hx(n.newPa, 16)}, and no TLBI was sent. Where does the read of ${hx(at)} go?`,
          choices: where,
          right: 0,
          path: 'output',
          explain: 'The IOTLB still holds a valid entry for this ASID and page; a hit never reads the page table.',
        }, r),
      },
      {
        kind: 'smmu.commands', commands: [tlbi(n.wrongAsid), { op: 'CMD_SYNC' }],
        note: `A buggy driver invalidates with ASID ${n.wrongAsid}, another domain's: CMD_TLBI_NH_VA removes entries that match VMID, ASID and address, and none does. The CMD_SYNC completes, the stale entry stays.`,
        predict: question({
          question: `CMD_TLBI_NH_VA for IOVA ${hx(n.iova)} but ASID ${n.wrongAsid}. How many IOTLB entries does it remove?`,
          choices: [{ text: 'None: the ASID does not match', value: 0 }, { text: 'One: the entry for that IOVA', value: 1 }],
          right: 0,
          shuffle: false,
          path: 'consumed.0.invalidated',
          explain: `IOTLB entries are tagged; a TLBI by VA only removes the entries of its own VMID and ASID (${n.asid} here). CMD_TLBI_NH_VAA would match any ASID.`,
        }, r),
      },
      {
        kind: 'smmu.commands', commands: [tlbi(n.asid), { op: 'CMD_SYNC' }],
        note: `What arm_smmu_tlb_inv_range_asid sends for one 4KB page: CMD_TLBI_NH_VA with ASID ${n.asid} and the page's address (Leaf = 1: only the last level changed), then CMD_SYNC, which completes only once the invalidation has. One entry removed. For a whole domain the driver sends CMD_TLBI_NH_ASID instead.`,
        predict: question({
          question: `Now CMD_TLBI_NH_VA with ASID ${n.asid}. How many entries does it remove?`,
          choices: [{ text: 'None', value: 0 }, { text: 'One', value: 1 }],
          right: 1,
          shuffle: false,
          path: 'consumed.0.invalidated',
        }, r),
      },
      {
        ...dma(n.sid, at, 'read', `The IOTLB misses, the SMMU walks the table as it is now, and the read reaches the new page: PA ${hx(newOut, 16)}.`),
        predict: question({
          question: `After the right TLBI and CMD_SYNC, where does the read of ${hx(at)} go?`,
          choices: where,
          right: 1,
          path: 'output',
        }, r),
      },
    ],
  };
}
