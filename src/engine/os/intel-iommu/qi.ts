/**
 * Submitting invalidation descriptors as Linux's qi_submit_sync does
 * (drivers/iommu/intel/dmar.c): write each descriptor at the queue tail
 * (256-bit slots in scalable mode, the upper half zero), then publish the new
 * tail with one IQT write, which makes the unit process them. The driver
 * closes every batch with an invalidation wait descriptor whose status write
 * tells it the batch is done; raw scenario steps give their own.
 */
import type { MemoryWrite } from '../../events.ts';
import type { InvDescriptor } from '../../hw/vtd/inv-desc.ts';
import { describeInv, encodeInvDescriptor } from '../../hw/vtd/inv-desc.ts';
import type { ConsumedDescriptor, VtdUnit } from '../../hw/vtd/vtd.ts';
import { EngineError } from '../../util/assert.ts';
import { storeQwords } from '../arm-smmu-v3/cmdq.ts';

export interface QiResult {
  readonly writes: MemoryWrite[];
  readonly tail: { readonly old: bigint; readonly value: bigint };
  readonly consumed: ConsumedDescriptor[];
}

export function submitDescriptors(unit: VtdUnit, descriptors: readonly InvDescriptor[]): QiResult {
  const q = unit.queue;
  if (q.base === 0n) throw new EngineError('the invalidation queue is not set up (IQA = 0): probe the VT-d unit first', 'IQA');
  if (descriptors.length >= q.slots) throw new EngineError(`the invalidation queue holds ${q.slots} descriptors`, 'descriptors');
  const encoded = descriptors.map((d) => encodeInvDescriptor(d));
  const writes: MemoryWrite[] = [];
  let tail = q.tail;
  for (const [i, [w0, w1]] of encoded.entries()) {
    const words = q.descBytes === 32 ? [w0, w1, 0n, 0n] : [w0, w1];
    storeQwords(unit.mem, q.base + BigInt(tail * q.descBytes), words, describeInv(descriptors[i] as InvDescriptor), writes);
    tail = (tail + 1) % q.slots;
  }
  const old = unit.read('IQT');
  const value = BigInt(tail * q.descBytes);
  const consumed = unit.write('IQT', value);
  return { writes, tail: { old, value }, consumed };
}
