/**
 * The VT-d page walks, traced level by level: first stage (x86-64 4- or
 * 5-level paging), second stage (the VT-d second-stage format), and nested,
 * where every first-stage table pointer is a GPA the second stage
 * translates before it is read, and the first stage's output GPA is
 * translated once more (VT-d spec, "Nested Translation"; QEMU
 * vtd_iova_to_flpte / vtd_iova_to_slpte).
 *
 * Unlike the SMMU walk there is no untraced hot path: VT-d traffic in the
 * app is a few transactions per step, so every walk records its trace. The
 * walk reports what went wrong as a kind; the DMA path turns a kind into the
 * fault reason the unit's mode (legacy or scalable) gives it.
 */
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import { decodeFirstStage, decodeSecondStage, levelIndex, levelShift, type LargePages, type PagingEntryDecoded } from './paging.ts';

export type VtdFaultKind =
  | 'beyond-aw' | 'ss-root-access' | 'ss-access' | 'ss-not-present' | 'ss-reserved' | 'ss-read' | 'ss-write'
  | 'fs-non-canonical' | 'fs-root-access' | 'fs-access' | 'fs-not-present' | 'fs-reserved' | 'fs-us' | 'fs-write' | 'fs-exec'
  /** Nested: the second stage could not translate (or read-permit) the GPA of a first-stage table. */
  | 'nested-table-beyond' | 'nested-table-read';

export interface VtdWalkFault {
  readonly kind: VtdFaultKind;
  readonly stage: 'first' | 'second';
  readonly level: number;
  readonly why: string;
  /** The entry address whose read failed (access errors). */
  readonly address?: bigint;
  /** For a nested walk: the second-stage fault that stopped a first-stage table fetch. */
  readonly inner?: VtdWalkFault;
  /** For a nested walk: the first-stage level whose table the second stage was translating, and whether it was the root table. */
  readonly fsLevel?: number;
  readonly fsRoot?: boolean;
}

export interface VtdWalkStep {
  readonly stage: 'first' | 'second';
  readonly level: number;
  /** The table's address as the walk names it: a GPA for a nested first-stage table. */
  readonly tableAddress: bigint;
  readonly index: number;
  readonly indexBits: readonly [number, number];
  /** The physical address actually read. */
  readonly entryAddress: bigint;
  /** undefined when the read failed. */
  readonly entry?: bigint;
  readonly decoded?: PagingEntryDecoded;
  /** Nested: the second-stage walk that translated tableAddress. */
  readonly s2?: VtdStageWalk;
}

export interface VtdStageWalk {
  readonly steps: readonly VtdWalkStep[];
  readonly output?: bigint;
  readonly size?: bigint;
  readonly fault?: VtdWalkFault;
}

export interface Perms {
  readonly read: boolean;
  readonly write: boolean;
  readonly exec: boolean;
}

export interface WalkEnv {
  readonly mem: PhysicalMemory;
  readonly haw: number;
  readonly mgaw: number;
  readonly fsLarge: LargePages;
  readonly ssLarge: LargePages;
}

export interface SsTables {
  readonly root: bigint;
  /** 3, 4 or 5 (AW + 2). */
  readonly levels: number;
}

export interface FsTables {
  readonly root: bigint;
  /** 4 (FLPM = 0) or 5 (FLPM = 1). */
  readonly levels: number;
  /** PASID entry WPE / NXE: supervisor writes honour R/W; XD is honoured. */
  readonly wpe: boolean;
  readonly nxe: boolean;
}

/** What the request asks for, as the walk judges it. */
export interface WalkAccess {
  readonly write: boolean;
  readonly exec: boolean;
  /** A supervisor request (PR = 1); requests without PASID are user requests. */
  readonly supervisor: boolean;
}

export interface SsWalk extends VtdStageWalk {
  readonly perms?: Perms;
}

/** A second-stage walk of `input`; `need` is what the request must be allowed (a table fetch needs read only). */
export function walkSecondStage(env: WalkEnv, t: SsTables, input: bigint, need: { read: boolean; write: boolean }): SsWalk {
  const steps: VtdWalkStep[] = [];
  const width = Math.min(env.mgaw, 12 + 9 * t.levels);
  if (input >> BigInt(width) !== 0n) {
    return { steps, fault: { kind: 'beyond-aw', stage: 'second', level: t.levels, why: `input 0x${input.toString(16)} is beyond the ${width}-bit address width (min of MGAW and the ${t.levels}-level AGAW)` } };
  }
  let table = t.root;
  let read = true;
  let write = true;
  let exec = true;
  for (let level = t.levels; level >= 1; level--) {
    const index = levelIndex(input, level);
    const shift = levelShift(level);
    const entryAddress = table + BigInt(index * 8);
    const entry = env.mem.read64(entryAddress);
    const base = { stage: 'second' as const, level, tableAddress: table, index, indexBits: [shift + 8, shift] as const, entryAddress };
    if (entry === undefined) {
      steps.push(base);
      const top = level === t.levels;
      return { steps, fault: { kind: top ? 'ss-root-access' : 'ss-access', stage: 'second', level, address: entryAddress, why: `reading the level-${level} entry at 0x${entryAddress.toString(16)} failed: no memory there` } };
    }
    const decoded = decodeSecondStage(entry, level, env.haw, env.ssLarge);
    steps.push({ ...base, entry, decoded });
    if (decoded.type === 'not-present') return { steps, fault: { kind: 'ss-not-present', stage: 'second', level, why: `level-${level} entry has R = W = 0: not present` } };
    if (decoded.reserved !== 0n) return { steps, fault: { kind: 'ss-reserved', stage: 'second', level, why: `level-${level} entry has reserved bits set (0x${decoded.reserved.toString(16)})` } };
    read &&= decoded.fields.R === 1;
    write &&= decoded.fields.W === 1;
    exec &&= decoded.fields.X === 1;
    if (need.write && !write) return { steps, fault: { kind: 'ss-write', stage: 'second', level, why: `write request, W = 0 at level ${level}` } };
    if (need.read && !read) return { steps, fault: { kind: 'ss-read', stage: 'second', level, why: `read request, R = 0 at level ${level}` } };
    if (decoded.type === 'page') {
      const size = decoded.size as bigint;
      return { steps, output: (decoded.address as bigint) | (input & (size - 1n)), size, perms: { read, write, exec } };
    }
    table = decoded.address as bigint;
  }
  throw new Error('unreachable: level 1 entries are always leaves');
}

