/**
 * Building the event record a transaction raises, field by field as the
 * SMMUv3 spec lays out each event ("Event records"): configuration errors
 * carry the StreamID (and SubstreamID) only, their other fields RES0;
 * translation faults carry the access (RnW, InD, PnU), the input address,
 * S2/CLASS and the IPA or the address of the failed fetch.
 */
import type { WalkFault } from '../pgtable/types.ts';
import type { DmaTransaction } from './dma-types.ts';
import type { EventName, EventRecord } from './event-record.ts';

export const FAULT_EVENTS: Record<WalkFault['type'], EventName> = {
  translation: 'F_TRANSLATION',
  accessFlag: 'F_ACCESS',
  permission: 'F_PERMISSION',
  addressSize: 'F_ADDR_SIZE',
  externalAbort: 'F_WALK_EABT',
};

export const CLASS = { CD: 0, TT: 1, IN: 2 } as const;

/** A configuration error: C_BAD_STREAMID, F_STE_FETCH, C_BAD_STE, C_BAD_CD, F_CD_FETCH ... */
export function configError(tx: DmaTransaction, name: EventName, reason: string, fetchAddress?: bigint): EventRecord {
  return {
    name, StreamID: tx.sid, reason,
    ...(tx.ssid !== undefined ? { SubstreamID: tx.ssid } : {}),
    ...(fetchAddress !== undefined ? { IPA: fetchAddress } : {}),
  };
}

/** C_BAD_SUBSTREAMID names the SubstreamID, but SSV is RES0 in this record. */
export function badSubstream(tx: DmaTransaction, reason: string): EventRecord {
  return { name: 'C_BAD_SUBSTREAMID', StreamID: tx.sid, SubstreamID: tx.ssid ?? 0, SSV: false, reason };
}

/** F_STREAM_DISABLED carries only the StreamID. */
export function streamDisabled(tx: DmaTransaction, reason: string): EventRecord {
  return { name: 'F_STREAM_DISABLED', StreamID: tx.sid, reason };
}

/** A translation-class fault (F_TRANSLATION, F_ADDR_SIZE, F_ACCESS, F_PERMISSION, F_WALK_EABT). */
export function translationFault(tx: DmaTransaction, name: EventName, reason: string, where: { s2: boolean; cls: 0 | 1 | 2; ipa?: bigint }): EventRecord {
  return {
    name, StreamID: tx.sid, reason,
    ...(tx.ssid !== undefined ? { SubstreamID: tx.ssid } : {}),
    RnW: tx.access.kind !== 'write', InD: tx.access.kind === 'exec', PnU: tx.access.privileged,
    InputAddr: tx.address, S2: where.s2, CLASS: where.cls,
    ...(where.ipa !== undefined ? { IPA: where.ipa } : {}),
  };
}

/**
 * The record for a walk fault. Stage-1 faults are CLASS = IN, except an
 * external abort on the walk, which is CLASS = TT with the descriptor
 * address. Stage-2 faults keep the class of the access that needed stage 2
 * (CD fetch, stage-1 table walk, or the input), with the IPA — or, for an
 * external abort, the stage-2 descriptor's address.
 */
export function walkFaultEvent(tx: DmaTransaction, f: WalkFault, atStage2: boolean, cls: 0 | 1 | 2, ipa: bigint | undefined): EventRecord {
  const name = FAULT_EVENTS[f.type];
  const reason = `${f.type} fault at level ${f.level}${atStage2 ? ' of stage 2' : ''}: ${f.reason}`;
  if (f.type === 'externalAbort') return translationFault(tx, name, reason, { s2: atStage2, cls: atStage2 ? cls : CLASS.TT, ipa: f.address });
  if (!atStage2) return translationFault(tx, name, reason, { s2: false, cls: CLASS.IN });
  return translationFault(tx, name, reason, { s2: true, cls, ...(ipa !== undefined ? { ipa: ipa & ~0xfffn } : {}) });
}
