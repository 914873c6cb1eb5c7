/**
 * Plain-data projections of a VT-d unit for the UI, to be drawn beside the
 * SMMU's: the root table, context entries, PASID directories and PASID
 * entries decoded by field name; the context cache, PASID cache and IOTLB,
 * each entry compared with what memory says now (stale when they differ:
 * the visible consequence of a missing invalidation); the invalidation
 * queue; the fault records as Linux would print them.
 */
import { decodeFields, type FieldValues } from '../hw/smmu/fields.ts';
import { VtdCaches } from '../hw/vtd/caches.ts';
import { runVtdDma } from '../hw/vtd/dma.ts';
import { faultReason } from '../hw/vtd/fault-reasons.ts';
import { encodeFaultRecord, linuxFaultMessage, type FaultRecord } from '../hw/vtd/fault-record.ts';
import { CAP_FIELDS, ECAP_FIELDS, type VtdFeatures } from '../hw/vtd/features.ts';
import { decodeInvDescriptor, describeInv } from '../hw/vtd/inv-desc.ts';
import { REGISTER_FIELDS, VTD_REGISTER_NAMES, type VtdRegisterName } from '../hw/vtd/registers.ts';
import { bdf } from '../hw/vtd/bdf.ts';
import { readWords } from '../hw/vtd/structures-fetch.ts';
import {
  LEGACY_CONTEXT_FIELDS, LEGACY_ROOT_FIELDS, PASID_DIR_FIELDS, PASID_ENTRY_FIELDS, PGTT_NAMES, SM_CONTEXT_FIELDS, SM_ROOT_FIELDS,
} from '../hw/vtd/structures.ts';
import type { VtdUnit } from '../hw/vtd/vtd.ts';

export interface VtdRegisterView {
  readonly name: VtdRegisterName;
  readonly value: bigint;
  readonly fields: Readonly<Record<string, bigint>>;
}

export interface PasidEntryRow {
  readonly pasid: number;
  readonly address: bigint;
  readonly words: readonly bigint[];
  readonly fields: FieldValues;
  /** first-stage / second-stage / nested / pass-through, or "reserved (n)". */
  readonly pgtt: string;
}

export interface PasidDirRow {
  readonly index: number;
  readonly address: bigint;
  readonly word: bigint;
  readonly fields: FieldValues;
  /** Present PASID entries of the PASID table it points at. */
  readonly entries: readonly PasidEntryRow[];
}

export interface ContextRow {
  readonly sid: number;
  readonly bdf: string;
  readonly address: bigint;
  readonly words: readonly bigint[];
  readonly fields: FieldValues;
  /** Legacy: from TT; scalable mode: "PASID table" (the PASID entries decide). */
  readonly translation: string;
  /** Scalable mode: the PASID directory's present entries. */
  readonly pasidDirectory?: { readonly address: bigint; readonly entries: readonly PasidDirRow[] };
}

export interface RootRow {
  readonly bus: number;
  readonly address: bigint;
  readonly words: readonly bigint[];
  readonly fields: FieldValues;
  readonly contexts: readonly ContextRow[];
}

export interface VtdView {
  readonly features: VtdFeatures;
  readonly registers: readonly VtdRegisterView[];
  readonly enabled: boolean;
  readonly mode: 'legacy' | 'scalable' | 'invalid' | null;
  readonly rootTable: bigint | null;
  /** Buses whose root entry is present, with their present context entries. */
  readonly roots: readonly RootRow[];
  readonly caches: {
    readonly context: readonly { readonly sid: number; readonly bdf: string; readonly address: bigint; readonly did: number | null; readonly stale: boolean }[];
    readonly pasid: readonly { readonly sid: number; readonly bdf: string; readonly pasid: number; readonly did: number; readonly address: bigint; readonly stale: boolean }[];
    readonly iotlb: readonly { readonly did: number; readonly pasid: number | null; readonly kind: string; readonly page: bigint; readonly size: bigint; readonly output: bigint; readonly read: boolean; readonly write: boolean; readonly sid: number; readonly stale: boolean }[];
  };
  readonly queue: {
    readonly base: bigint; readonly descBytes: number; readonly slots: number; readonly head: number; readonly tail: number;
    /** Slots that hold a descriptor (non-zero), decoded. */
    readonly entries: readonly { readonly index: number; readonly address: bigint; readonly words: readonly bigint[]; readonly summary: string }[];
  };
  readonly faults: {
    readonly fsts: { readonly PFO: boolean; readonly PPF: boolean; readonly FRI: number; readonly IQE: boolean };
    readonly records: readonly { readonly index: number; readonly record: FaultRecord; readonly words: readonly [bigint, bigint]; readonly name: string; readonly text: string; readonly linux: string }[];
  };
}

