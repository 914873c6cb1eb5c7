/**
 * The SMMU device: registers, caches, the command queue it consumes and the
 * event queue it fills, all in the simulated memory. It is programmed the
 * way a driver programs it — register writes, table writes in memory,
 * commands in the queue — so every change the UI shows is one of those.
 */
import { EngineError } from '../../util/assert.ts';
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import { PciEndpoints } from '../pci/endpoints.ts';
import { decodeCommand, CMD_BYTES, type SmmuCommand } from './command.ts';
import { executeCommand } from './command-exec.ts';
import { ConfigCache } from './config-cache.ts';
import { runDma, type SmmuContext } from './dma.ts';
import type { DmaOutcome, DmaTransaction } from './dma-types.ts';
import { encodeEventRecord, EVENT_RECORD_BYTES, type EventRecord } from './event-record.ts';
import { idr0, idr1, idr5, validateFeatures, type SmmuFeatures } from './features.ts';
import { getField, setField } from './fields.ts';
import { Iotlb } from './iotlb.ts';
import { entryAddress, queueEmpty, queueFull, queueInc, type QueueGeometry } from './queue.ts';
import { CERROR, REGISTER_FIELDS, REGISTERS, type RegisterName } from './registers.ts';
import { readQwords, type StreamTableConfig } from './stream-table.ts';

/** Commands that exist only when stage 2 is implemented (IDR0.S2P); elsewhere they are CERROR_ILL. */
const STAGE2_COMMANDS = new Set(['CMD_TLBI_S2_IPA', 'CMD_TLBI_S12_VMALL']);

/** GBPA after reset, as QEMU models it: SHCFG = use incoming, ABORT = 0 (bypass while disabled). */
export const GBPA_RESET = 0x1000n;

export interface ConsumedCommand {
  readonly index: number;
  readonly address: bigint;
  readonly words: readonly [bigint, bigint];
  readonly command?: SmmuCommand;
  readonly summary: string;
  readonly invalidated: number;
  /** Set when the SMMU stopped on this command. */
  readonly error?: 'CERROR_ILL' | 'CERROR_ABT';
}

