/**
 * Lesson 5: faults and the event queue. One device and a few broken
 * neighbours produce the records a driver's arm_smmu_evtq_thread prints:
 * F_PERMISSION, F_TRANSLATION, C_BAD_STE, F_ADDR_SIZE, F_CD_FETCH, and a
 * fault that is not recorded at all. The seed picks the numbers.
 */
import { CANONICAL_SEED, seededRng } from '../prng.ts';
import { hx } from '../hex.ts';
import { question } from '../predict.ts';
import { FORMAT, type ScenarioDoc } from '../types.ts';
import { CD_TABLE, FIRST_TABLE, MAIR, dma, probeLinear, stage1Cd, stage1Ste, stage1Table } from './common.ts';

export interface Lesson05Numbers {
  readonly sid: number;
  readonly asid: number;
  readonly iova: bigint;
  readonly pa: bigint;
  /** Where the broken STE's S1ContextPtr points: no memory there. */
  readonly missingCdTable: bigint;
}

export function lesson05Numbers(seed: number): Lesson05Numbers {
  if (seed === CANONICAL_SEED) return { sid: 3, asid: 1, iova: 0x1000_0000n, pa: 0x8_8000_0000n, missingCdTable: 0xa000_0000n };
  const r = seededRng(seed);
  return {
    sid: r.int(1, 250),
    asid: r.int(1, 255),
    iova: r.big(0x10_0000n, 0xffff_c000n, 0x4000n),
    pa: r.big(0x8_0000_0000n, 0x8_ffff_e000n, 0x2000n),
    missingCdTable: r.big(0xa000_0000n, 0xafff_ffc0n, 0x40n),
  };
}