export interface FsWalk extends VtdStageWalk {
  readonly perms?: Perms & { readonly user: boolean };
  /** Nested: the second-stage walk of the output GPA. */
  readonly final?: SsWalk;
  /** Nested: the GPA the first stage produced. */
  readonly gpa?: bigint;
}

function canonical(input: bigint, width: number): boolean {
  const upper = input >> BigInt(width - 1);
  return upper === 0n || upper === (1n << BigInt(65 - width)) - 1n;
}

/** A first-stage walk; with `nested` every table address and the output are GPAs the second stage translates. */
export function walkFirstStage(env: WalkEnv, t: FsTables, input: bigint, access: WalkAccess, nested: SsTables | null): FsWalk {
  const steps: VtdWalkStep[] = [];
  const width = t.levels === 5 ? 57 : 48;
  if (!canonical(input, width)) {
    return { steps, fault: { kind: 'fs-non-canonical', stage: 'first', level: t.levels, why: `0x${input.toString(16)} is not canonical for ${width}-bit (${t.levels}-level) paging` } };
  }
  let table = t.root;
  let write = true;
  let user = true;
  let exec = true;
  for (let level = t.levels; level >= 1; level--) {
    const index = levelIndex(input, level);
    const shift = levelShift(level);
    let tablePa = table;
    let s2: SsWalk | undefined;
    if (nested) {
      s2 = walkSecondStage(env, nested, table, { read: true, write: false });
      if (s2.fault) {
        const f = s2.fault;
        const kind = f.kind === 'beyond-aw' ? 'nested-table-beyond' : f.kind === 'ss-read' || f.kind === 'ss-not-present' ? 'nested-table-read' : f.kind;
        steps.push({ stage: 'first', level, tableAddress: table, index, indexBits: [shift + 8, shift], entryAddress: table + BigInt(index * 8), s2 });
        return { steps, fault: { kind, stage: 'second', level: f.level, fsLevel: level, fsRoot: level === t.levels, inner: f, why: `translating the level-${level} first-stage table GPA 0x${table.toString(16)}: ${f.why}` } };
      }
      tablePa = s2.output as bigint;
    }
    const entryAddress = tablePa + BigInt(index * 8);
    const entry = env.mem.read64(entryAddress);
    const base = { stage: 'first' as const, level, tableAddress: table, index, indexBits: [shift + 8, shift] as const, entryAddress, ...(s2 ? { s2 } : {}) };
    if (entry === undefined) {
      steps.push(base);
      return { steps, fault: { kind: level === t.levels ? 'fs-root-access' : 'fs-access', stage: 'first', level, address: entryAddress, why: `reading the level-${level} entry at 0x${entryAddress.toString(16)} failed: no memory there` } };
    }
    const decoded = decodeFirstStage(entry, level, env.haw, env.fsLarge);
    steps.push({ ...base, entry, decoded });
    if (decoded.type === 'not-present') return { steps, fault: { kind: 'fs-not-present', stage: 'first', level, why: `level-${level} entry has P = 0` } };
    if (decoded.reserved !== 0n) return { steps, fault: { kind: 'fs-reserved', stage: 'first', level, why: `level-${level} entry has reserved bits set (0x${decoded.reserved.toString(16)})` } };
    write &&= decoded.fields['R/W'] === 1;
    user &&= decoded.fields['U/S'] === 1;
    exec &&= !(t.nxe && decoded.fields.XD === 1);
    if (!access.supervisor && !user) return { steps, fault: { kind: 'fs-us', stage: 'first', level, why: `user request, U/S = 0 at level ${level}` } };
    if (access.write && !write && (!access.supervisor || t.wpe)) return { steps, fault: { kind: 'fs-write', stage: 'first', level, why: `write request, R/W = 0 at level ${level}` } };
    if (access.exec && !exec) return { steps, fault: { kind: 'fs-exec', stage: 'first', level, why: `execute request, XD = 1 at level ${level} (NXE = 1)` } };
    if (decoded.type === 'page') {
      const size = decoded.size as bigint;
      const out = (decoded.address as bigint) | (input & (size - 1n));
      const perms = { read: true, write: write || (access.supervisor && !t.wpe), exec, user };
      if (!nested) return { steps, output: out, size, perms };
      const final = walkSecondStage(env, nested, out, { read: !access.write, write: access.write });
      if (final.fault) return { steps, gpa: out, final, fault: final.fault };
      const fp = final.perms as Perms;
      const finalSize = final.size as bigint;
      return {
        steps, gpa: out, final, output: final.output as bigint, size: size < finalSize ? size : finalSize,
        perms: { read: fp.read, write: perms.write && fp.write, exec: perms.exec, user },
      };
    }
    table = decoded.address as bigint;
  }
  throw new Error('unreachable: level 1 entries are always leaves');
}
