/**
 * The traced walks as the rest of the engine and the UI see them: bigint in,
 * a WalkResult with every level out. They drive the same walk functions as
 * the hot path, with trace sinks attached.
 */
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import { fromHalves, hi32, lo32 } from '../../util/u64.ts';
import type { Stage1Regime } from './regime.ts';
import type { WalkTables } from './tables.ts';
import type { Access, WalkFault, WalkResult, WalkSetup, WalkStep } from './types.ts';
import { ACCESS_EXEC, ACCESS_READ, ACCESS_UNPRIVILEGED, ACCESS_WRITE, newWalkOut, walkStage1, walkStage2, type WalkOut } from './walk.ts';
import { faultOf, stageWalkOf } from './walk-trace.ts';

export function encodeAccess(access: Access): number {
  const kind = access.kind === 'read' ? ACCESS_READ : access.kind === 'write' ? ACCESS_WRITE : ACCESS_EXEC;
  return kind | (access.privileged ? 0 : ACCESS_UNPRIVILEGED);
}

const CLASS_NAMES = ['CD', 'TT', 'IN'] as const;

function setupOf(t: WalkTables, ttbr: 0 | 1 | undefined): WalkSetup {
  const g = t.geometry;
  return { ...(ttbr === undefined ? {} : { ttbr }), granule: g.granule, inputSize: g.inputSize, startLevel: g.startLevel, stride: g.stride };
}

function fullFault(out: WalkOut): WalkFault | undefined {
  const f = faultOf(out);
  if (!f || out.stage === 1) return f;
  return { ...f, stage: 2, class: CLASS_NAMES[out.faultClass], ipa: fromHalves(out.ipaHi, out.ipaLo) };
}

function result(input: bigint, access: Access, setup: WalkSetup | undefined, steps: WalkStep[], out: WalkOut, ok: boolean): WalkResult {
  if (ok) return { input, access, setup, steps, output: fromHalves(out.hi, out.lo), mappingSize: 1n << BigInt(out.mapShift) };
  return { input, access, setup, steps, fault: fullFault(out) };
}

/** Stage-1 walk, nested through `s2` when given. */
export function translateStage1(mem: PhysicalMemory, regime: Stage1Regime, input: bigint, access: Access, s2: WalkTables | null = null): WalkResult {
  const out = newWalkOut();
  const steps: WalkStep[] = [];
  const finalSteps: WalkStep[] = [];
  const ok = walkStage1(mem, regime, hi32(input), lo32(input), encodeAccess(access), out, steps, s2, finalSteps);
  const t = out.ttbr === 1 ? regime.ttbr1 : out.ttbr === 0 ? regime.ttbr0 : undefined;
  const base = result(input, access, t && setupOf(t, out.ttbr as 0 | 1), steps, out, ok);
  // The final IPA's stage-2 walk happened if the stage-1 walk reached a leaf.
  const reachedStage2 = s2 !== null && (ok || (out.stage === 2 && out.faultClass === 2));
  if (!reachedStage2) return base;
  const final = ok ? { steps: finalSteps, output: base.output } : stageWalkOf(finalSteps, { ...out, stage: 2 } as WalkOut);
  return { ...base, stage2: final, ipa: fromHalves(out.ipaHi, out.ipaLo) };
}

/** Stage-2-only walk of an IPA. */
export function translateStage2(mem: PhysicalMemory, s2: WalkTables, input: bigint, access: Access): WalkResult {
  const out = newWalkOut();
  const steps: WalkStep[] = [];
  const ok = walkStage2(mem, s2, hi32(input), lo32(input), encodeAccess(access), out, steps);
  return result(input, access, setupOf(s2, undefined), steps, out, ok);
}
