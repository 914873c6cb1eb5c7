/**
 * Helpers shared by the update model: an STE or a CD is eight 64-bit words
 * ("qwords"), and the driver's algorithm works on per-qword bit masks built
 * from the field tables.
 */
import { EngineError } from '../../../util/assert.ts';
import { fieldByName, fieldMask, type FieldSpec, type Words } from '../fields.ts';

/** Both structures are 64 bytes: NUM_ENTRY_QWORDS in arm-smmu-v3.h. */
export const ENTRY_QWORDS = 8;

/** Every bit of one qword: what arm_smmu_get_cd_used's memset(0xFF) gives each qword. */
export const ALL_BITS = (1n << 64n) - 1n;

export function zeroEntry(): bigint[] {
  return new Array<bigint>(ENTRY_QWORDS).fill(0n);
}

/** The union of the named fields, one mask per qword. */
export function fieldsMask(specs: readonly FieldSpec[], names: readonly string[]): bigint[] {
  const out = zeroEntry();
  for (const name of names) {
    const f = fieldByName(specs, name);
    out[f.qword] = (out[f.qword] ?? 0n) | fieldMask(f);
  }
  return out;
}

/** used |= mask, qword by qword (in place, returns used). */
export function orInto(used: bigint[], mask: readonly bigint[]): bigint[] {
  for (let i = 0; i < ENTRY_QWORDS; i++) used[i] = (used[i] ?? 0n) | (mask[i] ?? 0n);
  return used;
}

export function qwordAt(words: Words, i: number): bigint {
  return words[i] ?? 0n;
}

/**
 * Refuses anything that is not eight unsigned 64-bit values, naming the
 * argument and the qword at fault.
 */
export function checkEntry(words: Words, what: string): bigint[] {
  if (!Array.isArray(words) || words.length !== ENTRY_QWORDS) {
    const n = Array.isArray(words) ? words.length : 'no';
    throw new EngineError(`${what} must be ${ENTRY_QWORDS} qwords; got ${n}`, what);
  }
  return words.map((w, i) => {
    if (typeof w !== 'bigint' || w < 0n || w > ALL_BITS) {
      throw new EngineError(`${what}[${i}] must be an unsigned 64-bit value; got ${String(w)}`, `${what}[${i}]`);
    }
    return w;
  });
}

export function entriesEqual(a: Words, b: Words): boolean {
  for (let i = 0; i < ENTRY_QWORDS; i++) if (qwordAt(a, i) !== qwordAt(b, i)) return false;
  return true;
}

export function hex64(v: bigint): string {
  return `0x${v.toString(16).padStart(16, '0')}`;
}
