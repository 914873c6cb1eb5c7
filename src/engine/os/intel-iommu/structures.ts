/**
 * Where the driver puts a device's context entry and a PASID's PASID entry,
 * allocating a context table (per bus; per half-bus in scalable mode) and a
 * PASID table (per 64 PASIDs) on first use, as Linux's iommu_context_addr()
 * and intel_pasid_get_entry() do, and writing an entry field by field.
 * Writers for entries the unit is not using yet, and for scenarios that show
 * what goes wrong without the invalidation that must follow a change.
 */
import type { MemoryWrite } from '../../events.ts';
import type { TableAllocator } from '../../hw/memory/table-allocator.ts';
import { encodeFields, getField, type FieldValues } from '../../hw/smmu/fields.ts';
import { bdf } from '../../hw/vtd/bdf.ts';
import { readWords } from '../../hw/vtd/structures-fetch.ts';
import {
  LEGACY_CONTEXT_BYTES, LEGACY_CONTEXT_FIELDS, PASID_DIR_FIELDS, PASID_ENTRY_BYTES, PASID_ENTRY_FIELDS, PASID_PDE_SHIFT,
  ROOT_ENTRY_BYTES, SM_CONTEXT_BYTES, SM_CONTEXT_FIELDS,
} from '../../hw/vtd/structures.ts';
import type { VtdUnit } from '../../hw/vtd/vtd.ts';
import { EngineError } from '../../util/assert.ts';
import { storeQwords } from '../arm-smmu-v3/cmdq.ts';

export interface EntryWrite {
  readonly address: bigint;
  readonly words: readonly bigint[];
  readonly writes: MemoryWrite[];
}

function scalable(unit: VtdUnit): boolean {
  const rt = unit.rootTable;
  if (!rt) throw new EngineError('the VT-d unit has no root table yet: probe it first', 'sid');
  return rt.mode === 'scalable';
}

/** The PA of a requester's context entry, allocating its context table (and writing the root entry) on first use. */
export function contextAddressFor(unit: VtdUnit, alloc: TableAllocator, sid: number, writes: MemoryWrite[]): bigint {
  if (!Number.isInteger(sid) || sid < 0 || sid > 0xffff) throw new EngineError('sid must be a requester ID 0..0xffff (bus << 8 | devfn)', 'sid');
  const sm = scalable(unit);
  const rt = unit.rootTable as { address: bigint };
  const bus = sid >> 8;
  const devfn = sid & 0xff;
  const rootAddress = rt.address + BigInt(bus * ROOT_ENTRY_BYTES);
  const upper = sm && devfn >= 128;
  const halfAddress = rootAddress + (upper ? 8n : 0n);
  let half = unit.mem.read64(halfAddress) ?? 0n;
  if ((half & 1n) === 0n) {
    const table = alloc.alloc(4096n);
    half = table | 1n;
    const name = sm ? `root entry ${bus} ${upper ? 'UCTP/UP (devfn 128-255)' : 'LCTP/LP (devfn 0-127)'}` : `root entry ${bus}: CTP/P`;
    storeQwords(unit.mem, halfAddress, [half], `${name} -> new context table`, writes);
  }
  const index = upper ? devfn & 0x7f : devfn;
  return (half & ~0xfffn) + BigInt(index * (sm ? SM_CONTEXT_BYTES : LEGACY_CONTEXT_BYTES));
}

/** The PA of a requester's context entry if its context table exists; nothing is allocated. */
function existingContextAddress(unit: VtdUnit, sid: number): bigint | undefined {
  const sm = scalable(unit);
  const rt = unit.rootTable as { address: bigint };
  const devfn = sid & 0xff;
  const upper = sm && devfn >= 128;
  const half = unit.mem.read64(rt.address + BigInt((sid >> 8) * ROOT_ENTRY_BYTES) + (upper ? 8n : 0n)) ?? 0n;
  if ((half & 1n) === 0n) return undefined;
  return (half & ~0xfffn) + BigInt((upper ? devfn & 0x7f : devfn) * (sm ? SM_CONTEXT_BYTES : LEGACY_CONTEXT_BYTES));
}

