/**
 * Setting up an SMMU through the real Engine, as a driver would: probe it,
 * build page tables, write STEs and CDs field by field, issue commands and
 * send DMA. Every helper goes through engine.apply and fails loudly when the
 * engine refuses a command, so a test never runs on a half-built setup.
 */
import { Engine, type EngineCommand, type EngineEvent, type Prot } from '../../../../src/engine/index.ts';
import type { DmaOutcome } from '../../../../src/engine/hw/smmu/dma-types.ts';
import type { SmmuFeatures } from '../../../../src/engine/hw/smmu/features.ts';
import type { Smmu } from '../../../../src/engine/hw/smmu/smmu.ts';
import type { CommandRequest } from '../../../../src/engine/os/arm-smmu-v3/cmdq.ts';
import type { AccessKind } from '../../../../src/engine/hw/pgtable/types.ts';

export const RW: Prot = { read: true, write: true, exec: false, priv: true };
export const RO: Prot = { read: true, write: false, exec: false, priv: true };

/** Where tests put structures that are not allocated by the engine (CD tables), and memory that is never written. */
export const CD_TABLE = 0x1000_0000n;
export const NOWHERE = 0x3000_0000n;
/** Output addresses: nothing needs to exist there, the SMMU does not read them. */
export const PA_BASE = 0x8_0000_0000n;

const show = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x));

/** Applies one command and returns its event of `kind`; anything else (a rejection) fails the test. */
export function apply<K extends EngineEvent['kind']>(e: Engine, command: EngineCommand, kind: K): Extract<EngineEvent, { kind: K }> {
  const events = e.apply(command);
  const ev = events.find((x) => x.kind === kind);
  if (!ev) throw new Error(`${command.kind}: expected a ${kind} event, got ${show(events)}`);
  return ev as Extract<EngineEvent, { kind: K }>;
}

export interface ProbeSetup {
  readonly preset?: 'full' | 'qemu';
  readonly features?: Partial<SmmuFeatures>;
  readonly streamTable?: 'linear' | '2-level';
  readonly log2size?: number;
  readonly evtqLog2?: number;
  readonly cmdqLog2?: number;
}

export function probe(setup: ProbeSetup = {}): Engine {
  const e = new Engine();
  apply(e, {
    kind: 'smmu.probe', preset: setup.preset ?? 'full', ...(setup.features ? { features: setup.features } : {}),
    options: {
      streamTable: setup.streamTable ?? 'linear',
      ...(setup.log2size !== undefined ? { log2size: setup.log2size } : {}),
      ...(setup.evtqLog2 !== undefined ? { evtqLog2: setup.evtqLog2 } : {}),
      ...(setup.cmdqLog2 !== undefined ? { cmdqLog2: setup.cmdqLog2 } : {}),
    },
  }, 'smmu.probed');
  return e;
}

export function smmuOf(e: Engine): Smmu {
  const s = e.smmu;
  if (!s) throw new Error('no SMMU: probe first');
  return s;
}

export function reg(e: Engine, name: Parameters<Smmu['read']>[0]): bigint {
  return smmuOf(e).read(name);
}

export function writeReg(e: Engine, register: Parameters<Smmu['read']>[0], value: bigint): void {
  apply(e, { kind: 'smmu.writeRegister', register, value }, 'smmu.registerWritten');
}

export function writeSte(e: Engine, sid: number, fields: Record<string, bigint>) {
  return apply(e, { kind: 'smmu.writeSte', sid, fields }, 'smmu.steWritten');
}

export function writeCd(e: Engine, sid: number, ssid: number, fields: Record<string, bigint>) {
  return apply(e, { kind: 'smmu.writeCd', sid, ssid, fields }, 'smmu.cdWritten');
}

export function write64(e: Engine, address: bigint, value: bigint): void {
  apply(e, { kind: 'memory.write', address, value, size: 8 }, 'memory.written');
}

export function issue(e: Engine, commands: readonly CommandRequest[]) {
  return apply(e, { kind: 'smmu.issueCommands', commands }, 'smmu.commandsIssued');
}

/** The commands followed by CMD_SYNC, as the driver's arm_smmu_cmdq_issue_cmdlist(..., sync = true). */
export function issueSync(e: Engine, ...commands: CommandRequest[]) {
  return issue(e, [...commands, { op: 'CMD_SYNC' }]);
}

