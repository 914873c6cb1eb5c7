/**
 * Decoding and encoding VMSAv8-64 descriptors (Arm ARM D8.3, "Translation
 * table descriptor formats"), for the trace, the inspector and the table
 * builder. Bit positions are the stage-1 ones.
 */
import { bits } from '../../util/u64.ts';
import { blockAllowed, descriptorAddress, levelShift, type Geometry } from './geometry.ts';
import type { DecodedDescriptor, DescriptorType } from './types.ts';

export function descriptorType(desc: bigint, g: Geometry, level: number): DescriptorType {
  if ((desc & 1n) === 0n) return 'invalid';
  const typeBit = (desc & 2n) !== 0n;
  if (level === 3) return typeBit ? 'page' : 'reserved';
  if (typeBit) return 'table';
  return blockAllowed(g, level) ? 'block' : 'reserved';
}

export function decodeDescriptor(desc: bigint, g: Geometry, level: number, stage: 1 | 2 = 1): DecodedDescriptor {
  const type = descriptorType(desc, g, level);
  if (stage === 2 && (type === 'block' || type === 'page')) {
    return {
      type,
      stage: 2,
      address: descriptorAddress(desc, g, levelShift(g, level)),
      MemAttr: Number(bits(desc, 5, 2)),
      S2AP: Number(bits(desc, 7, 6)),
      SH: Number(bits(desc, 9, 8)),
      AF: Number(bits(desc, 10, 10)),
      Contiguous: Number(bits(desc, 52, 52)),
      XN: Number(bits(desc, 54, 53)),
    };
  }
  switch (type) {
    case 'invalid':
    case 'reserved':
      return { type };
    case 'table':
      return {
        type,
        address: descriptorAddress(desc, g, g.granuleShift),
        NSTable: Number(bits(desc, 63, 63)),
        APTable: Number(bits(desc, 62, 61)),
        UXNTable: Number(bits(desc, 60, 60)),
        PXNTable: Number(bits(desc, 59, 59)),
      };
    case 'block':
    case 'page':
      return {
        type,
        address: descriptorAddress(desc, g, levelShift(g, level)),
        AttrIndx: Number(bits(desc, 4, 2)),
        NS: Number(bits(desc, 5, 5)),
        AP: Number(bits(desc, 7, 6)),
        SH: Number(bits(desc, 9, 8)),
        AF: Number(bits(desc, 10, 10)),
        nG: Number(bits(desc, 11, 11)),
        Contiguous: Number(bits(desc, 52, 52)),
        PXN: Number(bits(desc, 53, 53)),
        UXN: Number(bits(desc, 54, 54)),
      };
  }
}

/** Stage-1 lower and upper attributes for a leaf, from Linux-style prot flags. */
export interface LeafAttributes {
  /** Stage 2 only: S2AP[0]. Stage 1 has no read-permission bit. */
  readonly read: boolean;
  readonly readOnly: boolean;
  readonly unprivileged: boolean;
  readonly pxn: boolean;
  readonly uxn: boolean;
  /** MAIR index: Linux uses 1 for cacheable (WBRWA) memory. */
  readonly attrIndx: number;
  /** 3 = inner shareable (Linux for IOMMU_CACHE), 2 = outer shareable. */
  readonly sh: number;
  /** Not global: Linux sets nG on every stage-1 leaf so entries are tagged by ASID. */
  readonly nG: boolean;
}

/** A block (level < 3) or page (level 3) descriptor with AF = 1. */
export function encodeLeaf(oa: bigint, level: number, g: Geometry, a: LeafAttributes): bigint {
  let d = level === 3 ? 0b11n : 0b01n;
  d |= BigInt(a.attrIndx & 7) << 2n;
  if (a.unprivileged) d |= 1n << 6n;
  if (a.readOnly) d |= 1n << 7n;
  d |= BigInt(a.sh & 3) << 8n;
  d |= 1n << 10n; // AF: io-pgtable sets it so no access-flag fault is taken
  if (a.nG) d |= 1n << 11n;
  if (a.pxn) d |= 1n << 53n;
  if (a.uxn) d |= 1n << 54n;
  return d | encodeAddress(oa, g);
}

/**
 * A stage-2 leaf as io-pgtable writes one: MemAttr = 0xf (Normal, Write-Back)
 * for cacheable memory, S2AP[0] (bit 6) for reads, S2AP[1] (bit 7) for
 * writes, inner shareable, AF = 1, and both XN bits for IOMMU_NOEXEC.
 */
export function encodeS2Leaf(oa: bigint, level: number, g: Geometry, a: LeafAttributes): bigint {
  let d = level === 3 ? 0b11n : 0b01n;
  d |= 0xfn << 2n;
  if (a.read) d |= 1n << 6n;
  if (!a.readOnly) d |= 1n << 7n;
  d |= BigInt(a.sh & 3) << 8n;
  d |= 1n << 10n;
  if (a.pxn && a.uxn) d |= 3n << 53n;
  return d | encodeAddress(oa, g);
}

export function encodeTable(tableAddress: bigint, g: Geometry): bigint {
  return 0b11n | encodeAddress(tableAddress, g);
}

/** Address bits [47:12]; with a 64KB granule PA[51:48] go into bits [15:12]. */
function encodeAddress(pa: bigint, g: Geometry): bigint {
  const low = pa & ((1n << 48n) - 1n) & ~0xfffn;
  if (g.granule !== 65536) return low;
  return (low & ~0xffffn) | (((pa >> 48n) & 0xfn) << 12n);
}
