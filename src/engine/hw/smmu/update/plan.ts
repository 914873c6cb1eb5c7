/**
 * The driver's side of a live STE/CD update: the sequence of 64-bit stores
 * and syncs Linux's arm_smmu_write_entry() makes (drivers/iommu/arm/
 * arm-smmu-v3/arm-smmu-v3.c, v7.0), computed without doing it, so that the UI
 * can step through it and the SMMU model can replay it.
 *
 * The SMMU only promises 64-bit single-copy atomicity for the CPU's stores,
 * while an entry is eight qwords: a naive copy lets the SMMU fetch half an old
 * entry and half a new one. Linux avoids that with "used bits".
 */
import type { Words } from '../fields.ts';
import { ENTRY_QWORDS, checkEntry, entriesEqual, hex64, qwordAt, zeroEntry } from './entry-words.ts';
import { cdUsedBits, steUpdateSafeBits, steUsedBits } from './used-bits.ts';
import { EngineError } from '../../../util/assert.ts';

export type EntryKind = 'STE' | 'CD';
export type UsedBitsFn = (words: Words) => bigint[];
/** Bits used by both entries that may change at any moment (ops->get_update_safe). */
export type SafeBitsFn = (current: Words, target: Words) => bigint[];
export type SyncCommand = 'CMD_CFGI_STE' | 'CMD_CFGI_CD' | 'CMD_SYNC';

export type UpdateStep =
  | {
      kind: 'write';
      qword: number;
      value: bigint;
      /** The whole entry after this store. */
      entry: bigint[];
      /** The bits the SMMU may use now, i.e. usedBits(entry). */
      used: bigint[];
      why: string;
    }
  | { kind: 'sync'; commands: SyncCommand[]; entry: bigint[]; why: string };

/**
 * Which branch of arm_smmu_write_entry() runs: exactly one critical qword
 * (hitless), two or more (breaking: V=0 first), or none (only unused or
 * update-safe bits differ).
 */
export type UpdateStrategy = 'critical-qword' | 'breaking' | 'no-used-bit-change';

export interface UpdatePlan {
  steps: UpdateStep[];
  /** V is never cleared on the way: every entry the SMMU can fetch is the old or the new configuration. */
  hitless: boolean;
  syncs: number;
  writes: number;
  strategy: UpdateStrategy;
  /** Qwords whose used bits differ after the unused-bit pass (arm_smmu_entry_qword_diff). */
  criticalQwords: number[];
  /** What Linux would WARN_ON_ONCE about: target bits its own configuration does not use. */
  warnings: string[];
}

export interface PlanRequest {
  current: Words;
  target: Words;
  usedBits: UsedBitsFn;
  kind: EntryKind;
  /**
   * Default: arm_smmu_get_ste_update_safe for an STE, nothing for a CD (the
   * CD writer has no get_update_safe op). null: no safe bits, which is how
   * kernels before v7.0 sequenced an STE.
   */
  updateSafe?: SafeBitsFn | null;
  /** CD syncs issue one CMD_CFGI_CD per StreamID of the master before the CMD_SYNC (arm_smmu_sync_cd). */
  streams?: number;
}

/**
 * arm_smmu_entry_qword_diff: the intermediate entry with every bit the
 * current configuration ignores (or may change safely) already set to its new
 * value, and the set of qwords that still differ in bits the target uses.
 */
export function qwordDiff(current: Words, target: Words, usedBits: UsedBitsFn, updateSafe: SafeBitsFn | null): { unusedUpdate: bigint[]; critical: number[]; warnings: string[] } {
  const curUsed = usedBits(current);
  const targetUsed = usedBits(target);
  const safe = updateSafe ? updateSafe(current, target) : zeroEntry();
  const unusedUpdate = zeroEntry();
  const critical: number[] = [];
  const warnings: string[] = [];
  for (let i = 0; i < ENTRY_QWORDS; i++) {
    const t = qwordAt(target, i);
    const tUsed = qwordAt(targetUsed, i);
    // Safe bits only matter where both use them; elsewhere the unused rule already frees them.
    const s = qwordAt(safe, i) & tUsed & qwordAt(curUsed, i);
    const cUsed = qwordAt(curUsed, i) & ~s;
    if ((t & ~tUsed) !== 0n) {
      warnings.push(`target qword ${i} sets bits ${hex64(t & ~tUsed)} that its own configuration does not use (Linux: WARN_ON_ONCE in arm_smmu_entry_qword_diff)`);
    }
    const u = (qwordAt(current, i) & cUsed) | (t & ~cUsed);
    unusedUpdate[i] = u;
    // Compared with the whole target qword, as Linux does: a target bit outside its used mask also forces a write.
    if ((u & tUsed) !== t) critical.push(i);
  }
  return { unusedUpdate, critical, warnings };
}

interface Recorder {
  entry: bigint[];
  steps: UpdateStep[];
  usedBits: UsedBitsFn;
  commands: SyncCommand[];
  syncWhy: string;
}

/**
 * entry_set: store every qword in [start, start+len) that differs, in
 * ascending order, then one sync if anything changed.
 */