function fieldsOf(value: bigint, spec: readonly (readonly [string, number, number])[] | undefined): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const [name, msb, lsb] of spec ?? []) out[name] = (value >> BigInt(lsb)) & ((1n << BigInt(msb - lsb + 1)) - 1n);
  return out;
}

function pasidDirectory(unit: VtdUnit, dirBase: bigint, pdts: number): ContextRow['pasidDirectory'] {
  const entries: PasidDirRow[] = [];
  for (let i = 0; i < 2 ** (pdts + 7); i++) {
    const address = dirBase + BigInt(i * 8);
    const word = unit.mem.read64(address);
    if (word === undefined || (word & 1n) === 0n) continue;
    const f = decodeFields([word], PASID_DIR_FIELDS);
    const rows: PasidEntryRow[] = [];
    for (let j = 0; j < 64; j++) {
      const a = (f.PASIDPTR as bigint) + BigInt(j * 64);
      const words = readWords(unit.mem, a, 8);
      if (!words || ((words[0] as bigint) & 1n) === 0n) continue;
      const pf = decodeFields(words, PASID_ENTRY_FIELDS);
      rows.push({ pasid: i * 64 + j, address: a, words, fields: pf, pgtt: PGTT_NAMES[Number(pf.PGTT)] ?? `reserved (${pf.PGTT})` });
    }
    entries.push({ index: i, address, word, fields: f, entries: rows });
  }
  return { address: dirBase, entries };
}

const LEGACY_TT: Readonly<Record<number, string>> = { 0: 'second-stage (untranslated requests)', 1: 'second-stage (with device-TLB)', 2: 'pass-through' };

function contextsOf(unit: VtdUnit, bus: number, tableAddress: bigint, first: number, count: number, sm: boolean): ContextRow[] {
  const rows: ContextRow[] = [];
  for (let i = 0; i < count; i++) {
    const address = tableAddress + BigInt(i * (sm ? 32 : 16));
    const words = readWords(unit.mem, address, sm ? 4 : 2);
    if (!words || ((words[0] as bigint) & 1n) === 0n) continue;
    const sid = (bus << 8) | (first + i);
    const fields = decodeFields(words, sm ? SM_CONTEXT_FIELDS : LEGACY_CONTEXT_FIELDS);
    rows.push({
      sid, bdf: bdf(sid), address, words, fields,
      translation: sm ? 'PASID table' : LEGACY_TT[Number(fields.TT)] ?? `reserved TT ${fields.TT}`,
      ...(sm && (fields.PASIDDIRPTR as bigint) !== 0n ? { pasidDirectory: pasidDirectory(unit, fields.PASIDDIRPTR as bigint, Number(fields.PDTS)) } : {}),
    });
  }
  return rows;
}

const same = (a: readonly bigint[] | undefined, b: readonly bigint[]): boolean => a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