/** Writes a context entry field by field (unnamed fields are 0): legacy fields or scalable-mode fields as the root table's mode says. */
export function writeContext(unit: VtdUnit, alloc: TableAllocator, sid: number, fields: Partial<FieldValues>): EntryWrite {
  const sm = scalable(unit);
  const other = sm ? LEGACY_CONTEXT_FIELDS : SM_CONTEXT_FIELDS;
  const mine = sm ? SM_CONTEXT_FIELDS : LEGACY_CONTEXT_FIELDS;
  for (const name of Object.keys(fields)) {
    if (!mine.some((f) => f.name === name) && other.some((f) => f.name === name)) {
      throw new EngineError(`${name} is a ${sm ? 'legacy' : 'scalable'}-mode context-entry field; this unit's root table is in ${sm ? 'scalable' : 'legacy'} mode`, name);
    }
  }
  const words = encodeFields(fields, sm ? SM_CONTEXT_FIELDS : LEGACY_CONTEXT_FIELDS, sm ? 4 : 2);
  const writes: MemoryWrite[] = [];
  const address = contextAddressFor(unit, alloc, sid, writes);
  storeQwords(unit.mem, address, words, `context entry ${bdf(sid)}`, writes);
  return { address, words, writes };
}

/** The PA of a PASID entry, from the scalable-mode context entry's PASID directory, allocating the PASID table on first use. */
export function pasidEntryAddressFor(unit: VtdUnit, alloc: TableAllocator, sid: number, pasid: number, writes: MemoryWrite[]): bigint {
  if (!scalable(unit)) throw new EngineError('PASID entries exist only in scalable mode (RTADDR.TTM = 01)', 'pasid');
  if (!Number.isInteger(pasid) || pasid < 0 || pasid >= 1 << 20) throw new EngineError('pasid must be 0..0xfffff', 'pasid');
  const ctxAddress = existingContextAddress(unit, sid);
  const ctx = (ctxAddress !== undefined ? readWords(unit.mem, ctxAddress, 4) : undefined) ?? [0n, 0n, 0n, 0n];
  const dirBase = getField(ctx, SM_CONTEXT_FIELDS.find((f) => f.name === 'PASIDDIRPTR')!);
  if (dirBase === 0n) throw new EngineError(`the context entry of ${bdf(sid)} has no PASID directory (PASIDDIRPTR = 0): write it first`, 'sid');
  const pdts = Number(getField(ctx, SM_CONTEXT_FIELDS.find((f) => f.name === 'PDTS')!));
  const dirIndex = pasid >> PASID_PDE_SHIFT;
  if (dirIndex >= 2 ** (pdts + 7)) throw new EngineError(`PASID ${pasid} is beyond the PASID directory (PDTS = ${pdts}: ${2 ** (pdts + 7)} entries)`, 'pasid');
  const dirAddress = dirBase + BigInt(dirIndex * 8);
  let dir = unit.mem.read64(dirAddress) ?? 0n;
  if ((dir & 1n) === 0n) {
    const table = alloc.alloc(4096n);
    dir = encodeFields({ P: 1n, PASIDPTR: table }, PASID_DIR_FIELDS, 1)[0] as bigint;
    storeQwords(unit.mem, dirAddress, [dir], `PASID directory entry ${dirIndex} (PASIDs ${dirIndex * 64}-${dirIndex * 64 + 63}) -> new PASID table`, writes);
  }
  return (dir & ~0xfffn) + BigInt((pasid & 0x3f) * PASID_ENTRY_BYTES);
}

export function writePasidEntry(unit: VtdUnit, alloc: TableAllocator, sid: number, pasid: number, fields: Partial<FieldValues>): EntryWrite {
  const words = encodeFields(fields, PASID_ENTRY_FIELDS, 8);
  const writes: MemoryWrite[] = [];
  const address = pasidEntryAddressFor(unit, alloc, sid, pasid, writes);
  storeQwords(unit.mem, address, words, `PASID entry ${pasid} of ${bdf(sid)}`, writes);
  return { address, words, writes };
}
