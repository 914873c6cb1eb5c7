/**
 * What a successful walk leaves in the IOTLB: the translation of the
 * smaller of the two stages' blocks, and which of the six accesses (read,
 * write, execute; privileged or not) each stage allows, worked out from the
 * leaf descriptors the walk read — so a later hit can still raise the
 * permission fault the walk would have.
 */
import { hi32, lo32 } from '../../util/u64.ts';
import type { Stage1Regime } from '../pgtable/regime.ts';
import type { WalkResult, WalkStep } from '../pgtable/types.ts';
import { Reason } from '../pgtable/walk-codes.ts';
import { checkStage1Permission, checkStage2Permission } from '../pgtable/walk-permissions.ts';
import { TlbStage, permBit } from './iotlb.ts';

const ALL = 0x3f;
const ACCESSES = [0, 1, 2, 4, 5, 6];

function leaf(steps: readonly WalkStep[]): { dLo: number; dHi: number; level: number } {
  const last = steps.at(-1);
  const d = last?.descriptor ?? 0n;
  return { dLo: lo32(d), dHi: hi32(d), level: last?.level ?? 0 };
}

/** Accesses a stage-1 leaf allows, given the table attributes gathered above it (bit 3 APTable[1], 2 APTable[0], 1 UXNTable, 0 PXNTable). */
export function stage1LeafPerms(dLo: number, dHi: number, hier: number): number {
  let perms = 0;
  for (let i = 0; i < ACCESSES.length; i++) {
    const a = ACCESSES[i] as number;
    if (checkStage1Permission(a, dLo, dHi, (hier >>> 3) & 1, (hier >>> 2) & 1, (hier >>> 1) & 1, hier & 1) === Reason.None) perms |= permBit(a);
  }
  return perms;
}

/** Accesses a stage-2 leaf allows. */
export function stage2LeafPerms(dLo: number, dHi: number): number {
  let perms = 0;
  for (let i = 0; i < ACCESSES.length; i++) {
    const a = ACCESSES[i] as number;
    if (checkStage2Permission(a, dLo, dHi) === Reason.None) perms |= permBit(a);
  }
  return perms;
}

function stage1Perms(walk: WalkResult, regime: Stage1Regime): { perms: number; level: number } {
  const { dLo, dHi, level } = leaf(walk.steps);
  const t = walk.setup?.ttbr === 1 ? regime.ttbr1 : regime.ttbr0;
  let hier = 0;
  if (t?.hierarchical) for (const s of walk.steps.slice(0, -1)) hier |= (hi32(s.descriptor ?? 0n) >>> 27) & 0xf;
  return { perms: stage1LeafPerms(dLo, dHi, hier), level };
}

function stage2Perms(steps: readonly WalkStep[]): { perms: number; level: number } {
  const { dLo, dHi, level } = leaf(steps);
  return { perms: stage2LeafPerms(dLo, dHi), level };
}

export function tlbEntryFromWalk(walk: WalkResult, stage: TlbStage, vmid: number, asid: number, regime: Stage1Regime | null) {
  const size = walk.mappingSize as bigint;
  const shift = size.toString(2).length - 1;
  const s1 = stage !== TlbStage.S2 && regime ? stage1Perms(walk, regime) : { perms: ALL, level: 0 };
  const s2 = stage === TlbStage.Nested ? stage2Perms(walk.stage2?.steps ?? []) : stage === TlbStage.S2 ? stage2Perms(walk.steps) : { perms: ALL, level: 0 };
  const output = walk.output as bigint;
  const ipa = stage === TlbStage.Nested ? (walk.ipa as bigint) : walk.input;
  return {
    vmid, asid, stage, shift,
    hi: hi32(walk.input), lo: lo32(walk.input),
    outHi: hi32(output), outLo: lo32(output),
    ipaHi: hi32(ipa), ipaLo: lo32(ipa),
    perms1: s1.perms, perms2: s2.perms, level1: s1.level, level2: s2.level,
  };
}
