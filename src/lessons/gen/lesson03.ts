/**
 * Lesson 3: context descriptors and SubstreamIDs (PCIe PASIDs): one
 * StreamID, several address spaces. The STE points at a table of CDs; the
 * SubstreamID picks the CD, and each CD has its own page table and ASID.
 */
import { CANONICAL_SEED, seededRng } from '../prng.ts';
import { hx, plain } from '../hex.ts';
import { question } from '../predict.ts';
import { FORMAT, type ScenarioDoc } from '../types.ts';
import { CD_TABLE, FIRST_TABLE, cfgiSte, dma, probeLinear, stage1Cd, stage1Ste, stage1Table } from './common.ts';

export interface Lesson03Numbers {
  readonly sid: number;
  /** The PASID that gets its own address space (1 to 3: the table has 4 CDs). */
  readonly pasid: number;
  /** A PASID of the table whose CD is left invalid. */
  readonly emptyPasid: number;
  readonly ridAsid: number;
  readonly pasidAsid: number;
  readonly iova: bigint;
  readonly ridPa: bigint;
  readonly pasidPa: bigint;
}

export function lesson03Numbers(seed: number): Lesson03Numbers {
  if (seed === CANONICAL_SEED) {
    return { sid: 5, pasid: 1, emptyPasid: 2, ridAsid: 1, pasidAsid: 2, iova: 0x1000_0000n, ridPa: 0x8_8000_0000n, pasidPa: 0x8_9000_0000n };
  }
  const r = seededRng(seed);
  const pasid = r.int(1, 3);
  const ridAsid = r.int(1, 200);
  return {
    sid: r.int(1, 255),
    pasid,
    emptyPasid: 1 + (pasid % 3),
    ridAsid,
    pasidAsid: ridAsid + r.int(1, 50),
    iova: r.big(0x10_0000n, 0xffff_f000n, 0x1000n),
    ridPa: r.big(0x8_0000_0000n, 0x8_7fff_f000n, 0x1000n),
    pasidPa: r.big(0x8_8000_0000n, 0x8_ffff_f000n, 0x1000n),
  };
}

