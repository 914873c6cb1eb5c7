/**
 * Circular queues in memory, as the SMMU's command and event queues are
 * (SMMUv3 spec, "Circular queues"): PROD and CONS are indexes whose bit
 * LOG2SIZE is a wrap flag, so full and empty can be told apart.
 */
export interface QueueGeometry {
  readonly base: bigint;
  readonly log2size: number;
  readonly entryBytes: number;
}

export function queueIndex(ptr: number, log2size: number): number {
  return ptr & ((1 << log2size) - 1);
}

export function queueWrap(ptr: number, log2size: number): number {
  return (ptr >>> log2size) & 1;
}

export function queueEmpty(prod: number, cons: number, log2size: number): boolean {
  return queueIndex(prod, log2size) === queueIndex(cons, log2size) && queueWrap(prod, log2size) === queueWrap(cons, log2size);
}

export function queueFull(prod: number, cons: number, log2size: number): boolean {
  return queueIndex(prod, log2size) === queueIndex(cons, log2size) && queueWrap(prod, log2size) !== queueWrap(cons, log2size);
}

/** The next pointer value: index + 1, flipping the wrap flag at the end. */
export function queueInc(ptr: number, log2size: number): number {
  const mask = (2 << log2size) - 1;
  return (ptr + 1) & mask;
}

export function entryAddress(q: QueueGeometry, ptr: number): bigint {
  return q.base + BigInt(queueIndex(ptr, q.log2size) * q.entryBytes);
}
