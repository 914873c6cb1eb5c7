/**
 * Plain-data projections of the SMMU for the UI: the stream table, the queues
 * and the caches, each entry decoded. Cached entries are compared with what
 * memory holds now, so a stale STE, CD or translation is marked as such —
 * the visible consequence of a missing invalidation.
 */
import { decodeCommand, CMD_BYTES, type SmmuCommand } from '../hw/smmu/command.ts';
import { decodeFields, getField } from '../hw/smmu/fields.ts';
import { EVENT_FIELDS, EVENT_NAMES, EVENT_RECORD_BYTES } from '../hw/smmu/event-record.ts';
import type { TlbEntryView } from '../hw/smmu/iotlb.ts';
import { queueIndex } from '../hw/smmu/queue.ts';
import { REGISTER_FIELDS, REGISTER_NAMES, type RegisterName } from '../hw/smmu/registers.ts';
import type { Smmu } from '../hw/smmu/smmu.ts';
import { decodeSte } from '../hw/smmu/ste.ts';
import { L1STD_FIELDS, STE_BYTES, STE_FIELDS } from '../hw/smmu/ste-fields.ts';
import { readQwords } from '../hw/smmu/stream-table.ts';
import { translateStage1, translateStage2 } from '../hw/pgtable/translate.ts';

export interface SteRow {
  readonly sid: number;
  readonly address: bigint;
  readonly words: readonly bigint[];
  readonly valid: boolean;
  /** abort / bypass / stage 1 / stage 2 / nested, or why it is ILLEGAL. */
  readonly config: string;
  readonly fields: Readonly<Record<string, bigint>>;
}

export interface StreamTableView {
  readonly fmt: 'linear' | '2-level';
  readonly base: bigint;
  readonly log2size: number;
  readonly split: number;
  /** 2-level: the L1 descriptors that point at an L2 table. */
  readonly l1: readonly { readonly index: number; readonly address: bigint; readonly span: number; readonly l2: bigint }[];
  /** STEs that are not all-zero (linear tables) or that live in an allocated L2 table. */
  readonly stes: readonly SteRow[];
}

function steRow(smmu: Smmu, sid: number, address: bigint, words: readonly bigint[]): SteRow {
  const d = decodeSte(words, smmu.features);
  const config = d.kind === 'bad' ? `ILLEGAL: ${d.reason}` : d.kind === 'translate' ? (d.s1 && d.s2 ? 'nested' : d.s1 ? 'stage 1' : 'stage 2') : d.kind;
  return { sid, address, words, valid: d.kind !== 'bad', config, fields: decodeFields(words, STE_FIELDS) };
}

/** Rows for StreamIDs [first, first + count): the UI virtualises the table and asks only for the rows in view. */
export function streamTableView(smmu: Smmu, first = 0, count = 256): StreamTableView {
  const t = smmu.streamTable;
  const size = 2 ** Math.min(t.log2size, smmu.features.sidBits);
  const stes: SteRow[] = [];
  const l1: { index: number; address: bigint; span: number; l2: bigint }[] = [];
  if (t.fmt === 1) {
    for (let i = 0; i < 2 ** (t.log2size - t.split); i++) {
      const address = t.base + BigInt(i * 8);
      const desc = smmu.mem.read64(address) ?? 0n;
      const span = Number(getField([desc], L1STD_FIELDS[0]!));
      if (span !== 0) l1.push({ index: i, address, span, l2: getField([desc], L1STD_FIELDS[1]!) });
    }
  }
  for (let sid = first; sid < Math.min(size, first + count); sid++) {
    let address: bigint | undefined;
    if (t.fmt === 0) address = t.base + BigInt(sid * STE_BYTES);
    else {
      const d = l1.find((x) => x.index === Math.floor(sid / 2 ** t.split));
      if (d && sid % 2 ** t.split < 2 ** (d.span - 1)) address = d.l2 + BigInt((sid % 2 ** t.split) * STE_BYTES);
    }
    if (address === undefined) continue;
    const words = readQwords(smmu.mem, address, 8);
    if (words) stes.push(steRow(smmu, sid, address, words));
  }
  return { fmt: t.fmt === 1 ? '2-level' : 'linear', base: t.base, log2size: t.log2size, split: t.split, l1, stes };
}

export interface QueueEntryView<T> { readonly index: number; readonly address: bigint; readonly words: readonly bigint[]; readonly decoded: T }

