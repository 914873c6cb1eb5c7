/**
 * Invalidation queue descriptors (VT-d spec, "Queued Invalidation";
 * encodings as Linux's QI_* macros in drivers/iommu/intel/iommu.h build
 * them). A descriptor is 128 bits, or 256 bits when IQA.DW = 1 (scalable
 * mode needs the 256-bit form); the type is in bits 3:0 and the upper
 * 128 bits of a 256-bit descriptor are zero for every type modelled here.
 */
import { EngineError } from '../../util/assert.ts';

export const INV_TYPE = { contextCache: 1, iotlb: 2, deviceIotlb: 3, interruptEntryCache: 4, wait: 5, pasidIotlb: 6, pasidCache: 7, pasidDeviceIotlb: 8 } as const;

export type InvDescriptor =
  /** Context-cache invalidate: global, domain-selective (DID) or device-selective (SID, FM masks SID bits 2:0). */
  | { readonly type: 'context-cache'; readonly granularity: 'global' | 'domain' | 'device'; readonly did?: number; readonly sid?: number; readonly fm?: number }
  /** IOTLB invalidate: global, domain-selective or page-selective within a domain (2^AM pages from address). */
  | { readonly type: 'iotlb'; readonly granularity: 'global' | 'domain' | 'page'; readonly did?: number; readonly address?: bigint; readonly am?: number; readonly ih?: boolean }
  /** PASID-based IOTLB invalidate: all of a PASID in a domain, or pages of it. */
  | { readonly type: 'pasid-iotlb'; readonly granularity: 'pasid' | 'page'; readonly did: number; readonly pasid: number; readonly address?: bigint; readonly am?: number; readonly ih?: boolean }
  /** PASID-cache invalidate: domain-selective, PASID-selective within a domain, or global. */
  | { readonly type: 'pasid-cache'; readonly granularity: 'domain' | 'pasid' | 'global'; readonly did?: number; readonly pasid?: number }
  /** Device-TLB invalidate: an ATS Invalidate Request to the endpoint (S = 1: a range encoded in the address). */
  | { readonly type: 'device-iotlb'; readonly sid: number; readonly address: bigint; readonly size?: boolean; readonly pfsid?: number; readonly qdep?: number }
  /** Invalidation wait: SW writes statusData to statusAddress, IF sets ICS.IWC, FN fences later descriptors. */
  | { readonly type: 'wait'; readonly statusAddress?: bigint; readonly statusData?: number; readonly if?: boolean; readonly fn?: boolean };

const CC_GRAN = { global: 1, domain: 2, device: 3 } as const;
const IOTLB_GRAN = { global: 1, domain: 2, page: 3 } as const;
const PIOTLB_GRAN = { pasid: 2, page: 3 } as const;
const PC_GRAN = { domain: 0, pasid: 1, global: 3 } as const;

const u = (v: number | undefined, bits: number, name: string): bigint => {
  const x = v ?? 0;
  if (!Number.isInteger(x) || x < 0 || x >= 2 ** bits) throw new EngineError(`${name} must be an integer 0..${2 ** bits - 1}`, name);
  return BigInt(x);
};

function pageAddress(a: bigint | undefined, am: number | undefined): bigint {
  const address = a ?? 0n;
  if ((address & 0xfffn) !== 0n) throw new EngineError('address must be 4 KB aligned', 'address');
  return address | u(am, 6, 'am');
}

/** The two low qwords of a descriptor. */
export function encodeInvDescriptor(d: InvDescriptor): readonly [bigint, bigint] {
  switch (d.type) {
    case 'context-cache':
      return [BigInt(INV_TYPE.contextCache) | (BigInt(CC_GRAN[d.granularity]) << 4n) | (u(d.did, 16, 'did') << 16n) | (u(d.sid, 16, 'sid') << 32n) | (u(d.fm, 2, 'fm') << 48n), 0n];
    case 'iotlb':
      return [BigInt(INV_TYPE.iotlb) | (BigInt(IOTLB_GRAN[d.granularity]) << 4n) | (u(d.did, 16, 'did') << 16n), d.granularity === 'page' ? pageAddress(d.address, d.am) | (d.ih ? 0x40n : 0n) : 0n];
    case 'pasid-iotlb':
      return [BigInt(INV_TYPE.pasidIotlb) | (BigInt(PIOTLB_GRAN[d.granularity]) << 4n) | (u(d.did, 16, 'did') << 16n) | (u(d.pasid, 20, 'pasid') << 32n), d.granularity === 'page' ? pageAddress(d.address, d.am) | (d.ih ? 0x40n : 0n) : 0n];
    case 'pasid-cache':
      return [BigInt(INV_TYPE.pasidCache) | (BigInt(PC_GRAN[d.granularity]) << 4n) | (u(d.did, 16, 'did') << 16n) | (u(d.pasid, 20, 'pasid') << 32n), 0n];
    case 'device-iotlb': {
      const pfsid = u(d.pfsid, 16, 'pfsid');
      return [BigInt(INV_TYPE.deviceIotlb) | ((pfsid & 0xfn) << 12n) | (u(d.qdep, 5, 'qdep') << 16n) | (u(d.sid, 16, 'sid') << 32n) | ((pfsid >> 4n) << 52n), (d.address & ~0xfffn) | (d.size ? 1n : 0n)];
    }
    case 'wait': {
      const sa = d.statusAddress ?? 0n;
      if ((sa & 3n) !== 0n) throw new EngineError('statusAddress must be 4-byte aligned', 'statusAddress');
      const sw = d.statusAddress !== undefined;
      return [BigInt(INV_TYPE.wait) | (d.if ? 0x10n : 0n) | (sw ? 0x20n : 0n) | (d.fn ? 0x40n : 0n) | (BigInt((d.statusData ?? 0) >>> 0) << 32n), sa];
    }
  }
}

