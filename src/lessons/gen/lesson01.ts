/**
 * Lesson 1: one DMA through a stage-1 table, from IOVA to PA. The seed picks
 * the StreamID, the ASID, the IOVA, the PA and the offsets; the narration and
 * the answer keys are computed from them.
 */
import { seededRng, CANONICAL_SEED } from '../prng.ts';
import { hx, index4k, plain } from '../hex.ts';
import { question } from '../predict.ts';
import { FORMAT, type ScenarioDoc } from '../types.ts';
import { CD_TABLE, FIRST_TABLE, cfgiSte, dma, probeLinear, stage1Cd, stage1Ste, stage1Table } from './common.ts';

export interface Lesson01Numbers {
  readonly sid: number;
  readonly asid: number;
  /** Two pages are mapped from here: 8KB-aligned so both share one level-3 table. */
  readonly iova: bigint;
  readonly pa: bigint;
  readonly readOffset: bigint;
  readonly writeOffset: bigint;
  readonly secondOffset: bigint;
}

export function lesson01Numbers(seed: number): Lesson01Numbers {
  if (seed === CANONICAL_SEED) return { sid: 3, asid: 1, iova: 0x1000_0000n, pa: 0x8_8000_0000n, readOffset: 0x123n, writeOffset: 0x800n, secondOffset: 0x40n };
  const r = seededRng(seed);
  return {
    sid: r.int(1, 255),
    asid: r.int(1, 255),
    iova: r.big(0x10_0000n, 0xffff_e000n, 0x2000n),
    pa: r.big(0x8_0000_0000n, 0x8_ffff_e000n, 0x2000n),
    readOffset: r.big(0x8n, 0xff8n, 0x8n),
    writeOffset: r.big(0x8n, 0xff8n, 0x8n),
    secondOffset: r.big(0x8n, 0xff8n, 0x8n),
  };
}

