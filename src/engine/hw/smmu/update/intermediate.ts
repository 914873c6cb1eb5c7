/**
 * What the SMMU sees if it fetches an entry in the middle of an update.
 *
 * The same judgement as Linux's KUnit writer check
 * (arm_smmu_test_writer_record_syncs in arm-smmu-v3-test.c): compare the
 * entry with the old and the new one only in the bits the entry's own
 * configuration uses, less the update-safe bits. Comparing in those bits is
 * enough: V, Config, S1DSS and EPD0 decide the used mask and are themselves
 * used, so an entry that agrees with a reference in its used bits also has
 * that reference's used mask.
 */
import type { Words } from '../fields.ts';
import { ENTRY_QWORDS, qwordAt, zeroEntry } from './entry-words.ts';
import type { SafeBitsFn, UsedBitsFn } from './plan.ts';

/**
 * 'current' / 'target': the SMMU acts exactly as with the old / new entry.
 * 'invalid': V = 0 while neither end is invalid: a clean disruption (the SMMU
 * terminates the stream's traffic) but never a mixture.
 * 'mixed': neither; the SMMU could act on a configuration nobody wrote.
 */
export type IntermediateKind = 'current' | 'target' | 'invalid' | 'mixed';

function sameInUsedBits(entry: Words, ref: Words, usedBits: UsedBitsFn, updateSafe: SafeBitsFn | null): boolean {
  const used = usedBits(entry);
  const safe = updateSafe ? updateSafe(entry, ref) : null;
  for (let i = 0; i < ENTRY_QWORDS; i++) {
    const mask = qwordAt(used, i) & ~(safe ? qwordAt(safe, i) : 0n);
    if ((qwordAt(entry, i) & mask) !== (qwordAt(ref, i) & mask)) return false;
  }
  return true;
}

/**
 * V sits in qword 0 of both structures, and an invalid entry's used mask is V
 * alone (arm_smmu_get_ste_used / arm_smmu_get_cd_used), so the mask of an
 * all-zero entry locates V for either layout.
 */
function isValid(entry: Words, usedBits: UsedBitsFn): boolean {
  const vMask = qwordAt(usedBits(zeroEntry()), 0);
  return (qwordAt(entry, 0) & vMask) !== 0n;
}

export function classifyIntermediate(entry: Words, current: Words, target: Words, usedBits: UsedBitsFn, updateSafe: SafeBitsFn | null = null): IntermediateKind {
  if (sameInUsedBits(entry, current, usedBits, updateSafe)) return 'current';
  if (sameInUsedBits(entry, target, usedBits, updateSafe)) return 'target';
  if (!isValid(entry, usedBits)) return 'invalid';
  return 'mixed';
}

/**
 * True when an SMMU fetching `entry` would act as with `current`, as with
 * `target`, or see a clean invalid entry: never a mixture of the two.
 */
export function isSafeIntermediate(entry: Words, current: Words, target: Words, usedBits: UsedBitsFn, updateSafe: SafeBitsFn | null = null): boolean {
  return classifyIntermediate(entry, current, target, usedBits, updateSafe) !== 'mixed';
}