export interface DmaOptions {
  readonly ssid?: number;
  readonly kind?: AccessKind;
  readonly privileged?: boolean;
}

export function dma(e: Engine, sid: number, address: bigint, o: DmaOptions = {}): DmaOutcome {
  return apply(e, {
    kind: 'smmu.dma', sid, address, ...(o.ssid !== undefined ? { ssid: o.ssid } : {}),
    access: { kind: o.kind ?? 'read', privileged: o.privileged ?? true },
  }, 'smmu.dma').outcome;
}

/** A stage-1 io-pgtable; returns its TTB0. Defaults: 4KB granule, 48-bit VA, 48-bit IPS. */
export function s1Table(e: Engine, name: string, config: { TG0?: number; T0SZ?: number; IPS?: number } = {}): bigint {
  const ev = apply(e, { kind: 'pgtable.create', name, config: { TG0: config.TG0 ?? 0, T0SZ: config.T0SZ ?? 16, IPS: config.IPS ?? 5 } }, 'pgtable.created');
  if (ev.stage !== 1) throw new Error('expected a stage-1 table');
  return ev.config.TTB0;
}

export interface S2Table { readonly S2TTB: bigint; readonly startLevel: number; readonly concatenated: number }

export function s2Table(e: Engine, name: string, config: { S2TG: number; S2T0SZ: number; S2SL0: number; S2PS?: number }): S2Table {
  const ev = apply(e, { kind: 'pgtable.create', name, stage: 2, config: { ...config, S2PS: config.S2PS ?? 5 } }, 'pgtable.created');
  if (ev.stage !== 2) throw new Error('expected a stage-2 table');
  return { S2TTB: ev.config.S2TTB, startLevel: ev.startLevel, concatenated: ev.concatenated };
}

export function map(e: Engine, table: string, iova: bigint, paddr: bigint, size = 0x1000n, prot: Prot = RW) {
  return apply(e, { kind: 'pgtable.map', table, iova, paddr, size, prot }, 'pgtable.mapped');
}

export function unmap(e: Engine, table: string, iova: bigint, size = 0x1000n) {
  return apply(e, { kind: 'pgtable.unmap', table, iova, size }, 'pgtable.unmapped');
}

/** STE fields for a stage-1 stream (Config = 0b101) whose CD table is at `cdTable`. */
export function s1Ste(cdTable: bigint, extra: Record<string, bigint> = {}): Record<string, bigint> {
  return { V: 1n, Config: 0b101n, S1ContextPtr: cdTable, ...extra };
}

/** VTCR/S2TTB fields of an STE for a stage-2 table, recording faults (S2R = 1) unless told otherwise. */
export function s2Fields(t: { S2TTB: bigint }, vtcr: { S2TG: number; S2T0SZ: number; S2SL0: number; S2PS?: number }, extra: Record<string, bigint> = {}): Record<string, bigint> {
  return {
    S2TTB: t.S2TTB, S2TG: BigInt(vtcr.S2TG), S2T0SZ: BigInt(vtcr.S2T0SZ), S2SL0: BigInt(vtcr.S2SL0), S2PS: BigInt(vtcr.S2PS ?? 5),
    S2AA64: 1n, S2R: 1n, ...extra,
  };
}

/** CD fields Linux writes for a 4KB, 48-bit stage-1 context (arm_smmu_make_s1_cd), recording faults (R = 1). */
export function s1Cd(ttb0: bigint, asid: number, extra: Record<string, bigint> = {}): Record<string, bigint> {
  return { V: 1n, AA64: 1n, A: 1n, R: 1n, T0SZ: 16n, TG0: 0n, IPS: 5n, EPD1: 1n, ASID: BigInt(asid), TTB0: ttb0, ...extra };
}

/**
 * A stage-1 stream ready for DMA: STE `sid` -> linear CD table at `cdTable`
 * with one CD (SSID 0) -> a fresh 4KB/48-bit table `name`. Returns TTB0.
 */
export function stage1Stream(e: Engine, sid: number, name: string, asid = 1, cdTable = CD_TABLE, cd: Record<string, bigint> = {}): bigint {
  const ttb0 = s1Table(e, name);
  writeSte(e, sid, s1Ste(cdTable));
  writeCd(e, sid, 0, s1Cd(ttb0, asid, cd));
  return ttb0;
}
