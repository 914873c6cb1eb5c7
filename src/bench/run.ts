/**
 * `npm run bench [-- W1|W2|W3 ...]`: the engine benchmark. One JSON line per
 * workload on stdout and nothing else there; progress goes to stderr. A
 * benchmark prints numbers: it never fails on a timing.
 */
import { checksumMix } from '../engine/util/checksum.ts';
import { ACCESS_READ, newWalkOut, walkStage1, type WalkOut } from '../engine/index.ts';
import { Iotlb } from '../engine/hw/smmu/iotlb.ts';
import { walkStage1Batch } from '../engine/hw/pgtable/walk-batch.ts';
import { buildBurst, buildNested, buildStage1, iovaHiOf, iovaLoOf, lowbias32, M, N, type Workload } from './workloads.ts';
import type { Engine } from '../engine/index.ts';

const WARMUP = 1 << 18;
const WARMUP_CALLS = 4;

interface Result { checksum: number; faults: number }


/** One walk at a time through walkStage1 (its fast path, walk-fast.ts): W1 and W2. */
function runWalks(w: Workload, count: number, offset: number): Result {
  const out = newWalkOut();
  const { mem, regime, s2 } = w;
  let h = 0x811c9dc5 | 0;
  let faults = 0;
  for (let j = offset; j < offset + count; j++) {
    const k = lowbias32(j) & (N - 1);
    const off = (j & 0x3ff) << 2;
    if (!walkStage1(mem, regime, iovaHiOf(k), (iovaLoOf(k) + off) | 0, ACCESS_READ, out, null, s2)) { faults++; continue; }
    h = checksumMix(h, out.lo, out.hi);
  }
  return { checksum: h >>> 0, faults };
}

/** Queries handed to the batched walk at a time. */
const CHUNK = 256;

/** `-- W1batch` and `-- W2batch`: a cold walk per query (no TLB, no walk cache) through the engine's batched walk, checksummed in query order. */
function runBatched(w: Workload, count: number, offset: number): Result {
  const out = newWalkOut();
  const { mem, regime, s2, iovaHi, iovaLo } = w;
  const inHi = new Int32Array(CHUNK);
  const inLo = new Int32Array(CHUNK);
  const outHi = new Int32Array(CHUNK);
  const outLo = new Int32Array(CHUNK);
  const outFault = new Int32Array(CHUNK);
  let h = 0x811c9dc5 | 0;
  let faults = 0;
  for (let first = offset; first < offset + count; first += CHUNK) {
    const n = Math.min(CHUNK, offset + count - first);
    for (let i = 0; i < n; i++) {
      const j = first + i;
      const k = lowbias32(j) & (N - 1);
      inHi[i] = iovaHi[k] as number;
      inLo[i] = (iovaLo[k] as number) + ((j & 0x3ff) << 2);
    }
    faults += walkStage1Batch(mem, regime, inHi, inLo, ACCESS_READ, n, outHi, outLo, outFault, out, s2);
    for (let i = 0; i < n; i++) if (outFault[i] === 0) h = checksumMix(h, outLo[i] as number, outHi[i] as number);
  }
  return { checksum: h >>> 0, faults };
}

/** W3's miss path, kept out of the hit loop: a walk, then the fill a transaction would make. False on a fault. */
function walkAndFill(w: Workload, tlb: Iotlb, out: WalkOut, hi: number, lo: number): boolean {
  if (!walkStage1(w.mem, w.regime, hi, lo, ACCESS_READ, out, null, null)) return false;
  tlb.insert({ vmid: 0, asid: 1, stage: 1, hi: hi >>> 0, lo: lo >>> 0, shift: out.mapShift, outHi: out.hi, outLo: out.lo, ipaHi: hi, ipaLo: lo, perms1: 0x3f, perms2: 0x3f, level1: out.level, level2: 0 });
  return true;
}

/** W3: the engine's IOTLB in front of the walk, queries from a 512-page hot set. */
function runTlb(w: Workload, tlb: Iotlb, count: number, offset: number): Result {
  const out = newWalkOut();
  const { iovaHi, iovaLo } = w;
  let h = 0x811c9dc5 | 0;
  let faults = 0;
  for (let j = offset; j < offset + count; j++) {
    const k = lowbias32(j) & 511;
    // int32 patterns, not uint32: V8 keeps them in integer registers.
    const hi = iovaHi[k] as number | 0;
    const lo = ((iovaLo[k] as number) + ((j & 0x3ff) << 2)) | 0;
    const slot = tlb.lookup(0, 1, hi, lo);
    if (slot >= 0) h = checksumMix(h, tlb.outputLo(slot, lo), tlb.outputHi(slot, hi));
    else if (walkAndFill(w, tlb, out, hi, lo)) h = checksumMix(h, out.lo, out.hi);
    else faults++;
  }
  return { checksum: h >>> 0, faults };
}