const field = (q: bigint, msb: number, lsb: number): number => Number((q >> BigInt(lsb)) & ((1n << BigInt(msb - lsb + 1)) - 1n));
const invert = <K extends string>(m: Record<K, number>): Record<number, K> => Object.fromEntries(Object.entries(m).map(([k, v]) => [v, k])) as Record<number, K>;

export type DecodedInv = { readonly ok: true; readonly descriptor: InvDescriptor } | { readonly ok: false; readonly why: string };

/** What the hardware makes of the qwords it fetched; an unknown type or granularity is an invalidation queue error (FSTS.IQE). */
export function decodeInvDescriptor(q0: bigint, q1: bigint): DecodedInv {
  const type = field(q0, 3, 0);
  const gran = field(q0, 5, 4);
  const did = field(q0, 31, 16);
  const bad = (why: string): DecodedInv => ({ ok: false, why });
  switch (type) {
    case INV_TYPE.contextCache: {
      const g = invert(CC_GRAN)[gran];
      return g ? { ok: true, descriptor: { type: 'context-cache', granularity: g, did, sid: field(q0, 47, 32), fm: field(q0, 49, 48) } } : bad(`context-cache descriptor with reserved granularity ${gran}`);
    }
    case INV_TYPE.iotlb: {
      const g = invert(IOTLB_GRAN)[gran];
      return g ? { ok: true, descriptor: { type: 'iotlb', granularity: g, did, address: q1 & ~0xfffn, am: field(q1, 5, 0), ih: field(q1, 6, 6) === 1 } } : bad(`IOTLB descriptor with reserved granularity ${gran}`);
    }
    case INV_TYPE.pasidIotlb: {
      const g = invert(PIOTLB_GRAN)[gran];
      return g ? { ok: true, descriptor: { type: 'pasid-iotlb', granularity: g, did, pasid: field(q0, 51, 32), address: q1 & ~0xfffn, am: field(q1, 5, 0), ih: field(q1, 6, 6) === 1 } } : bad(`PASID-based IOTLB descriptor with reserved granularity ${gran}`);
    }
    case INV_TYPE.pasidCache: {
      const g = invert(PC_GRAN)[gran];
      return g ? { ok: true, descriptor: { type: 'pasid-cache', granularity: g, did, pasid: field(q0, 51, 32) } } : bad(`PASID-cache descriptor with reserved granularity ${gran}`);
    }
    case INV_TYPE.deviceIotlb:
      return { ok: true, descriptor: { type: 'device-iotlb', sid: field(q0, 47, 32), qdep: field(q0, 20, 16), pfsid: field(q0, 15, 12) | (field(q0, 63, 52) << 4), address: q1 & ~0xfffn, size: (q1 & 1n) === 1n } };
    case INV_TYPE.wait: {
      const sw = field(q0, 5, 5) === 1;
      return { ok: true, descriptor: { type: 'wait', if: field(q0, 4, 4) === 1, fn: field(q0, 6, 6) === 1, statusData: field(q0, 63, 32), ...(sw ? { statusAddress: q1 & ~3n } : {}) } };
    }
    default:
      return bad(type === INV_TYPE.interruptEntryCache || type === INV_TYPE.pasidDeviceIotlb ? `descriptor type ${type} is not modelled` : `unknown descriptor type ${type}`);
  }
}

/** One line, in the words of the spec, for the UI and the scenario log. */
export function describeInv(d: InvDescriptor): string {
  const hex = (v: bigint | undefined): string => `0x${(v ?? 0n).toString(16)}`;
  switch (d.type) {
    case 'context-cache':
      return d.granularity === 'global' ? 'Context-cache invalidate (global)' : d.granularity === 'domain' ? `Context-cache invalidate (domain-selective, DID ${d.did ?? 0})` : `Context-cache invalidate (device-selective, SID 0x${(d.sid ?? 0).toString(16)}, FM ${d.fm ?? 0})`;
    case 'iotlb':
      return d.granularity === 'global' ? 'IOTLB invalidate (global)' : d.granularity === 'domain' ? `IOTLB invalidate (domain-selective, DID ${d.did ?? 0})` : `IOTLB invalidate (page-selective, DID ${d.did ?? 0}, ${hex(d.address)}, AM ${d.am ?? 0})`;
    case 'pasid-iotlb':
      return d.granularity === 'pasid' ? `PASID-based IOTLB invalidate (DID ${d.did}, PASID ${d.pasid})` : `PASID-based IOTLB invalidate (DID ${d.did}, PASID ${d.pasid}, ${hex(d.address)}, AM ${d.am ?? 0})`;
    case 'pasid-cache':
      return d.granularity === 'global' ? 'PASID-cache invalidate (global)' : d.granularity === 'domain' ? `PASID-cache invalidate (domain-selective, DID ${d.did ?? 0})` : `PASID-cache invalidate (PASID-selective, DID ${d.did ?? 0}, PASID ${d.pasid ?? 0})`;
    case 'device-iotlb':
      return `Device-TLB invalidate (SID 0x${d.sid.toString(16)}, ${hex(d.address)}${d.size ? ', S = 1' : ''})`;
    case 'wait':
      return `Invalidation wait${d.statusAddress !== undefined ? ` (status 0x${(d.statusData ?? 0).toString(16)} -> ${hex(d.statusAddress)})` : ''}${d.if ? ' IF' : ''}${d.fn ? ' FN' : ''}`;
  }
}