export function vtdView(unit: VtdUnit): VtdView {
  const rt = unit.rootTable;
  const sm = rt?.mode === 'scalable';
  const roots: RootRow[] = [];
  if (rt) {
    for (let bus = 0; bus < 256; bus++) {
      const address = rt.address + BigInt(bus * 16);
      const words = readWords(unit.mem, address, 2);
      if (!words || (((words[0] as bigint) | (sm ? (words[1] as bigint) : 0n)) & 1n) === 0n) continue;
      const contexts = sm
        ? [
            ...((words[0] as bigint) & 1n ? contextsOf(unit, bus, (words[0] as bigint) & ~0xfffn, 0, 128, true) : []),
            ...((words[1] as bigint) & 1n ? contextsOf(unit, bus, (words[1] as bigint) & ~0xfffn, 128, 128, true) : []),
          ]
        : contextsOf(unit, bus, (words[0] as bigint) & ~0xfffn, 0, 256, false);
      roots.push({ bus, address, words, fields: decodeFields(words, sm ? SM_ROOT_FIELDS : LEGACY_ROOT_FIELDS), contexts });
    }
  }
  const c = unit.caches;
  // Memory truth for the IOTLB: a fresh translation with empty caches and a muted fault log.
  const fresh = (sid: number, pasid: number | null, address: bigint, write: boolean): bigint | undefined => {
    if (!rt) return undefined;
    const o = runVtdDma({ mem: unit.mem, features: unit.features, caches: new VtdCaches(), enabled: true, mode: rt.mode, rootTable: rt.address, recordFault: () => ({ recorded: false, why: 'view' }) },
      { sid, ...(pasid !== null && pasid !== 0 ? { pasid } : {}), address, access: { kind: write ? 'write' : 'read', privileged: false } });
    return o.result === 'translated' ? o.output : undefined;
  };
  const q = unit.queue;
  const entries: VtdView['queue']['entries'][number][] = [];
  if (q.base !== 0n) {
    for (let i = 0; i < q.slots; i++) {
      const address = q.base + BigInt(i * q.descBytes);
      const words = readWords(unit.mem, address, q.descBytes / 8) ?? [];
      if (words.every((w) => w === 0n)) continue;
      const d = decodeInvDescriptor(words[0] ?? 0n, words[1] ?? 0n);
      entries.push({ index: i, address, words, summary: d.ok ? describeInv(d.descriptor) : d.why });
    }
  }
  const fsts = unit.read('FSTS');
  return {
    features: unit.features,
    registers: VTD_REGISTER_NAMES.map((name) => {
      const value = unit.read(name);
      return { name, value, fields: name === 'CAP' ? fieldsOf(value, CAP_FIELDS) : name === 'ECAP' ? fieldsOf(value, ECAP_FIELDS) : fieldsOf(value, REGISTER_FIELDS[name]) };
    }),
    enabled: unit.enabled,
    mode: rt?.mode ?? null,
    rootTable: rt?.address ?? null,
    roots,
    caches: {
      context: [...c.context.values()].map((e) => ({ sid: e.sid, bdf: bdf(e.sid), address: e.address, did: e.did, stale: !same(readWords(unit.mem, e.address, e.words.length), e.words) })),
      pasid: [...c.pasid.values()].map((e) => ({ sid: e.sid, bdf: bdf(e.sid), pasid: e.pasid, did: e.did, address: e.address, stale: !same(readWords(unit.mem, e.address, 8), e.words) })),
      iotlb: c.iotlb.map((e) => {
        const now = fresh(e.sid, e.pasid, e.page, !e.perms.read);
        return { did: e.did, pasid: e.pasid, kind: e.kind, page: e.page, size: e.size, output: e.output, read: e.perms.read, write: e.perms.write, sid: e.sid, stale: now !== e.output };
      }),
    },
    queue: { base: q.base, descBytes: q.descBytes, slots: q.slots, head: q.head, tail: q.tail, entries },
    faults: {
      fsts: { PFO: (fsts & 1n) !== 0n, PPF: (fsts & 2n) !== 0n, FRI: Number((fsts >> 8n) & 0xffn), IQE: (fsts & 0x10n) !== 0n },
      records: unit.faultRecords.flatMap((r, index) => (r ? [{ index, record: r, words: encodeFaultRecord(r), name: faultReason(r.reason).name, text: faultReason(r.reason).text, linux: linuxFaultMessage(r) }] : [])),
    },
  };
}
