/**
 * Carrying out a live STE or CD update the way arm_smmu_write_entry does:
 * the plan (hw/smmu/update, Linux's used-bits algorithm) says which qword to store when
 * and where to sync; here each store goes into memory and each sync goes
 * through the command queue (CMD_CFGI_STE or CMD_CFGI_CD, then CMD_SYNC), so
 * the SMMU's configuration cache really is invalidated at those points.
 */
import type { MemoryWrite } from '../../events.ts';
import type { TableAllocator } from '../../hw/memory/table-allocator.ts';
import { CD_FIELDS } from '../../hw/smmu/cd-fields.ts';
import { encodeFields, type FieldValues } from '../../hw/smmu/fields.ts';
import type { ConsumedCommand, Smmu } from '../../hw/smmu/smmu.ts';
import { STE_FIELDS } from '../../hw/smmu/ste-fields.ts';
import { readQwords } from '../../hw/smmu/stream-table.ts';
import { planCdUpdate, planSteUpdate, type UpdatePlan } from '../../hw/smmu/update/index.ts';
import { issueCommands, storeQwords, type CommandRequest } from './cmdq.ts';
import { cdAddressFor, steAddressFor } from './structures.ts';

export type ExecutedStep =
  | { readonly kind: 'write'; readonly qword: number; readonly write: MemoryWrite; readonly why: string }
  | { readonly kind: 'sync'; readonly writes: readonly MemoryWrite[]; readonly consumed: readonly ConsumedCommand[]; readonly why: string };

export interface EntryUpdate {
  readonly address: bigint;
  readonly before: readonly bigint[];
  readonly after: readonly bigint[];
  readonly plan: UpdatePlan;
  readonly executed: readonly ExecutedStep[];
  /** Writes made before the update itself (an L2 table allocated for the entry). */
  readonly setupWrites: readonly MemoryWrite[];
}

/**
 * For the Linux core (src/engine/os/core): it must see the SMMU between the
 * stores of one update, because DMA can arrive there (the transition invariant).
 */
export interface UpdateOptions {
  /** Called after each store and after each sync, in order. */
  readonly onStep?: (step: ExecutedStep) => void;
  /** CD updates: every StreamID of the master, each invalidated at each sync (arm_smmu_sync_cd). Default: the sid given. */
  readonly streams?: readonly number[];
}

function execute(smmu: Smmu, address: bigint, plan: UpdatePlan, syncCommands: CommandRequest[], onStep?: (step: ExecutedStep) => void): ExecutedStep[] {
  const executed: ExecutedStep[] = [];
  for (const step of plan.steps) {
    let done: ExecutedStep;
    if (step.kind === 'write') {
      const writes: MemoryWrite[] = [];
      storeQwords(smmu.mem, address + BigInt(step.qword * 8), [step.value], step.why, writes);
      done = { kind: 'write', qword: step.qword, write: writes[0] as MemoryWrite, why: step.why };
    } else {
      const r = issueCommands(smmu, syncCommands);
      done = { kind: 'sync', writes: r.writes, consumed: r.consumed, why: step.why };
    }
    executed.push(done);
    onStep?.(done);
  }
  return executed;
}

export function updateSte(smmu: Smmu, alloc: TableAllocator, sid: number, fields: Partial<FieldValues>, opts: UpdateOptions = {}): EntryUpdate {
  const target = encodeFields(fields, STE_FIELDS, 8);
  const setupWrites: MemoryWrite[] = [];
  const address = steAddressFor(smmu, alloc, sid, setupWrites);
  const before = readQwords(smmu.mem, address, 8) ?? new Array<bigint>(8).fill(0n);
  const plan = planSteUpdate(before, target);
  const executed = execute(smmu, address, plan, [{ op: 'CMD_CFGI_STE', fields: { StreamID: BigInt(sid), Leaf: 1n } }, { op: 'CMD_SYNC' }], opts.onStep);
  return { address, before, after: readQwords(smmu.mem, address, 8) ?? target, plan, executed, setupWrites };
}

export function updateCd(smmu: Smmu, alloc: TableAllocator, sid: number, ssid: number, fields: Partial<FieldValues>, cdTable?: bigint, opts: UpdateOptions = {}): EntryUpdate {
  const target = encodeFields(fields, CD_FIELDS, 8);
  const setupWrites: MemoryWrite[] = [];
  const { pa: address } = cdAddressFor(smmu, alloc, sid, ssid, setupWrites, cdTable);
  const before = readQwords(smmu.mem, address, 8) ?? new Array<bigint>(8).fill(0n);
  const streams = opts.streams && opts.streams.length > 0 ? opts.streams : [sid];
  const plan = planCdUpdate(before, target, { streams: streams.length });
  const cfgi: CommandRequest[] = streams.map((s) => ({ op: 'CMD_CFGI_CD', fields: { StreamID: BigInt(s), SubstreamID: BigInt(ssid), Leaf: 1n } }));
  const executed = execute(smmu, address, plan, [...cfgi, { op: 'CMD_SYNC' }], opts.onStep);
  return { address, before, after: readQwords(smmu.mem, address, 8) ?? target, plan, executed, setupWrites };
}