export function lesson01(seed: number): ScenarioDoc {
  const n = lesson01Numbers(seed);
  const r = seededRng(seed ^ 0x5eed_0001);
  const read = n.iova + n.readOffset;
  const write = n.iova + n.writeOffset;
  const second = n.iova + 0x1000n + n.secondOffset;
  const out = n.pa + n.readOffset;
  const idx = (a: bigint) => `${index4k(a, 0)} at level 0 (bits [47:39]), ${index4k(a, 1)} at level 1 ([38:30]), ${index4k(a, 2)} at level 2 ([29:21]) and ${index4k(a, 3)} at level 3 ([20:12])`;
  const steAddress = 0x4000_0000n + BigInt(n.sid) * 64n;
  return {
    format: FORMAT,
    version: 1,
    title: 'Lesson 1: A DMA through a stage-1 table (IOVA to PA)',
    description: `A device never sees physical memory: it puts an I/O virtual address (IOVA) on the bus, and the SMMU translates it. This lesson sets up the whole path the way Linux's arm-smmu-v3 driver does — a stage-1 page table, the device's Stream Table Entry (STE) and its Context Descriptor (CD) — then follows the device's DMA from IOVA to PA, and watches the IOTLB remember the answer.${seed === CANONICAL_SEED ? '' : ` Exercise seed ${seed}: the numbers are new, the rules are not.`}`,
    steps: [
      probeLinear('The driver brings the SMMU up (arm_smmu_device_reset): a linear stream table of 256 STEs at 0x4000_0000 (STRTAB_BASE), the command queue at 0x4000_4000 and the event queue at 0x4000_5000. Every STE starts as V = 1, Config = abort: until a device is attached, its DMA goes nowhere.'),
      stage1Table('dev', `The device's stage-1 io-pgtable (ARM_64_LPAE_S1): a 4KB granule (TG0 = 0) and a 48-bit IOVA space (T0SZ = 16), so a walk starts at level 0 and uses four levels. Only the level-0 table exists yet, at ${hx(FIRST_TABLE)}.`),
      {
        kind: 'pgtable.map', table: 'dev', iova: hx(n.iova), paddr: hx(n.pa, 16), size: '0x2000', prot: 'rw',
        note: `dma_map_single of an 8KB buffer: IOVA ${hx(n.iova)} to PA ${hx(n.pa, 16)}, two 4KB pages, readable and writable. The IOVA selects ${idx(n.iova)}. io-pgtable allocates the tables that lead there and writes two page descriptors at level 3.`,
        predict: question({
          question: 'The page table is empty but for its level-0 table. How many new tables does io-pgtable allocate to map these two pages?',
          choices: [{ text: 'Three: one each at levels 1, 2 and 3', value: 3 }, { text: 'None: level 0 can hold the pages', value: 0 }, { text: 'One: a level-3 table', value: 1 }, { text: 'Two: one per page', value: 2 }],
          right: 0,
          path: 'tablesAllocated',
          explain: 'A 4KB page is mapped only at level 3, so the walk needs a table at each of levels 1, 2 and 3 below the level-0 table; both pages share them, because they differ only in the level-3 index.',
        }, r),
      },
      stage1Ste(n.sid, CD_TABLE, `The device is StreamID ${n.sid}: its STE is at STRTAB_BASE + ${n.sid} x 64 = ${hx(steAddress)}. Config = 0b101 (stage 1 translates, stage 2 bypasses); S1ContextPtr = ${hx(CD_TABLE)}, a linear table of one CD (S1CDMax = 0). Plain stores are safe here only because nothing is using StreamID ${n.sid} yet.`),
      stage1Cd(n.sid, 0, n.asid, FIRST_TABLE, `CD 0 carries what the walk needs, as arm_smmu_make_s1_cd copies it from io-pgtable: TTB0 = ${hx(FIRST_TABLE)}, T0SZ = 16, TG0 = 0, IPS = 5 (48-bit PAs), and ASID ${n.asid}, which tags every IOTLB entry made through it. R = 1 records faults; A = 1 aborts a faulting access. V = 1 makes it valid.`),
      cfgiSte(n.sid, `CMD_CFGI_STE for StreamID ${n.sid}, then CMD_SYNC: the SMMU drops any copy of the old abort STE from its configuration cache, and the sync waits until it has. This is arm_smmu_sync_ste_for_sid.`),
      {
        ...dma(n.sid, read, 'read', `The device reads IOVA ${hx(read)}. The SMMU fetches STE ${n.sid} (stage 1), then CD 0 (ASID ${n.asid}), misses in the IOTLB and walks from TTB0: ${idx(read)}. The level-3 descriptor gives the page ${hx(n.pa, 16)}; the low 12 bits, ${hx(n.readOffset)}, are the offset in the page: PA ${hx(out, 16)}. The IOTLB keeps the translation, tagged VMID 0, ASID ${n.asid}.`),
        predict: question({
          question: `Which physical address does the read of IOVA ${hx(read)} reach?`,
          choices: [
            { text: hx(out, 16), value: plain(out) },
            { text: `${hx(n.pa, 16)} (the page, without the offset)`, value: plain(n.pa) },
            { text: `${hx(read, 16)} (the IOVA itself, untranslated)`, value: plain(read) },
            { text: hx(out + 0x1000n, 16), value: plain(out + 0x1000n) },
          ],
          right: 0,
          path: 'output',
          explain: `The walk replaces the page number (bits [47:12]) with the page's PA and keeps the offset: ${hx(n.pa, 16)} + ${hx(n.readOffset)}.`,
        }, r),
      },
      {
        ...dma(n.sid, write, 'write', `A write to IOVA ${hx(write)}, in the same page. STE ${n.sid} and CD 0 come from the configuration cache and the IOTLB hits: no table is read, and the write goes to PA ${hx(n.pa + n.writeOffset, 16)}. The entry also says the page is writable, so the hit needs no walk to check it.`),
        predict: question({
          question: `Does the write to IOVA ${hx(write)} hit in the IOTLB?`,
          choices: [{ text: 'Yes: an IOTLB hit, no walk', value: 'hit' }, { text: 'No: a miss, the SMMU walks the table again', value: 'miss' }],
          right: 0,
          shuffle: false,
          path: 'tlb',
          explain: 'The read left an entry for this 4KB page and ASID; a write to the same page matches it, and the entry carries the permissions the walk granted.',
        }, r),
      },
      {
        ...dma(n.sid, second, 'read', `A read of IOVA ${hx(second)}, in the second page. The IOTLB holds only the first page, so this one misses and the SMMU walks again: the same tables, level-3 index ${index4k(second, 3)}, and PA ${hx(n.pa + 0x1000n + n.secondOffset, 16)}. One IOTLB entry per page (or block) that was walked.`),
        predict: question({
          question: `And the read of IOVA ${hx(second)}, one page further on: hit or miss?`,
          choices: [{ text: 'A hit: the buffer was walked once already', value: 'hit' }, { text: 'A miss: it is another page, so the SMMU walks', value: 'miss' }],
          right: 1,
          shuffle: false,
          path: 'tlb',
          explain: 'An IOTLB entry covers the page (or block) its walk ended on, not the whole buffer that was mapped.',
        }, r),
      },
    ],
  };
}
