/**
 * The benchmark workloads of shared/bench/WORKLOADS.md, built with the
 * engine's own commands (io-pgtable map, stage-2 tables) so that the walks
 * measured are the engine's real translation path with tracing off.
 */
import { Engine, type EngineCommand, type EngineEvent } from '../engine/index.ts';
import type { WalkTables } from '../engine/hw/pgtable/tables.ts';
import type { Stage1Regime } from '../engine/hw/pgtable/regime.ts';
import type { PhysicalMemory } from '../engine/hw/memory/physical-memory.ts';

export const N = 65536;
export const M = 1 << 22;
const IOVA_BASE = 0x40_0000_0000n;
const OA_BASE = 0x80_0000_0000n;
const TWO_40 = 1n << 40n;
const RW = { read: true, write: true, exec: false, priv: true };

export function lowbias32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** p_i = (i * 2654435761) mod 2^24, exactly (the product exceeds 2^53, so it is done in halves). */
export function pageIndex(i: number): number {
  return (Math.imul(i, 2654435761 >>> 0) >>> 0) & 0xff_ffff;
}

/**
 * IOVA_k's halves as int32 patterns, from the formula (0x40_0000_0000 +
 * p_k * 4096, p_k < 2^24), for the measured loops: computing them costs a
 * multiply, where the iovaHi/iovaLo tables (512 KB) would take their share
 * of the L2 cache from the tables being walked.
 */
export function iovaHiOf(k: number): number {
  return 0x40 + (pageIndex(k) >>> 20);
}

export function iovaLoOf(k: number): number {
  return pageIndex(k) << 12;
}

export interface Workload {
  readonly mem: PhysicalMemory;
  readonly regime: Stage1Regime;
  readonly s2: WalkTables | null;
  /** IOVA_i halves, indexed by i. */
  readonly iovaHi: Uint32Array;
  readonly iovaLo: Uint32Array;
}

function must(e: Engine, c: EngineCommand): EngineEvent {
  const [ev] = e.apply(c);
  if (!ev || ev.kind === 'command.rejected') throw new Error(`setup failed at ${c.kind}: ${ev && 'message' in ev ? ev.message : 'no event'}`);
  return ev;
}

function mapping(): { iovaHi: Uint32Array; iovaLo: Uint32Array } {
  const iovaHi = new Uint32Array(N);
  const iovaLo = new Uint32Array(N);
  for (let i = 0; i < N; i++) {
    const iova = IOVA_BASE + BigInt(pageIndex(i)) * 4096n;
    iovaHi[i] = Number(iova >> 32n);
    iovaLo[i] = Number(iova & 0xffff_ffffn);
  }
  return { iovaHi, iovaLo };
}

/** W1 (and W3): a 4KB, 48-bit stage-1 table mapping IOVA_i -> OA_i. */
export function buildStage1(): Workload & { engine: Engine; tablePages: bigint[] } {
  // Table memory sits well below the IOVAs and OAs; 1GB holds every table the mapping needs.
  const engine = new Engine({ tableMemoryBase: 0x1_0000_0000n, tableMemorySize: 0x4000_0000n });
  const created = must(engine, { kind: 'pgtable.create', name: 's1', config: { TG0: 0, T0SZ: 16, IPS: 5 } });
  const tablePages: bigint[] = created.kind === 'pgtable.created' ? [created.root.address] : [];
  const { iovaHi, iovaLo } = mapping();
  for (let i = 0; i < N; i++) {
    const iova = (BigInt(iovaHi[i] as number) << 32n) | BigInt(iovaLo[i] as number);
    const ev = must(engine, { kind: 'pgtable.map', table: 's1', iova, paddr: OA_BASE + BigInt(i) * 4096n, size: 4096n, prot: RW });
    if (ev.kind === 'pgtable.mapped') for (const t of ev.tables) tablePages.push(t.address);
  }
  return { engine, mem: engine.memory, regime: engine.regime('s1') as Stage1Regime, s2: null, iovaHi, iovaLo, tablePages };
}

/**
 * W2: W1's stage-1 tables live in IPA space; stage 2 (4KB, 48-bit IPA, start
 * level 0) maps every IPA page stage 1 uses — its table pages and its output
 * pages — to PA = IPA + 2^40. The stage-1 table pages move to their PAs:
 * the engine builds them in its table pool (PA = IPA), and nothing of this
 * workload lives at those PAs, so they are cleared there; left in place they
 * would double the memory's qword hash (both copies' sparse leaf tables) for
 * no walk to read.
 */
export function buildNested(): Workload {
  const w = buildStage1();
  const e = w.engine;
  const s2 = must(e, { kind: 'pgtable.create', name: 's2', stage: 2, config: { S2TG: 0, S2T0SZ: 16, S2SL0: 2, S2PS: 5 } });
  if (s2.kind !== 'pgtable.created' || s2.stage !== 2) throw new Error('stage 2 not created');
  // Read and cleared first, then written at IPA + 2^40: the hash then holds one copy.
  const moved: { page: bigint; qwords: [bigint, bigint][] }[] = [];
  for (const page of w.tablePages) {
    const qwords: [bigint, bigint][] = [];
    for (let off = 0n; off < 4096n; off += 8n) {
      const v = w.mem.read64(page + off) ?? 0n;
      if (v !== 0n) {
        qwords.push([off, v]);
        w.mem.write64(page + off, 0n);
      }
    }
    moved.push({ page, qwords });
  }
  for (const { page, qwords } of moved) {
    must(e, { kind: 'pgtable.map', table: 's2', iova: page, paddr: page + TWO_40, size: 4096n, prot: RW });
    w.mem.write64(page + TWO_40, 0n); // the copy exists even where the table is empty
    for (const [off, v] of qwords) w.mem.write64(page + TWO_40 + off, v);
  }
  for (let i = 0; i < N; i++) {
    const oa = OA_BASE + BigInt(i) * 4096n;
    must(e, { kind: 'pgtable.map', table: 's2', iova: oa, paddr: oa + TWO_40, size: 4096n, prot: RW });
  }
  const tables = e.stage2Tables('s2');
  if (!tables) throw new Error('stage-2 tables missing');
  return { ...w, s2: tables };
}

/**
 * The burst workloads: an SMMU with StreamID 3 translating through a 4KB,
 * 48-bit stage-1 table that maps 32MB at IOVA 0x1000_0000 in 4KB pages (as
 * the smmu-million-dmas lesson), set up with the engine's own commands.
 */
export function buildBurst(): Engine {
  const e = new Engine();
  must(e, { kind: 'smmu.probe', preset: 'full', options: { streamTable: 'linear' } });
  const created = must(e, { kind: 'pgtable.create', name: 'dev0', config: { TG0: 0, T0SZ: 16, IPS: 5 } });
  if (created.kind !== 'pgtable.created' || created.stage !== 1) throw new Error('table not created');
  must(e, { kind: 'pgtable.map', table: 'dev0', iova: 0x1000_0000n, paddr: 0x8_8000_1000n, size: 0x200_0000n, prot: RW });
  must(e, { kind: 'smmu.writeSte', sid: 3, fields: { V: 1n, Config: 5n, S1ContextPtr: 0x9000_0000n } });
  must(e, { kind: 'smmu.writeCd', sid: 3, ssid: 0, fields: { V: 1n, AA64: 1n, A: 1n, R: 1n, T0SZ: 16n, TG0: 0n, IPS: 5n, EPD1: 1n, ASID: 1n, TTB0: created.config.TTB0 } });
  return e;
}
