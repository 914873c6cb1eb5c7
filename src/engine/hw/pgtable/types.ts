/**
 * VMSAv8-64 translation: configuration, faults and the per-level trace.
 * Level numbering is the Arm documents': level 0 is the top level for a 4KB
 * granule and a 48-bit input; level 3 holds page descriptors.
 */

/** Translation granule in bytes; the TG0 encoding is in granule.ts. */
export type Granule = 4096 | 16384 | 65536;

export type AccessKind = 'read' | 'write' | 'exec';

export interface Access {
  readonly kind: AccessKind;
  /** Privileged (PnU = 1 in an SMMU event record) or unprivileged. */
  readonly privileged: boolean;
}

/**
 * A stage-1 translation regime: the fields of an SMMUv3 Context Descriptor
 * that the walk uses (names as in the CD, SMMUv3 spec section 5.4).
 */
export interface Stage1Config {
  readonly TTB0: bigint;
  /** Input size is 64 - T0SZ bits. */
  readonly T0SZ: number;
  /** 0 = 4KB, 1 = 64KB, 2 = 16KB (TCR/CD encoding). */
  readonly TG0: number;
  /** Disable walks through TTB0. */
  readonly EPD0: boolean;
  readonly TTB1: bigint;
  readonly T1SZ: number;
  /** CD.TG1 uses the TCR_EL1.TG1 encoding, unlike TG0: 1 = 16KB, 2 = 4KB, 3 = 64KB. */
  readonly TG1: number;
  readonly EPD1: boolean;
  /** Intermediate physical address size: 0=32, 1=36, 2=40, 3=42, 4=44, 5=48, 6=52 bits. */
  readonly IPS: number;
  /** Access-flag fault disable: AF = 0 is then not a fault. */
  readonly AFFD: boolean;
  /** Top-byte ignore for the TTB0 (bit 0) and TTB1 (bit 1) regions. */
  readonly TBI: number;
  /** Hierarchical attribute disable (CD HAD0/HAD1): APTable/XNTable ignored. */
  readonly HAD0: boolean;
  readonly HAD1: boolean;
}

export type FaultType = 'translation' | 'accessFlag' | 'permission' | 'addressSize' | 'externalAbort';

export interface WalkFault {
  readonly type: FaultType;
  /** The lookup level at which it arose (Arm numbering). */
  readonly level: number;
  /** For externalAbort: the descriptor address whose read failed. */
  readonly address?: bigint;
  /** Why, in the spec's words: "descriptor invalid (bit 0 = 0)", "AP[2] = 1: read-only" ... */
  readonly reason: string;
  /** Which stage faulted (nested and stage-2 walks); stage 1 when absent. */
  readonly stage?: 1 | 2;
  /** For a stage-2 fault: while translating a stage-1 table address (TT) or the final IPA (IN). */
  readonly class?: 'CD' | 'TT' | 'IN';
  /** For a stage-2 fault: the IPA being translated. */
  readonly ipa?: bigint;
}

export type DescriptorType = 'invalid' | 'table' | 'block' | 'page' | 'reserved';

/** Fields of one descriptor, decoded as the walk read them. */
export interface DecodedDescriptor {
  readonly type: DescriptorType;
  /** Which stage's format the attributes were decoded in (stage 1 when absent). */
  readonly stage?: 1 | 2;
  /** Next-level table address (table) or output address (block/page). */
  readonly address?: bigint;
  /** Lower attributes of a block/page: AttrIndx[2:0], NS, AP[2:1], SH[1:0], AF, nG. */
  readonly AttrIndx?: number;
  readonly NS?: number;
  readonly AP?: number;
  readonly SH?: number;
  readonly AF?: number;
  readonly nG?: number;
  /** Upper attributes: Contiguous, PXN, UXN (XN). */
  readonly Contiguous?: number;
  readonly PXN?: number;
  readonly UXN?: number;
  /** Table attributes: NSTable, APTable[1:0], UXNTable (XNTable), PXNTable. */
  readonly NSTable?: number;
  readonly APTable?: number;
  readonly UXNTable?: number;
  readonly PXNTable?: number;
  /** Stage-2 leaves: MemAttr[5:2], S2AP[7:6] (bit 6 read, bit 7 write), XN[54:53]. */
  readonly MemAttr?: number;
  readonly S2AP?: number;
  readonly XN?: number;
}

/** A stage-2 walk of one IPA inside a nested walk. */
export interface StageWalk {
  readonly steps: readonly WalkStep[];
  readonly output?: bigint;
  readonly fault?: WalkFault;
}

export interface WalkStep {
  readonly level: number;
  readonly tableAddress: bigint;
  readonly index: number;
  /** Input address bits that formed the index, [msb, lsb]. */
  readonly indexBits: readonly [number, number];
  readonly descriptorAddress: bigint;
  /** undefined when the read failed (external abort). */
  readonly descriptor?: bigint;
  readonly decoded?: DecodedDescriptor;
  /** Nested walks: the stage-2 translation of descriptorAddress (an IPA) to the PA actually read. */
  readonly s2?: StageWalk;
}

export interface WalkSetup {
  /** Which TTBR region the address fell in; undefined for a stage-2-only walk. */
  readonly ttbr?: 0 | 1;
  readonly granule: Granule;
  readonly inputSize: number;
  readonly startLevel: number;
  /** Bits per level (granule shift - 3). */
  readonly stride: number;
}

export interface WalkResult {
  readonly input: bigint;
  readonly access: Access;
  readonly setup?: WalkSetup;
  readonly steps: readonly WalkStep[];
  /** Present when the walk succeeded. */
  readonly output?: bigint;
  /** The size of the block or page that mapped the input (bytes). */
  readonly mappingSize?: bigint;
  readonly fault?: WalkFault;
  /** Nested walks: stage 2 of the output IPA. */
  readonly stage2?: StageWalk;
  /** Nested walks that reached stage 2: the IPA stage 1 produced. */
  readonly ipa?: bigint;
}
