/**
 * The traced walk as the rest of the engine and the UI see it: bigint in,
 * a WalkResult with every level out. It drives the same walkStage1 as the
 * hot path, with a trace sink attached.
 */
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import { fromHalves, hi32, lo32 } from '../../util/u64.ts';
import type { Stage1Regime } from './regime.ts';
import type { Access, WalkResult, WalkStep } from './types.ts';
import { ACCESS_EXEC, ACCESS_READ, ACCESS_UNPRIVILEGED, ACCESS_WRITE, newWalkOut, walkStage1 } from './walk.ts';
import { FAULT_TYPES, FaultCode, REASON_TEXT } from './walk-codes.ts';

export function encodeAccess(access: Access): number {
  const kind = access.kind === 'read' ? ACCESS_READ : access.kind === 'write' ? ACCESS_WRITE : ACCESS_EXEC;
  return kind | (access.privileged ? 0 : ACCESS_UNPRIVILEGED);
}

export function translateStage1(mem: PhysicalMemory, regime: Stage1Regime, input: bigint, access: Access): WalkResult {
  const out = newWalkOut();
  const steps: WalkStep[] = [];
  const ok = walkStage1(mem, regime, hi32(input), lo32(input), encodeAccess(access), out, steps);
  const t = out.ttbr === 1 ? regime.ttbr1 : out.ttbr === 0 ? regime.ttbr0 : undefined;
  const setup = t && {
    ttbr: out.ttbr as 0 | 1,
    granule: t.geometry.granule,
    inputSize: t.geometry.inputSize,
    startLevel: t.geometry.startLevel,
    stride: t.geometry.stride,
  };
  if (ok) {
    return { input, access, setup, steps, output: fromHalves(out.hi, out.lo), mappingSize: 1n << BigInt(out.mapShift) };
  }
  const type = FAULT_TYPES[out.fault as Exclude<FaultCode, 0>];
  return {
    input,
    access,
    setup,
    steps,
    fault: {
      type,
      level: out.level,
      reason: REASON_TEXT[out.reason],
      ...(out.fault === FaultCode.ExternalAbort ? { address: fromHalves(out.faultHi, out.faultLo) } : {}),
    },
  };
}
