/**
 * Bringing the SMMU up the way arm_smmu_device_reset does: disable, point
 * the SMMU at a freshly allocated stream table and queues, enable the command
 * queue, invalidate every cached configuration and TLB entry, enable the
 * event queue, then SMMUEN. Unused StreamIDs of a linear table get abort STEs
 * (V = 1, Config = abort), as Linux writes them when bypass is disabled.
 */
import type { MemoryWrite } from '../../events.ts';
import type { TableAllocator } from '../../hw/memory/table-allocator.ts';
import { CMD_BYTES } from '../../hw/smmu/command.ts';
import { EVENT_RECORD_BYTES } from '../../hw/smmu/event-record.ts';
import { encodeFields } from '../../hw/smmu/fields.ts';
import type { RegisterName } from '../../hw/smmu/registers.ts';
import type { ConsumedCommand, Smmu } from '../../hw/smmu/smmu.ts';
import { STE_BYTES, STE_CONFIG, STE_FIELDS } from '../../hw/smmu/ste-fields.ts';
import { EngineError } from '../../util/assert.ts';
import { issueCommands, withSync } from './cmdq.ts';

/** Linux: 2-level stream tables with 256 STEs (one PCI bus) per L2 table. */
export const STRTAB_SPLIT = 8;

export interface ProbeOptions {
  readonly streamTable: 'linear' | '2-level';
  /** StreamID bits the table covers (defaults: 8 for linear, SIDSIZE for 2-level). */
  readonly log2size?: number;
  readonly cmdqLog2?: number;
  readonly evtqLog2?: number;
}

export interface RegisterWrite { readonly register: RegisterName; readonly old: bigint; readonly value: bigint; readonly consumed: readonly ConsumedCommand[] }

export interface ProbeResult {
  readonly registers: RegisterWrite[];
  readonly writes: MemoryWrite[];
  readonly streamTable: { readonly address: bigint; readonly bytes: bigint; readonly fmt: 'linear' | '2-level'; readonly log2size: number };
  readonly cmdq: { readonly address: bigint; readonly log2size: number };
  readonly evtq: { readonly address: bigint; readonly log2size: number };
  /** Abort STEs written into a linear table. */
  readonly initialisedStes: number;
}

function pow2Bytes(bytes: bigint): bigint {
  let b = 1n;
  while (b < bytes) b <<= 1n;
  return b;
}

export function probeSmmu(smmu: Smmu, alloc: TableAllocator, opts: ProbeOptions): ProbeResult {
  const f = smmu.features;
  if (opts.streamTable === '2-level' && !f.twoLevelStreamTable) throw new EngineError('this SMMU has no 2-level stream tables (IDR0.ST_LEVEL = 0)', 'streamTable');
  const log2size = opts.log2size ?? (opts.streamTable === 'linear' ? Math.min(8, f.sidBits) : f.sidBits);
  if (log2size > f.sidBits) throw new EngineError(`log2size ${log2size} exceeds SIDSIZE ${f.sidBits}`, 'log2size');
  if (opts.streamTable === 'linear' && log2size > 16) throw new EngineError('a linear stream table of more than 2^16 STEs is too large to model; use 2-level', 'log2size');
  const cmdqLog2 = Math.min(opts.cmdqLog2 ?? 8, f.cmdqLog2);
  const evtqLog2 = Math.min(opts.evtqLog2 ?? 7, f.evtqLog2);

  const registers: RegisterWrite[] = [];
  const writes: MemoryWrite[] = [];
  const set = (register: RegisterName, value: bigint) => {
    const old = smmu.read(register);
    const consumed = smmu.write(register, value);
    registers.push({ register, old, value, consumed });
  };

  set('CR0', 0n);
  const linear = opts.streamTable === 'linear';
  const split = Math.min(STRTAB_SPLIT, log2size);
  const strtabBytes = linear ? BigInt(2 ** log2size * STE_BYTES) : pow2Bytes(BigInt(2 ** (log2size - split) * 8));
  const strtab = alloc.alloc(pow2Bytes(strtabBytes));
  let initialisedStes = 0;
  if (linear) {
    const abort = encodeFields({ V: 1n, Config: BigInt(STE_CONFIG.abort) }, STE_FIELDS, 8);
    for (let sid = 0; sid < 2 ** log2size; sid++) smmu.mem.write64(strtab + BigInt(sid * STE_BYTES), abort[0] as bigint);
    initialisedStes = 2 ** log2size;
  }
  const cmdq = alloc.alloc(BigInt(2 ** cmdqLog2 * CMD_BYTES));
  const evtq = alloc.alloc(BigInt(2 ** evtqLog2 * EVENT_RECORD_BYTES));

  set('CR2', 0b110n); // PTM | RECINVSID, as Linux writes it
  set('STRTAB_BASE', strtab | (1n << 62n));
  set('STRTAB_BASE_CFG', BigInt(log2size) | (linear ? 0n : (BigInt(split) << 6n) | (1n << 16n)));
  set('CMDQ_BASE', cmdq | BigInt(cmdqLog2) | (1n << 62n));
  set('CMDQ_PROD', 0n);
  set('CMDQ_CONS', 0n);
  set('CR0', 0b1000n); // CMDQEN
  const inval = issueCommands(smmu, withSync([{ op: 'CMD_CFGI_STE_RANGE', fields: { Range: 31n } }, { op: 'CMD_TLBI_NSNH_ALL' }]));
  writes.push(...inval.writes);
  registers.push({ register: 'CMDQ_PROD', old: inval.prod.old, value: inval.prod.value, consumed: inval.consumed });
  set('EVTQ_BASE', evtq | BigInt(evtqLog2) | (1n << 62n));
  set('EVTQ_PROD', 0n);
  set('EVTQ_CONS', 0n);
  set('CR0', 0b1100n); // CMDQEN | EVTQEN
  set('CR0', 0b1101n); // | SMMUEN
  return {
    registers, writes,
    streamTable: { address: strtab, bytes: strtabBytes, fmt: opts.streamTable, log2size },
    cmdq: { address: cmdq, log2size: cmdqLog2 },
    evtq: { address: evtq, log2size: evtqLog2 },
    initialisedStes,
  };
}