const field = (reg: RegisterName, name: string) => {
  const f = REGISTER_FIELDS[reg]?.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${reg}.${name}`);
  return f;
};

export class Smmu implements SmmuContext {
  readonly regs: Map<RegisterName, bigint>;
  configCache: ConfigCache;
  iotlb: Iotlb;
  /** The PCIe functions behind its root complex: where CMD_ATC_INV sends ATS Invalidate Requests (SID = RID). */
  readonly endpoints: PciEndpoints;

  constructor(readonly mem: PhysicalMemory, readonly features: SmmuFeatures, init?: { regs: Map<RegisterName, bigint>; configCache: ConfigCache; iotlb: Iotlb; endpoints?: PciEndpoints }) {
    validateFeatures(features);
    this.regs = init ? new Map(init.regs) : new Map<RegisterName, bigint>([
      ['IDR0', BigInt(idr0(features))], ['IDR1', BigInt(idr1(features))], ['IDR3', 0n], ['IDR5', BigInt(idr5(features))], ['GBPA', GBPA_RESET],
    ]);
    this.configCache = init?.configCache ?? new ConfigCache();
    this.iotlb = init?.iotlb ?? new Iotlb();
    this.endpoints = init?.endpoints ?? new PciEndpoints();
  }

  read(name: RegisterName): bigint {
    return this.regs.get(name) ?? 0n;
  }

  fieldOf(reg: RegisterName, name: string): number {
    return Number(getField([this.read(reg)], field(reg, name)));
  }

  get enabled(): boolean {
    return this.fieldOf('CR0', 'SMMUEN') === 1;
  }

  get gbpaAbort(): boolean {
    return this.fieldOf('GBPA', 'ABORT') === 1;
  }

  get streamTable(): StreamTableConfig {
    return {
      base: getField([this.read('STRTAB_BASE')], field('STRTAB_BASE', 'ADDR')),
      fmt: this.fieldOf('STRTAB_BASE_CFG', 'FMT'),
      split: this.fieldOf('STRTAB_BASE_CFG', 'SPLIT'),
      log2size: this.fieldOf('STRTAB_BASE_CFG', 'LOG2SIZE'),
    };
  }

  /** A register write as a driver makes it. Writing CMDQ_PROD makes the SMMU consume commands. */
  write(name: RegisterName, value: bigint): ConsumedCommand[] {
    const r = REGISTERS[name];
    if (r.readOnly) throw new EngineError(`${name} is read-only`, 'register');
    const max = r.size === 8 ? 1n << 64n : 1n << 32n;
    if (value < 0n || value >= max) throw new EngineError(`${name} is a ${r.size * 8}-bit register`, 'value');
    if (name === 'STRTAB_BASE_CFG' && this.enabled) throw new EngineError('STRTAB_BASE_CFG cannot change while CR0.SMMUEN = 1', 'register');
    if (name === 'GBPA') value &= ~(1n << 31n); // UPDATE completes at once
    this.regs.set(name, value);
    if (name === 'CR0') this.regs.set('CR0ACK', value);
    if (name === 'CMDQ_PROD' && this.fieldOf('CR0', 'CMDQEN') === 1) return this.consumeCommands();
    // Enabling the queue, or acknowledging a command error in GERRORN, lets the SMMU (re)start consuming.
    if ((name === 'CR0' || name === 'GERRORN') && this.fieldOf('CR0', 'CMDQEN') === 1) return this.consumeCommands();
    return [];
  }

  private queue(reg: 'CMDQ_BASE' | 'EVTQ_BASE', entryBytes: number): QueueGeometry {
    return {
      base: getField([this.read(reg)], field(reg, 'ADDR')),
      log2size: Math.min(this.fieldOf(reg, 'LOG2SIZE'), reg === 'CMDQ_BASE' ? this.features.cmdqLog2 : this.features.evtqLog2),
      entryBytes,
    };
  }

  private consumeCommands(): ConsumedCommand[] {
    const q = this.queue('CMDQ_BASE', CMD_BYTES);
    const prod = Number(this.read('CMDQ_PROD')) & ((2 << q.log2size) - 1);
    let cons = this.fieldOf('CMDQ_CONS', 'RD');
    const done: ConsumedCommand[] = [];
    if (this.fieldOf('CMDQ_CONS', 'ERR') !== 0 && this.fieldOf('GERROR', 'CMDQ_ERR') !== (Number(this.read('GERRORN')) & 1)) return done;
    while (!queueEmpty(prod, cons, q.log2size)) {
      const address = entryAddress(q, cons);
      const w = readQwords(this.mem, address, 2);
      const index = cons & ((1 << q.log2size) - 1);
      if (!w) return [...done, this.stop(index, address, [0n, 0n], 'CERROR_ABT', cons, 'the command could not be read: no memory at that address')];
      const words = [w[0] as bigint, w[1] as bigint] as const;
      const cmd = decodeCommand(words);
      const illegal = !cmd ? `opcode 0x${(words[0] & 0xffn).toString(16)} is not a command`
        : (cmd.fields.SSec ?? 0n) !== 0n ? 'SSec = 1 on the Non-secure command queue'
        : STAGE2_COMMANDS.has(cmd.op) && !this.features.stage2 ? `${cmd.op} needs stage 2, which this SMMU does not implement`
        : undefined;
      if (illegal || !cmd) return [...done, this.stop(index, address, words, 'CERROR_ILL', cons, illegal ?? 'not a command')];
      const effect = executeCommand(cmd, this.configCache, this.iotlb, this.endpoints);
      if (cmd.op === 'CMD_SYNC' && cmd.fields.CS === 1n && (cmd.fields.MSIAddress ?? 0n) !== 0n) {
        this.mem.write(cmd.fields.MSIAddress as bigint, cmd.fields.MSIData ?? 0n, 4);
      }
      done.push({ index, address, words, command: cmd, summary: effect.summary, invalidated: effect.invalidated });
      cons = queueInc(cons, q.log2size);
      this.regs.set('CMDQ_CONS', BigInt(cons));
    }
    return done;
  }

  /** The SMMU stops consuming at a bad command: CMDQ_CONS.ERR says why and GERROR.CMDQ_ERR toggles. */
  private stop(index: number, address: bigint, words: readonly [bigint, bigint], error: 'CERROR_ILL' | 'CERROR_ABT', cons: number, why: string): ConsumedCommand {
    const consValue = setField([BigInt(cons)], field('CMDQ_CONS', 'ERR'), BigInt(CERROR[error === 'CERROR_ILL' ? 'ILL' : 'ABT']))[0] as bigint;
    this.regs.set('CMDQ_CONS', consValue);
    const gerrorn = Number(this.read('GERRORN')) & 1;
    this.regs.set('GERROR', (this.read('GERROR') & ~1n) | BigInt(gerrorn ^ 1));
    return { index, address, words, summary: `${error}: ${why}; the command queue stops until software acknowledges GERROR and fixes the entry`, invalidated: 0, error };
  }

  recordEvent(e: EventRecord): { index: number; address: bigint } | { dropped: string } {
    if (e.name === 'C_BAD_STREAMID' && this.fieldOf('CR2', 'RECINVSID') !== 1) return { dropped: 'C_BAD_STREAMID is recorded only when CR2.RECINVSID = 1' };
    if (this.fieldOf('CR0', 'EVTQEN') !== 1) return { dropped: 'the event queue is disabled (CR0.EVTQEN = 0)' };
    const q = this.queue('EVTQ_BASE', EVENT_RECORD_BYTES);
    const prodReg = this.read('EVTQ_PROD');
    const prod = Number(prodReg & 0xfffffn);
    const cons = Number(this.read('EVTQ_CONS') & 0xfffffn);
    if (queueFull(prod, cons, q.log2size)) {
      // OVFLG toggles only when the previous overflow was acknowledged (OVFLG == EVTQ_CONS.OVACKFLG).
      const acked = ((prodReg >> 31n) & 1n) === ((this.read('EVTQ_CONS') >> 31n) & 1n);
      if (acked) this.regs.set('EVTQ_PROD', prodReg ^ (1n << 31n));
      return { dropped: acked ? 'the event queue is full: EVTQ_PROD.OVFLG toggled' : 'the event queue is full (an earlier overflow is not yet acknowledged)' };
    }
    const address = entryAddress(q, prod);
    encodeEventRecord(e).forEach((w, i) => this.mem.write64(address + BigInt(i * 8), w));
    this.regs.set('EVTQ_PROD', (prodReg & (1n << 31n)) | BigInt(queueInc(prod, q.log2size)));
    return { index: prod & ((1 << q.log2size) - 1), address };
  }

  dma(tx: DmaTransaction): DmaOutcome {
    return runDma(this, tx);
  }

  clone(mem: PhysicalMemory): Smmu {
    return new Smmu(mem, this.features, { regs: this.regs, configCache: this.configCache.clone(), iotlb: this.iotlb.clone(), endpoints: this.endpoints.clone() });
  }
}
