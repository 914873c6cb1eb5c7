/**
 * Recording one level of a walk for the UI. Only the traced mode calls this,
 * so BigInt and object allocation stay off the hot path.
 */
import { fromHalves } from '../../util/u64.ts';
import { decodeDescriptor } from './descriptor.ts';
import type { Geometry } from './geometry.ts';
import type { WalkStep } from './types.ts';

export type TraceSink = WalkStep[];

export function recordStep(
  trace: TraceSink, g: Geometry, level: number, tableHi: number, tableLo: number,
  index: number, shift: number, nbits: number, dLo: number | undefined, dHi: number | undefined,
): void {
  const tableAddress = fromHalves(tableHi, tableLo);
  const descriptor = dLo === undefined || dHi === undefined ? undefined : fromHalves(dHi, dLo);
  trace.push({
    level,
    tableAddress,
    index,
    indexBits: [shift + nbits - 1, shift],
    descriptorAddress: tableAddress + BigInt(index * 8),
    descriptor,
    decoded: descriptor === undefined ? undefined : decodeDescriptor(descriptor, g, level),
  });
}
