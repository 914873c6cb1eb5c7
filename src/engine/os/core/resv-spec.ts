/**
 * The firmware's reserved regions as the boot list gives them (an IORT RMR,
 * a DT reserved-memory node with iommu-addresses), checked before anything
 * boots so a bad one is refused with the field named.
 */
import type { Prot } from '../../commands.ts';
import { EngineError } from '../../util/assert.ts';
import type { ResvRegion, ResvRegionSpec } from './dma-types.ts';

const SPEC_TYPES = ['direct', 'direct-relaxable', 'reserved', 'msi'];
const RW: Prot = { read: true, write: true, exec: false, priv: false };

/** Checks the boot list's firmware regions. */
export function firmwareRegions(specs: readonly ResvRegionSpec[] | undefined, at: string): ResvRegion[] {
  if (specs === undefined) return [];
  if (!Array.isArray(specs)) throw new EngineError(`${at}.resvRegions must be a list of { start, length, type }`, `${at}.resvRegions`);
  return specs.map((r, i) => {
    const f = `${at}.resvRegions[${i}]`;
    if (typeof r?.start !== 'bigint' || r.start < 0n) throw new EngineError(`${f}.start must be a 64-bit address (bigint)`, `${f}.start`);
    if (typeof r.length !== 'bigint' || r.length <= 0n) throw new EngineError(`${f}.length must be a positive size (bigint)`, `${f}.length`);
    if (!SPEC_TYPES.includes(r.type)) throw new EngineError(`${f}.type must be one of ${SPEC_TYPES.join(', ')}`, `${f}.type`);
    return { start: r.start, length: r.length, prot: r.prot ?? RW, type: r.type, from: 'firmware' as const };
  });
}