export function lesson03(seed: number): ScenarioDoc {
  const n = lesson03Numbers(seed);
  const r = seededRng(seed ^ 0x5eed_0003);
  const secondTable = FIRST_TABLE + 0x1000n;
  const off = 0x10n;
  const cdAt = (ssid: number) => CD_TABLE + BigInt(ssid) * 64n;
  return {
    format: FORMAT,
    version: 1,
    title: 'Lesson 3: Context descriptors and SubstreamIDs (PASIDs): one device, many address spaces',
    description: `A PCIe device can tag each transaction with a PASID; the SMMU calls it the SubstreamID. With the STE's S1CDMax > 0 the STE points at a table of Context Descriptors, and the SubstreamID selects one: each CD has its own TTB0 (its own page table) and its own ASID, so one device can work in several address spaces at once — the kernel's through CD 0, a process's through its PASID. Transactions without a PASID use CD 0 (S1DSS = 0b10, as Linux sets it).${seed === CANONICAL_SEED ? '' : ` Exercise seed ${seed}.`}`,
    steps: [
      probeLinear('arm_smmu_device_reset: a linear stream table at 0x4000_0000, the queues at 0x4000_4000 and 0x4000_5000, every STE abort. The full preset has 20-bit SubstreamIDs (IDR1.SSIDSIZE = 20).'),
      stage1Table('rid', `The page table of the device's DMA domain, used by transactions without a PASID: level 0 at ${hx(FIRST_TABLE)}.`),
      stage1Table(`pasid${n.pasid}`, `A second, separate page table for PASID ${n.pasid}, as a process or a VM-assigned queue would have: level 0 at ${hx(secondTable)}.`),
      { kind: 'pgtable.map', table: 'rid', iova: hx(n.iova), paddr: hx(n.ridPa, 16), size: '0x1000', prot: 'rw', note: `In the DMA domain, IOVA ${hx(n.iova)} maps to PA ${hx(n.ridPa, 16)}.` },
      { kind: 'pgtable.map', table: `pasid${n.pasid}`, iova: hx(n.iova), paddr: hx(n.pasidPa, 16), size: '0x1000', prot: 'rw', note: `In PASID ${n.pasid}'s table the same IOVA, ${hx(n.iova)}, maps to a different page: PA ${hx(n.pasidPa, 16)}. Two address spaces, one device.` },
      stage1Ste(n.sid, CD_TABLE, `STE ${n.sid}: Config = stage 1, S1ContextPtr = ${hx(CD_TABLE)}, and now S1CDMax = 2: the CD table has 2^2 = 4 CDs (SubstreamIDs 0 to 3), 64 bytes each, linear (S1Fmt = 0). S1DSS = 0b10: a transaction with no SubstreamID uses CD 0, and SubstreamID 0 itself is not allowed. Linux sizes S1CDMax from the device's PASID width.`, { S1CDMax: 2, S1DSS: 2 }),
      stage1Cd(n.sid, 0, n.ridAsid, FIRST_TABLE, `CD 0, at ${hx(cdAt(0))}: the DMA domain, TTB0 = ${hx(FIRST_TABLE)}, ASID ${n.ridAsid}.`),
      stage1Cd(n.sid, n.pasid, n.pasidAsid, secondTable, `CD ${n.pasid}, at ${hx(CD_TABLE)} + ${n.pasid} x 64 = ${hx(cdAt(n.pasid))}: TTB0 = ${hx(secondTable)}, ASID ${n.pasidAsid}. A different ASID keeps the two address spaces apart in the IOTLB too. The other CDs stay zero: V = 0.`),
      cfgiSte(n.sid, `CMD_CFGI_STE for StreamID ${n.sid} (it drops the STE and the CDs cached through it) and CMD_SYNC.`),
      dma(n.sid, n.iova + off, 'read', `A read of IOVA ${hx(n.iova + off)} with no PASID: S1DSS = 0b10 sends it through CD 0, ASID ${n.ridAsid}, and the DMA domain's table: PA ${hx(n.ridPa + off, 16)}.`),
      {
        ...dma(n.sid, n.iova + off, 'read', `The same IOVA with PASID ${n.pasid}: the SMMU fetches CD ${n.pasid} and walks its table: PA ${hx(n.pasidPa + off, 16)}. The IOTLB entry of the last read is tagged ASID ${n.ridAsid}, so it does not match: a miss.`, n.pasid),
        predict: question({
          question: `The device reads the same IOVA, ${hx(n.iova + off)}, with PASID ${n.pasid}. Which PA does the read reach?`,
          choices: [
            { text: `${hx(n.pasidPa + off, 16)}, through CD ${n.pasid}'s table`, value: plain(n.pasidPa + off) },
            { text: `${hx(n.ridPa + off, 16)}: the IOTLB already has this IOVA`, value: plain(n.ridPa + off) },
            { text: 'None: the read faults', value: null },
          ],
          right: 0,
          path: 'output',
          explain: `The SubstreamID picks CD ${n.pasid}; its ASID ${n.pasidAsid} differs from CD 0's, so the entry cached for ASID ${n.ridAsid} cannot be used.`,
        }, r),
      },
      {
        ...dma(n.sid, n.iova + off, 'read', `PASID ${n.emptyPasid} is within the table (S1CDMax = 2), but its CD was never written: V = 0. The SMMU records C_BAD_CD with SSV = 1 and SubstreamID ${n.emptyPasid}, and terminates the read.`, n.emptyPasid),
        predict: question({
          question: `A read with PASID ${n.emptyPasid}, whose CD is all zeroes. What does the SMMU record?`,
          choices: [
            { text: 'C_BAD_CD: the CD is not valid', value: 'C_BAD_CD' },
            { text: 'C_BAD_SUBSTREAMID', value: 'C_BAD_SUBSTREAMID' },
            { text: 'F_TRANSLATION', value: 'F_TRANSLATION' },
            { text: 'Nothing: it uses CD 0 instead', value: null },
          ],
          right: 0,
          path: 'event.name',
          explain: 'The SubstreamID is in range, so the CD is fetched; a CD with V = 0 is a configuration error, C_BAD_CD.',
        }, r),
      },
      {
        ...dma(n.sid, n.iova + off, 'read', `PASID 4 is beyond the table: S1CDMax = 2 allows SubstreamIDs 0 to 3. The SMMU does not fetch anything: C_BAD_SUBSTREAMID.`, 4),
        predict: question({
          question: 'And a read with PASID 4?',
          choices: [
            { text: 'C_BAD_SUBSTREAMID: out of range for S1CDMax = 2', value: 'C_BAD_SUBSTREAMID' },
            { text: 'C_BAD_CD', value: 'C_BAD_CD' },
            { text: 'F_CD_FETCH', value: 'F_CD_FETCH' },
          ],
          right: 0,
          path: 'event.name',
          explain: 'A SubstreamID at or above 2^S1CDMax has no CD at all: the SMMU refuses it before fetching.',
        }, r),
      },
      dma(n.sid, n.iova + off, 'read', `SubstreamID 0, sent explicitly: with S1DSS = 0b10, CD 0 belongs to traffic without a SubstreamID, so this is F_STREAM_DISABLED. In Linux, PASID 0 is the RID's (IOMMU_NO_PASID) and never handed out.`, 0),
    ],
  };
}
