/**
 * What processing one invalidation descriptor does to the caches (VT-d
 * spec, "Queued Invalidation"; QEMU vtd_process_inv_desc). In scalable
 * mode the IOTLB invalidate descriptor covers second-stage and nested
 * translations, the PASID-based IOTLB descriptor first-stage and nested
 * ones (Linux uses the first for second-stage domains and the second for
 * first-stage domains, drivers/iommu/intel/cache.c); a global IOTLB
 * invalidation drops everything.
 */
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import { overlaps, type IotlbEntry, type VtdCaches } from './caches.ts';
import type { InvDescriptor } from './inv-desc.ts';

export interface InvEffect {
  /** Cache entries dropped. */
  readonly invalidated: number;
  readonly note?: string;
  /** A wait descriptor's status write. */
  readonly statusWrite?: { readonly address: bigint; readonly old?: bigint; readonly value: bigint };
  /** A wait descriptor with IF = 1: ICS.IWC is set. */
  readonly completion?: boolean;
}

const range = (address: bigint | undefined, am: number | undefined): [bigint, bigint] => {
  const bytes = 0x1000n << BigInt(am ?? 0);
  return [(address ?? 0n) & ~(bytes - 1n), bytes];
};

export function executeInv(caches: VtdCaches, mem: PhysicalMemory, scalable: boolean, d: InvDescriptor): InvEffect {
  switch (d.type) {
    case 'context-cache': {
      if (d.granularity === 'global') return { invalidated: caches.dropContext(() => true) };
      if (d.granularity === 'domain') {
        // Scalable-mode context entries carry no DID; QEMU treats a domain-selective request as global.
        return { invalidated: caches.dropContext((c) => !scalable ? c.did === (d.did ?? 0) : true) };
      }
      const mask = [0, 4, 6, 7][d.fm ?? 0] as number;
      const sid = d.sid ?? 0;
      return { invalidated: caches.dropContext((c) => c.sid >> 8 === sid >> 8 && (c.sid & 0xff & ~mask) === (sid & 0xff & ~mask)) };
    }
    case 'iotlb': {
      if (d.granularity === 'global') return { invalidated: caches.dropIotlb(() => true) };
      const kinds = (e: IotlbEntry): boolean => !scalable || e.kind !== 'first-stage';
      if (d.granularity === 'domain') return { invalidated: caches.dropIotlb((e) => e.did === (d.did ?? 0) && kinds(e)) };
      const [a, bytes] = range(d.address, d.am);
      // A nested entry is tagged by its input address, not the GPA this names: the spec drops all of the DID's (QEMU's vtd_hash_remove_by_page).
      return { invalidated: caches.dropIotlb((e) => e.did === (d.did ?? 0) && kinds(e) && (e.kind === 'nested' || overlaps(e, a, bytes))) };
    }
    case 'pasid-iotlb': {
      const mine = (e: IotlbEntry): boolean => e.did === d.did && e.pasid === d.pasid && e.kind !== 'second-stage';
      if (!scalable) return { invalidated: 0, note: 'PASID-based invalidation in legacy mode does nothing' };
      if (d.granularity === 'pasid') return { invalidated: caches.dropIotlb(mine) };
      const [a, bytes] = range(d.address, d.am);
      return { invalidated: caches.dropIotlb((e) => mine(e) && overlaps(e, a, bytes)) };
    }
    case 'pasid-cache':
      if (d.granularity === 'global') return { invalidated: caches.dropPasid(() => true) };
      if (d.granularity === 'domain') return { invalidated: caches.dropPasid((p) => p.did === (d.did ?? 0)) };
      return { invalidated: caches.dropPasid((p) => p.did === (d.did ?? 0) && p.pasid === (d.pasid ?? 0)) };
    case 'device-iotlb':
      return { invalidated: 0, note: 'an ATS Invalidate Request to the endpoint; device-TLBs are not modelled on the VT-d side' };
    case 'wait': {
      const completion = d.if === true;
      if (d.statusAddress === undefined) return { invalidated: 0, ...(completion ? { completion } : {}) };
      const old = mem.read(d.statusAddress, 4);
      const value = BigInt((d.statusData ?? 0) >>> 0);
      mem.write(d.statusAddress, value, 4);
      return { invalidated: 0, statusWrite: { address: d.statusAddress, ...(old !== undefined ? { old } : {}), value }, ...(completion ? { completion } : {}) };
    }
  }
}