function entrySet(r: Recorder, source: readonly bigint[], start: number, len: number, why: (qword: number) => string): void {
  let changed = false;
  for (let i = start; i < start + len; i++) {
    const v = qwordAt(source, i);
    if (r.entry[i] === v) continue;
    r.entry[i] = v;
    changed = true;
    r.steps.push({ kind: 'write', qword: i, value: v, entry: [...r.entry], used: r.usedBits(r.entry), why: why(i) });
  }
  if (changed) r.steps.push({ kind: 'sync', commands: [...r.commands], entry: [...r.entry], why: r.syncWhy });
}

function syncCommands(kind: EntryKind, streams: number): SyncCommand[] {
  if (kind === 'STE') return ['CMD_CFGI_STE', 'CMD_SYNC'];
  return [...new Array<SyncCommand>(streams).fill('CMD_CFGI_CD'), 'CMD_SYNC'];
}

function syncWhy(kind: EntryKind): string {
  return kind === 'STE'
    ? 'arm_smmu_ste_writer_sync_entry: CMD_CFGI_STE (leaf) then CMD_SYNC, so the SMMU drops any cached copy and sees the stores above before the next step'
    : 'arm_smmu_sync_cd: CMD_CFGI_CD (leaf) for each StreamID of the master, then CMD_SYNC, so the SMMU drops any cached copy of the CD before the next step';
}

/** arm_smmu_write_entry, as a plan. */
export function planEntryUpdate(req: PlanRequest): UpdatePlan {
  const current = checkEntry(req.current, 'current');
  const target = checkEntry(req.target, 'target');
  const streams = req.streams ?? 1;
  if (!Number.isInteger(streams) || streams < 1) throw new EngineError(`streams must be a whole number of StreamIDs, at least 1; got ${streams}`, 'streams');
  const updateSafe = req.updateSafe === undefined ? (req.kind === 'STE' ? steUpdateSafeBits : null) : req.updateSafe;
  const { unusedUpdate, critical, warnings } = qwordDiff(current, target, req.usedBits, updateSafe);
  const r: Recorder = { entry: [...current], steps: [], usedBits: req.usedBits, commands: syncCommands(req.kind, streams), syncWhy: syncWhy(req.kind) };
  const name = req.kind;

  let strategy: UpdateStrategy;
  const [only] = critical;
  if (critical.length === 1 && only !== undefined) {
    strategy = 'critical-qword';
    // The critical qword is left alone in the first pass: it is written whole next, which can save a sync.
    const first = [...unusedUpdate];
    first[only] = qwordAt(current, only);
    entrySet(r, first, 0, ENTRY_QWORDS, (i) => `qword ${i}: set the bits the current ${name} ignores to their new values; the SMMU still sees the old configuration`);
    entrySet(r, target, only, 1, (i) => `qword ${i} is the critical qword: one 64-bit store switches the SMMU from the old configuration to the new one`);
    entrySet(r, target, 0, ENTRY_QWORDS, (i) => `qword ${i}: clear what the new configuration no longer uses; the SMMU ignores these bits now`);
  } else if (critical.length > 1) {
    strategy = 'breaking';
    const invalid = [...unusedUpdate];
    invalid[0] = 0n;
    entrySet(r, invalid, 0, 1, () => `qword 0 = 0 clears V: used bits differ in qwords ${critical.join(', ')}, so no single store can switch the ${name}; until qword 0 is written again the SMMU sees an invalid ${name} (C_BAD_${name})`);
    entrySet(r, target, 1, ENTRY_QWORDS - 1, (i) => `qword ${i}: written while the ${name} is invalid, so the SMMU reads none of it`);
    entrySet(r, target, 0, 1, () => `qword 0 last: V=1 and the new configuration appear together in one 64-bit store`);
  } else {
    strategy = 'no-used-bit-change';
    entrySet(r, target, 0, ENTRY_QWORDS, (i) => `qword ${i}: only bits that are unused, or safe to change at any moment, differ`);
  }

  if (!entriesEqual(r.entry, target)) throw new Error('planEntryUpdate: the plan does not end at the target (model bug)');
  return {
    steps: r.steps,
    hitless: strategy !== 'breaking',
    syncs: r.steps.filter((s) => s.kind === 'sync').length,
    writes: r.steps.filter((s) => s.kind === 'write').length,
    strategy,
    criticalQwords: critical,
    warnings,
  };
}

/** arm_smmu_write_ste's plan: STE used bits, STE update-safe bits, CMD_CFGI_STE syncs. */
export function planSteUpdate(current: Words, target: Words, opts: Pick<PlanRequest, 'updateSafe'> = {}): UpdatePlan {
  return planEntryUpdate({ current, target, usedBits: steUsedBits, kind: 'STE', ...opts });
}

/** arm_smmu_write_cd_entry's plan: CD used bits, no safe bits, CMD_CFGI_CD syncs. */
export function planCdUpdate(current: Words, target: Words, opts: Pick<PlanRequest, 'streams'> = {}): UpdatePlan {
  return planEntryUpdate({ current, target, usedBits: cdUsedBits, kind: 'CD', ...opts });
}
