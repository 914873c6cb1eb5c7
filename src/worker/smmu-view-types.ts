/**
 * The SMMU as the page sees it after a step: plain data the worker computes
 * from the engine (stream table window, the selected stream's CD table,
 * queues, caches) and posts with the step's events. Everything survives
 * structured clone; 64-bit values stay bigint.
 */
import type { SmmuFeatures } from '../engine/hw/smmu/features.ts';

/** What the page asks to see besides the step: which StreamIDs are scrolled into view, which stream is selected. */
export interface SmmuViewRequest {
  /** The window of StreamIDs the stream table shows: [first, first + count). */
  readonly streams: { readonly first: number; readonly count: number };
  /** The stream whose STE and CD table to show; 'auto' = the one the latest SMMU step named. */
  readonly stream: number | 'auto';
}

export const DEFAULT_VIEW_REQUEST: SmmuViewRequest = { streams: { first: 0, count: 48 }, stream: 'auto' };

/** At most this many StreamIDs per window, so one message stays small whatever the table's size. */
export const MAX_STREAM_WINDOW = 256;
/** CDs listed for the selected stream. */
export const MAX_CD_ROWS = 64;
/** IOTLB entries sent (the rest are counted). */
export const MAX_TLB_ROWS = 256;

export interface SteRowView {
  readonly sid: number;
  readonly address: bigint;
  readonly words: readonly bigint[];
  readonly valid: boolean;
  /** abort / bypass / stage 1 / stage 2 / nested, or "ILLEGAL: why". */
  readonly config: string;
  /** The fields a reader scans a stream table for. */
  readonly key: Readonly<Record<string, bigint>>;
}

/** A StreamID of the window with no STE to read: why. */
export interface SteGapView {
  readonly sid: number;
  readonly reason: string;
}

export interface L1RowView {
  readonly index: number;
  readonly address: bigint;
  readonly span: number;
  readonly l2: bigint;
  /** StreamIDs the descriptor covers: [firstSid, firstSid + 2^(Span-1)). */
  readonly firstSid: number;
  readonly stes: number;
}

export interface StreamTableWindow {
  readonly fmt: 'linear' | '2-level';
  readonly base: bigint;
  readonly log2size: number;
  readonly split: number;
  /** StreamIDs the table covers: 2^min(LOG2SIZE, SIDSIZE). */
  readonly size: number;
  /** 2-level: every L1 descriptor with Span != 0. */
  readonly l1: readonly L1RowView[];
  /** 2-level: how many L1 descriptors there are in all. */
  readonly l1Count: number;
  readonly first: number;
  readonly count: number;
  readonly rows: readonly (SteRowView | SteGapView)[];
}

export interface CdRowView {
  readonly ssid: number;
  /** The address the STE (and L1 CD descriptor) give: an IPA when stage 2 is enabled. */
  readonly ipa?: bigint;
  /** The PA it was read from. */
  readonly address?: bigint;
  readonly words?: readonly bigint[];
  readonly key?: Readonly<Record<string, bigint>>;
  /** "valid: ASID 1, 4KB granule ..." or "C_BAD_CD: why" or why it could not be read. */
  readonly verdict: string;
  readonly ok: boolean;
}

export interface StreamView {
  readonly sid: number;
  readonly ste?: SteRowView;
  /** Why there is no STE for this StreamID, or why it has no CD table. */
  readonly note?: string;
  readonly cdTable?: {
    readonly address: bigint;
    readonly nested: boolean;
    readonly fmt: string;
    /** SubstreamIDs the table holds: 2^S1CDMax (1 when S1CDMax = 0). */
    readonly size: number;
    readonly rows: readonly CdRowView[];
  };
}

export interface EventRecordView {
  readonly index: number;
  readonly address: bigint;
  readonly words: readonly bigint[];
  readonly name: string;
  readonly fields: Readonly<Record<string, bigint>>;
  /** The step (from 1) whose DMA wrote this record, and the reason the engine gave. */
  readonly step?: number;
  readonly reason?: string;
}

export interface CommandView {
  readonly index: number;
  readonly address: bigint;
  readonly words: readonly bigint[];
  readonly op?: string;
  readonly fields?: Readonly<Record<string, bigint>>;
  /** What consuming it did, and at which step; absent when the SMMU has not consumed it. */
  readonly step?: number;
  readonly summary?: string;
  readonly invalidated?: number;
  readonly error?: string;
}

export interface CachedEntryRow {
  readonly sid: number;
  readonly ssid?: number;
  readonly address: bigint;
  readonly words: readonly bigint[];
  readonly stale: boolean;
}

export interface TlbRow {
  readonly slot: number;
  readonly vmid: number;
  readonly asid: number;
  /** 'stage 1' | 'stage 2' | 'nested'. */
  readonly stage: string;
  readonly input: bigint;
  readonly size: bigint;
  readonly output: bigint;
  /** Allowed accesses, as the engine's permBit mask (ui/smmu/perms.ts reads it). */
  readonly perms: number;
  readonly level: number;
  readonly hits: number;
  /** Memory now translates the page differently (or not at all): the entry is stale. */
  readonly stale?: { readonly now: bigint | 'fault' };
}

export interface SmmuView {
  readonly features: SmmuFeatures;
  readonly enabled: boolean;
  readonly streamTable: StreamTableWindow;
  readonly stream?: StreamView;
  readonly eventQueue: readonly EventRecordView[];
  readonly commandQueue: readonly CommandView[];
  readonly configCache: { readonly stes: readonly CachedEntryRow[]; readonly cds: readonly CachedEntryRow[] };
  readonly iotlb: { readonly rows: readonly TlbRow[]; readonly total: number; readonly hits: number; readonly misses: number };
}
