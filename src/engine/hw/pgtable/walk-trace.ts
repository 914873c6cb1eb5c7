/**
 * Recording one level of a walk for the UI. Only the traced mode calls this,
 * so BigInt and object allocation stay off the hot path.
 */
import { fromHalves } from '../../util/u64.ts';
import { decodeDescriptor } from './descriptor.ts';
import type { Geometry } from './geometry.ts';
import type { StageWalk, WalkFault, WalkStep } from './types.ts';
import { FAULT_TYPES, FaultCode, REASON_TEXT } from './walk-codes.ts';

export type TraceSink = WalkStep[];

/** The parts of a WalkOut a trace needs (kept structural to avoid an import cycle with walk.ts). */
export interface WalkOutView {
  readonly hi: number;
  readonly lo: number;
  readonly fault: FaultCode;
  readonly reason: number;
  readonly level: number;
  readonly faultHi: number;
  readonly faultLo: number;
}

export function faultOf(out: WalkOutView): WalkFault | undefined {
  if (out.fault === FaultCode.None) return undefined;
  return {
    type: FAULT_TYPES[out.fault as Exclude<FaultCode, 0>],
    level: out.level,
    reason: REASON_TEXT[out.reason as keyof typeof REASON_TEXT],
    ...(out.fault === FaultCode.ExternalAbort ? { address: fromHalves(out.faultHi, out.faultLo) } : {}),
  };
}

/** A finished stage-2 sub-walk as the trace shows it. */
export function stageWalkOf(steps: WalkStep[], out: WalkOutView): StageWalk {
  const fault = faultOf(out);
  return fault ? { steps, fault } : { steps, output: fromHalves(out.hi, out.lo) };
}

export function recordStep(
  trace: TraceSink, g: Geometry, level: number, tableHi: number, tableLo: number,
  index: number, shift: number, nbits: number, dLo: number | undefined, dHi: number | undefined,
  s2Steps: WalkStep[] | null = null, s2Out: WalkOutView | null = null, stage: 1 | 2 = 1,
): void {
  const tableAddress = fromHalves(tableHi, tableLo);
  const descriptor = dLo === undefined || dHi === undefined ? undefined : fromHalves(dHi, dLo);
  const s2 = s2Steps && s2Out ? stageWalkOf(s2Steps, s2Out) : undefined;
  trace.push({
    level,
    tableAddress,
    index,
    indexBits: [shift + nbits - 1, shift],
    descriptorAddress: tableAddress + BigInt(index * 8),
    descriptor,
    decoded: descriptor === undefined ? undefined : decodeDescriptor(descriptor, g, level, stage),
    ...(s2 ? { s2 } : {}),
  });
}