/**
 * Wall-clock time by default. BENCH_CLOCK=cpu counts this process's CPU time
 * instead, which ignores the time other processes take the core: use it to
 * compare two builds on a shared machine, not as the headline figure.
 */
function now(): bigint {
  if (process.env.BENCH_CLOCK !== 'cpu') return process.hrtime.bigint();
  const u = process.cpuUsage();
  return BigInt(u.user + u.system) * 1000n;
}

function measure(name: string, run: (count: number, offset: number) => Result): void {
  // Warm-up on queries after the measured range, so the checksum covers exactly j = 0..M-1. Several calls, not
  // one long one: the measured call must enter the function's optimized code, not start in a lower tier and
  // switch over mid-loop (on-stack replacement), which is what a single warm-up call leaves it to do.
  for (let i = 0; i < WARMUP_CALLS; i++) run(WARMUP, M);
  const t0 = now();
  const r = run(M, 0);
  const ns = Number(now() - t0);
  const line = { workload: name, queries: M, ns_per_query: Math.round((ns / M) * 100) / 100, checksum: `0x${r.checksum.toString(16).padStart(8, '0')}`, faults: r.faults };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

const WORKLOADS: Record<string, () => void> = {
  W1: () => { const w = buildStage1(); measure('W1', (c, o) => runWalks(w, c, o)); },
  W2: () => { const w = buildNested(); measure('W2', (c, o) => runWalks(w, c, o)); },
  W3: () => {
    const w = buildStage1();
    const tlb = new Iotlb();
    // The warm-up fills the TLB; the measured run then starts warm, as the workload defines.
    measure('W3', (c, o) => runTlb(w, tlb, c, o));
  },
};
/**
 * smmu.dmaBurst, the engine command a lesson uses for a million DMAs: M reads
 * from StreamID 3 through the SMMU's real DMA path (configuration cache,
 * IOTLB, walks), untraced. DMAhit streams 64 bytes at a time over 2MB (512
 * pages: after the first pass every DMA is an IOTLB hit); DMAmiss jumps 4KB
 * at a time over 32MB (8192 pages, twice the IOTLB: every DMA misses and
 * walks). The checksum is the burst's own (its output addresses).
 */
function runBurst(e: Engine, stride: bigint, span: bigint) {
  return (count: number, offset: number): Result => {
    const ev = e.apply({ kind: 'smmu.dmaBurst', sid: 3, count, base: 0x1000_0000n + (BigInt(offset) * stride) % span, stride, span, access: { kind: 'read', privileged: true } })[0];
    if (ev?.kind !== 'smmu.dmaBurst') throw new Error(`burst refused: ${JSON.stringify(ev, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString(16) : v))}`);
    return { checksum: ev.burst.checksum, faults: ev.burst.terminated };
  };
}

const BURSTS: Record<string, () => void> = {
  DMAhit: () => { const e = buildBurst(); measure('DMAhit', runBurst(e, 0x40n, 0x20_0000n)); },
  DMAmiss: () => { const e = buildBurst(); measure('DMAmiss', runBurst(e, 0x1000n, 0x200_0000n)); },
};

/** The batched walk, to compare: `npm run -s bench -- W1batch W2batch`; the DMA bursts: `npm run -s bench -- DMAhit DMAmiss`. */
const VARIANTS: Record<string, () => void> = {
  W1batch: () => { const w = buildStage1(); measure('W1batch', (c, o) => runBatched(w, c, o)); },
  W2batch: () => { const w = buildNested(); measure('W2batch', (c, o) => runBatched(w, c, o)); },
};

const ALL = { ...WORKLOADS, ...VARIANTS, ...BURSTS };
const asked = process.argv.slice(2).filter((a) => a !== '--');
const unknown = asked.filter((a) => !ALL[a]);
if (unknown.length > 0) {
  process.stderr.write(`unknown workload ${unknown.join(', ')}: choose from ${Object.keys(ALL).join(', ')}\n`);
  process.exit(2);
}
for (const name of asked.length > 0 ? asked : Object.keys(WORKLOADS)) {
  process.stderr.write(`${name}: building tables and running ${M} queries...\n`);
  (ALL[name] as () => void)();
}
