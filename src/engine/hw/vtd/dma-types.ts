/** A DMA request as the VT-d unit receives it, and everything that became of it. */
import type { Access } from '../pgtable/types.ts';
import type { IotlbEntry } from './caches.ts';
import type { FaultRecord, RecordOutcome } from './fault-record.ts';
import type { StructRead } from './structures-fetch.ts';
import type { VtdStageWalk, VtdWalkStep } from './walk.ts';

export interface VtdDmaRequest {
  /** Requester ID: bus << 8 | devfn. */
  readonly sid: number;
  /** A request with PASID (PCIe PASID TLP prefix); absent for a request without. */
  readonly pasid?: number;
  readonly address: bigint;
  /** read / write / exec (an execute request: ER = 1); privileged is PR = 1 (meaningful with a PASID). */
  readonly access: Access;
}

export type VtdTranslationType = 'untranslated' | 'pass-through' | 'first-stage' | 'second-stage' | 'nested';

export interface VtdDmaTrace {
  /** GSTS.TES: remapping enabled. */
  readonly enabled: boolean;
  readonly mode?: 'legacy' | 'scalable';
  /** Root, context, PASID directory and PASID entry reads, cached ones marked. */
  readonly reads: readonly StructRead[];
  readonly translation?: VtdTranslationType;
  readonly did?: number;
  /** The PASID the request was processed with (RID_PASID for a request without PASID in scalable mode). */
  readonly pasid?: number;
  readonly iotlb?: { readonly hit: boolean; readonly entry?: IotlbEntry };
  /** The walk: first-stage steps (each with its second-stage sub-walk when nested) or second-stage steps. */
  readonly steps?: readonly VtdWalkStep[];
  /** Nested: the first stage's output GPA and its second-stage walk. */
  readonly gpa?: bigint;
  readonly final?: VtdStageWalk;
}

export interface VtdFault {
  readonly reason: number;
  readonly name: string;
  readonly text: string;
  readonly condition?: string;
  /** In the model's words: which entry, which bit. */
  readonly why: string;
  readonly record: Omit<FaultRecord, 'f'>;
  /** Where it went: a fault recording register, or why not (FPD, collapsed, overflow). */
  readonly recorded: RecordOutcome;
}

export interface VtdDmaOutcome {
  readonly request: VtdDmaRequest;
  readonly result: 'translated' | 'untranslated' | 'blocked';
  readonly output?: bigint;
  readonly fault?: VtdFault;
  readonly trace: VtdDmaTrace;
}
