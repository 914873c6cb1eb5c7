/** A DMA transaction as the SMMU receives it, and everything that became of it. */
import type { Access, StageWalk, WalkResult } from '../pgtable/types.ts';
import type { EventRecord } from './event-record.ts';
import type { L1Read } from './stream-table.ts';
import type { CdL1Read } from './cd-table.ts';
import type { TlbEntryView } from './iotlb.ts';

export interface DmaTransaction {
  readonly sid: number;
  /** SubstreamID (PASID); absent for a transaction without one. */
  readonly ssid?: number;
  readonly address: bigint;
  readonly access: Access;
}

export type StreamConfigName = 'abort' | 'bypass' | 'stage 1' | 'stage 2' | 'nested';

export interface DmaTrace {
  /** CR0.SMMUEN at the time: when 0, GBPA decided. */
  readonly smmuEnabled: boolean;
  readonly ste?: {
    readonly cached: boolean;
    readonly address?: bigint;
    readonly l1?: L1Read;
    readonly words?: readonly bigint[];
    readonly config?: StreamConfigName;
  };
  readonly cd?: {
    readonly cached: boolean;
    readonly ssid: number;
    /** The CD's address as the STE names it (an IPA when nested) and the PA read. */
    readonly ipa?: bigint;
    readonly address?: bigint;
    readonly l1?: CdL1Read;
    readonly s2?: StageWalk;
    readonly words?: readonly bigint[];
    readonly asid?: number;
  };
  /** Stage 1 bypassed for a transaction without a SubstreamID (STE.S1DSS = bypass). */
  readonly s1Bypassed?: boolean;
  readonly tlb?: { readonly hit: boolean; readonly entry?: TlbEntryView };
  readonly walk?: WalkResult;
  /** A translated request (PCIe AT = Translated): the device's ATC gave the address, so the SMMU did not walk. */
  readonly ats?: { readonly untranslated: bigint; readonly pasid: number | null; readonly atcOutput: bigint };
}

export interface DmaOutcome {
  readonly tx: DmaTransaction;
  readonly result: 'translated' | 'bypassed' | 'terminated';
  readonly output?: bigint;
  /** What the device sees for a terminated transaction: an abort, or reads-as-zero/writes-ignored (CD.A = 0). */
  readonly response?: 'abort' | 'RAZ/WI';
  /** The event the transaction raised, whether or not it was recorded. */
  readonly event?: EventRecord;
  /** Where the record went: written to the event queue, or why not. */
  readonly recorded?: { readonly index: number; readonly address: bigint } | { readonly dropped: string };
  readonly trace: DmaTrace;
}