export function lesson05(seed: number): ScenarioDoc {
  const n = lesson05Numbers(seed);
  const r = seededRng(seed ^ 0x5eed_0005);
  const ro = n.iova + 0x1000n;
  const hole = n.iova + 0x2000n;
  const [bad, bypass, lost] = [n.sid + 1, n.sid + 2, n.sid + 3];
  const far = 0x1_0000_0000_0000n + (n.pa & 0xffff_fff0n);
  return {
    format: FORMAT,
    version: 1,
    title: 'Lesson 5: Faults and the event queue: what each record means',
    description: `When the SMMU cannot complete a transaction it terminates it and, for most reasons, writes a 32-byte record to the event queue for the driver: which StreamID (and SubstreamID), which address, read or write, and why. Configuration errors (C_BAD_*) mean the tables are wrong; translation faults (F_*) mean the page tables said no. This lesson makes one of each and reads the records.${seed === CANONICAL_SEED ? '' : ` Exercise seed ${seed}.`}`,
    steps: [
      probeLinear('arm_smmu_device_reset: a linear stream table at 0x4000_0000, the command queue at 0x4000_4000 and the event queue at 0x4000_5000 (2^7 = 128 records of 32 bytes), CR0.EVTQEN = 1 and CR2.RECINVSID = 1, as Linux sets them.'),
      stage1Table('dev', `A stage-1 table for StreamID ${n.sid}, level 0 at ${hx(FIRST_TABLE)}.`),
      { kind: 'pgtable.map', table: 'dev', iova: hx(n.iova), paddr: hx(n.pa, 16), size: '0x1000', prot: 'rw', note: `A read-write page (DMA_BIDIRECTIONAL): IOVA ${hx(n.iova)} to PA ${hx(n.pa, 16)}.` },
      { kind: 'pgtable.map', table: 'dev', iova: hx(ro), paddr: hx(n.pa + 0x1000n, 16), size: '0x1000', prot: 'r', note: `A page the device may only read (DMA_TO_DEVICE): IOVA ${hx(ro)} to PA ${hx(n.pa + 0x1000n, 16)}, with AP[2] = 1 in its descriptor. IOVA ${hx(hole)} stays unmapped.` },
      stage1Ste(n.sid, CD_TABLE, `STE ${n.sid}: stage 1, its CD table at ${hx(CD_TABLE)}.`),
      stage1Cd(n.sid, 0, n.asid, FIRST_TABLE, `CD 0: TTB0 = ${hx(FIRST_TABLE)}, ASID ${n.asid}. R = 1: record this stream's translation faults in the event queue. A = 1: answer a faulting access with an abort.`),
      { kind: 'smmu.commands', commands: [{ op: 'CMD_CFGI_STE', StreamID: n.sid, Leaf: 1 }, { op: 'CMD_SYNC' }], note: `CMD_CFGI_STE for StreamID ${n.sid}, then CMD_SYNC.` },
      dma(n.sid, ro + 0x10n, 'read', `The device reads the read-only page: allowed, PA ${hx(n.pa + 0x1010n, 16)}. The IOTLB now holds the page, with its read-only permission.`),
      {
        ...dma(n.sid, ro + 0x10n, 'write', `The device writes to the same page. The IOTLB hits, but the entry says read-only: F_PERMISSION (event 0x13), written at index 0 of the event queue with StreamID ${n.sid}, RnW = 0 (a write), PnU = 1, InputAddr = ${hx(ro + 0x10n)}. CD.A = 1, so the write is aborted. arm_smmu_evtq_thread would print it, and with an iommu fault handler registered, report it to the device's driver.`),
        predict: question({
          question: `The read just cached the read-only page in the IOTLB. The device now writes to IOVA ${hx(ro + 0x10n)}. What does the SMMU record?`,
          choices: [
            { text: 'F_PERMISSION', value: 'F_PERMISSION' },
            { text: 'Nothing: the IOTLB hit lets the write through', value: null },
            { text: 'F_TRANSLATION', value: 'F_TRANSLATION' },
            { text: 'F_ACCESS', value: 'F_ACCESS' },
          ],
          right: 0,
          path: 'event.name',
          explain: 'An IOTLB entry keeps the permissions the walk granted, and a hit is checked against them: a write to a read-only page is a permission fault, hit or miss.',
        }, r),
      },
      {
        kind: 'smmu.dma', sid: n.sid, address: hx(hole + 0x10n), access: 'read', privileged: false,
        note: `An unprivileged read of IOVA ${hx(hole + 0x10n)}, which nobody mapped: the walk finds the level-3 descriptor invalid. F_TRANSLATION (event 0x10) at the next index, 1: RnW = 1 (a read), PnU = 0 (unprivileged), InputAddr = ${hx(hole + 0x10n)}, S2 = 0 (stage 1 faulted), CLASS = 2 (the input address, not a table fetch).`,
      },
      { kind: 'smmu.writeSte', sid: bad, fields: { V: 0, Config: 5 }, note: `A broken STE for StreamID ${bad}: Config = stage 1 but V = 0, the way an STE looks while it is being rewritten by a careless driver.` },
      { kind: 'smmu.writeSte', sid: bypass, fields: { V: 1, Config: 4 }, note: `StreamID ${bypass}: a bypass STE (IOMMU_DOMAIN_IDENTITY): addresses pass untranslated.` },
      { kind: 'smmu.writeSte', sid: lost, fields: { V: 1, Config: 5, S1ContextPtr: hx(n.missingCdTable), S1CIR: 1, S1COR: 1, S1CSH: 3 }, note: `StreamID ${lost}: stage 1, but S1ContextPtr = ${hx(n.missingCdTable)} points where there is no memory.` },
      {
        kind: 'smmu.commands', commands: [{ op: 'CMD_CFGI_STE', StreamID: bad, Leaf: 1 }, { op: 'CMD_CFGI_STE', StreamID: bypass, Leaf: 1 }, { op: 'CMD_CFGI_STE', StreamID: lost, Leaf: 1 }, { op: 'CMD_SYNC' }],
        note: 'One CMD_CFGI_STE per StreamID, one CMD_SYNC for all of them: the driver batches commands and syncs once.',
      },
      {
        ...dma(bad, n.iova + 0x10n, 'read', `StreamID ${bad} reads: its STE has V = 0, a configuration error: C_BAD_STE (event 0x4) at index 2. The record carries only the StreamID: there was no translation to describe.`),
        predict: question({
          question: `StreamID ${bad}'s STE has V = 0. What does the SMMU record for its read?`,
          choices: [
            { text: 'C_BAD_STE', value: 'C_BAD_STE' },
            { text: 'Nothing: V = 0 is treated like an abort STE', value: null },
            { text: 'C_BAD_STREAMID', value: 'C_BAD_STREAMID' },
            { text: 'F_STE_FETCH', value: 'F_STE_FETCH' },
          ],
          right: 0,
          path: 'event.name',
          explain: 'An abort STE (V = 1, Config = 0b000) blocks silently; an invalid one (V = 0) is a broken configuration, which the SMMU reports as C_BAD_STE.',
        }, r),
      },
      {
        ...dma(bypass, far, 'read', `StreamID ${bypass} bypasses translation, but its address, ${hx(far, 16)}, is beyond the 48-bit physical address size: it cannot pass untranslated. F_ADDR_SIZE (event 0x11) at index 3.`),
        predict: question({
          question: `StreamID ${bypass} bypasses the SMMU and reads ${hx(far, 16)}, past 48 bits. What happens?`,
          choices: [
            { text: 'F_ADDR_SIZE: too wide to pass untranslated', value: 'F_ADDR_SIZE' },
            { text: 'Nothing: bypass passes every address', value: null },
            { text: 'F_TRANSLATION', value: 'F_TRANSLATION' },
          ],
          right: 0,
          path: 'event.name',
          explain: 'Bypassed traffic must fit the SMMU\'s output address size (IDR5.OAS, 48 bits here); a wider address is an address-size fault, even with no translation.',
        }, r),
      },
      dma(lost, n.iova + 0x10n, 'read', `StreamID ${lost}: the STE is fine, but fetching its CD from ${hx(n.missingCdTable)} fails: F_CD_FETCH (event 0x9) at index 4, with the CD's address in the record.`),
      {
        kind: 'smmu.updateCd', sid: n.sid, ssid: 0,
        fields: { T0SZ: 16, TG0: 0, IRGN0: 1, ORGN0: 1, SH0: 3, EPD1: 1, V: 1, IPS: 5, AA64: 1, R: 0, A: 0, ASID: n.asid, TTB0: hx(FIRST_TABLE), MAIR0: MAIR },
        note: `The driver changes CD 0 of StreamID ${n.sid}: R = 0 (do not record translation faults) and A = 0 (answer a faulting access RAZ/WI: reads return zero, writes are ignored). Only qword 0 changes, one store and a CMD_CFGI_CD + CMD_SYNC.`,
      },
      {
        ...dma(n.sid, hole + 0x20n, 'write', `A write to the unmapped IOVA ${hx(hole + 0x20n)} again faults with F_TRANSLATION, but CD.R = 0: nothing is written to the event queue, and the driver never hears of it. CD.A = 0: the device gets a normal completion (RAZ/WI), not an abort.`),
        predict: question({
          question: 'With CD.R = 0 and CD.A = 0, how does the SMMU answer the device\'s faulting write?',
          choices: [
            { text: 'RAZ/WI: the write is silently dropped', value: 'RAZ/WI' },
            { text: 'An abort, as before', value: 'abort' },
          ],
          right: 0,
          shuffle: false,
          path: 'response',
          explain: 'CD.A chooses abort or RAZ/WI for a faulting access; CD.R chooses whether the fault is recorded. Neither changes that the page is unmapped.',
        }, r),
      },
    ],
  };
}
