/**
 * Issuing commands the way arm_smmu_cmdq_issue_cmdlist does: write each
 * 16-byte command into the queue at CMDQ_PROD, then publish the new PROD with
 * one register write, which makes the SMMU consume them. A full queue is an
 * error here (the driver would wait for CONS to move).
 */
import type { PhysicalMemory } from '../../hw/memory/physical-memory.ts';
import { encodeCommand, CMD_BYTES, type CommandName } from '../../hw/smmu/command.ts';
import type { FieldValues } from '../../hw/smmu/fields.ts';
import { getField } from '../../hw/smmu/fields.ts';
import { entryAddress, queueFull, queueInc } from '../../hw/smmu/queue.ts';
import { REGISTER_FIELDS } from '../../hw/smmu/registers.ts';
import type { ConsumedCommand, Smmu } from '../../hw/smmu/smmu.ts';
import type { MemoryWrite } from '../../events.ts';
import { EngineError } from '../../util/assert.ts';

export interface CommandRequest {
  readonly op: CommandName;
  readonly fields?: Partial<FieldValues>;
}

export interface IssueResult {
  readonly writes: MemoryWrite[];
  readonly prod: { readonly old: bigint; readonly value: bigint };
  readonly consumed: ConsumedCommand[];
}

export function storeQwords(mem: PhysicalMemory, address: bigint, words: readonly bigint[], what: string, writes: MemoryWrite[]): void {
  words.forEach((value, i) => {
    const a = address + BigInt(i * 8);
    const old = mem.read64(a);
    mem.write64(a, value);
    writes.push({ address: a, size: 8, old, value, what });
  });
}

export function issueCommands(smmu: Smmu, commands: readonly CommandRequest[]): IssueResult {
  const base = smmu.read('CMDQ_BASE');
  const fields = REGISTER_FIELDS.CMDQ_BASE ?? [];
  const addr = getField([base], fields.find((f) => f.name === 'ADDR')!);
  const log2 = Math.min(Number(getField([base], fields.find((f) => f.name === 'LOG2SIZE')!)), smmu.features.cmdqLog2);
  if (addr === 0n) throw new EngineError('the command queue is not set up (CMDQ_BASE = 0): probe the SMMU first', 'CMDQ_BASE');
  const q = { base: addr, log2size: log2, entryBytes: CMD_BYTES };
  const writes: MemoryWrite[] = [];
  const oldProd = smmu.read('CMDQ_PROD');
  let prod = Number(oldProd) & ((2 << log2) - 1);
  const cons = smmu.fieldOf('CMDQ_CONS', 'RD');
  // Checked before anything is written, so a refused batch leaves the queue untouched.
  let probe = prod;
  for (let i = 0; i < commands.length; i++) {
    if (queueFull(probe, cons, log2)) throw new EngineError(`the command queue is full (2^${log2} entries)`, 'command');
    probe = queueInc(probe, log2);
  }
  const encoded = commands.map((c) => encodeCommand(c));
  for (const [i, c] of commands.entries()) {
    storeQwords(smmu.mem, entryAddress(q, prod), encoded[i] as [bigint, bigint], c.op, writes);
    prod = queueInc(prod, log2);
  }
  const value = BigInt(prod);
  const consumed = smmu.write('CMDQ_PROD', value);
  return { writes, prod: { old: oldProd, value }, consumed };
}

/** The driver's "sync" after changing a structure: the invalidation, then CMD_SYNC. */
export function withSync(commands: readonly CommandRequest[]): CommandRequest[] {
  return [...commands, { op: 'CMD_SYNC' }];
}