export function eventQueueView(smmu: Smmu): QueueEntryView<{ name: string; fields: Record<string, bigint> }>[] {
  const base = smmu.read('EVTQ_BASE');
  const addr = getField([base], REGISTER_FIELDS.EVTQ_BASE!.find((f) => f.name === 'ADDR')!);
  const log2 = Math.min(Number(base & 0x1fn), smmu.features.evtqLog2);
  const prod = Number(smmu.read('EVTQ_PROD') & 0xfffffn);
  const cons = Number(smmu.read('EVTQ_CONS') & 0xfffffn);
  const out: QueueEntryView<{ name: string; fields: Record<string, bigint> }>[] = [];
  // Records from CONS up to PROD: what software has not consumed yet.
  for (let p = cons, n = 0; (p & ((2 << log2) - 1)) !== prod && n < 2 ** log2; p = (p + 1) & ((2 << log2) - 1), n++) {
    const address = addr + BigInt(queueIndex(p, log2) * EVENT_RECORD_BYTES);
    const words = readQwords(smmu.mem, address, 4) ?? [];
    const fields = decodeFields(words, EVENT_FIELDS);
    out.push({ index: queueIndex(p, log2), address, words, decoded: { name: EVENT_NAMES[Number(fields.EventID)] ?? `event 0x${(fields.EventID ?? 0n).toString(16)}`, fields } });
  }
  return out;
}

export function commandQueueView(smmu: Smmu, last = 32): QueueEntryView<SmmuCommand | undefined>[] {
  const base = smmu.read('CMDQ_BASE');
  const addr = getField([base], REGISTER_FIELDS.CMDQ_BASE!.find((f) => f.name === 'ADDR')!);
  const log2 = Math.min(Number(base & 0x1fn), smmu.features.cmdqLog2);
  const prod = Number(smmu.read('CMDQ_PROD')) & ((2 << log2) - 1);
  const out: QueueEntryView<SmmuCommand | undefined>[] = [];
  const n = Math.min(last, 2 ** log2);
  for (let i = n; i >= 1; i--) {
    const p = (prod - i + (4 << log2)) & ((2 << log2) - 1);
    const address = addr + BigInt(queueIndex(p, log2) * CMD_BYTES);
    const words = readQwords(smmu.mem, address, 2);
    if (!words || (words[0] === 0n && words[1] === 0n)) continue;
    out.push({ index: queueIndex(p, log2), address, words, decoded: decodeCommand([words[0] as bigint, words[1] as bigint]) });
  }
  return out;
}

export function registersView(smmu: Smmu): { name: RegisterName; value: bigint; fields?: Record<string, bigint> }[] {
  return REGISTER_NAMES.map((name) => {
    const value = smmu.read(name);
    const specs = REGISTER_FIELDS[name];
    return specs ? { name, value, fields: decodeFields([value], specs) } : { name, value };
  });
}

export interface CachedEntryView {
  readonly sid: number;
  readonly ssid?: number;
  readonly address: bigint;
  readonly words: readonly bigint[];
  /** Memory now differs from what the SMMU cached: a CFGI is missing. */
  readonly stale: boolean;
}

export function configCacheView(smmu: Smmu): { stes: CachedEntryView[]; cds: CachedEntryView[] } {
  const same = (a: readonly bigint[], b: readonly bigint[] | undefined) => !!b && a.every((w, i) => w === b[i]);
  const { stes, cds } = smmu.configCache.entries();
  return {
    stes: stes.map(([sid, e]) => ({ sid, address: e.address, words: e.words, stale: !same(e.words, readQwords(smmu.mem, e.address, 8)) })),
    cds: cds.map(([sid, ssid, e]) => ({ sid, ssid, address: e.address, words: e.words, stale: !same(e.words, readQwords(smmu.mem, e.address, 8)) })),
  };
}

export interface TlbRowView extends TlbEntryView {
  /** What a fresh walk of the tables in memory gives now, when it differs from the entry. */
  readonly stale?: { readonly now: bigint | 'fault' };
}

/**
 * IOTLB entries, each checked against a fresh walk through the CD (and STE)
 * the configuration cache holds for that VMID/ASID — the translation the SMMU
 * would make if the entry were invalidated.
 */
export function iotlbView(smmu: Smmu): TlbRowView[] {
  const { stes, cds } = smmu.configCache.entries();
  return smmu.iotlb.entries().map((e): TlbRowView => {
    for (const [sid, ste] of stes) {
      const d = ste.decision;
      if (d.kind !== 'translate' || d.vmid !== e.vmid) continue;
      const s2 = d.s2?.tables ?? null;
      let output: bigint | undefined | 'none' = 'none';
      if (e.asid < 0 && s2) output = translateStage2(smmu.mem, s2, e.input, { kind: 'read', privileged: true }).output;
      else {
        const cd = cds.find(([cs, , c]) => cs === sid && c.decision.kind === 'ok' && c.decision.cd.asid === e.asid);
        if (cd && cd[2].decision.kind === 'ok') output = translateStage1(smmu.mem, cd[2].decision.cd.regime, e.input, { kind: 'read', privileged: true }, s2).output;
      }
      if (output === 'none') continue;
      if (output === undefined) return { ...e, stale: { now: 'fault' } };
      return output === e.output ? e : { ...e, stale: { now: output } };
    }
    return e;
  });
}

