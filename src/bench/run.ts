/**
 * `npm run bench [-- W1|W2|W3 ...]`: the engine benchmark. One JSON line per
 * workload on stdout and nothing else there; progress goes to stderr. A
 * benchmark prints numbers: it never fails on a timing.
 */
import { ACCESS_READ, newWalkOut, walkStage1 } from '../engine/index.ts';
import { Iotlb } from '../engine/hw/smmu/iotlb.ts';
import { walkStage1Batch } from '../engine/hw/pgtable/walk-batch.ts';
import { buildNested, buildStage1, lowbias32, M, N, type Workload } from './workloads.ts';

const WARMUP = 1 << 18;

interface Result { checksum: number; faults: number }

function mix(h: number, lo: number, hi: number): number {
  h = Math.imul(h ^ lo, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h ^ hi, 0x9e3779b1);
  h ^= h >>> 15;
  return h;
}

/** One walk at a time: W2 (the batch does not pay off for nested walks, see docs/performance.md) and `-- W1single`. */
function runWalks(w: Workload, count: number, offset: number): Result {
  const out = newWalkOut();
  const { mem, regime, s2, iovaHi, iovaLo } = w;
  let h = 0x811c9dc5 | 0;
  let faults = 0;
  for (let j = offset; j < offset + count; j++) {
    const k = lowbias32(j) & (N - 1);
    const off = (j & 0x3ff) << 2;
    if (!walkStage1(mem, regime, iovaHi[k] as number, ((iovaLo[k] as number) + off) >>> 0, ACCESS_READ, out, null, s2)) { faults++; continue; }
    h = mix(h, out.lo, out.hi);
  }
  return { checksum: h >>> 0, faults };
}

/** Queries handed to the batched walk at a time. */
const CHUNK = 256;

/** W1 (and `-- W2batch`): a cold walk per query (no TLB, no walk cache) through the engine's batched walk, checksummed in query order. */
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
    for (let i = 0; i < n; i++) if (outFault[i] === 0) h = mix(h, outLo[i] as number, outHi[i] as number);
  }
  return { checksum: h >>> 0, faults };
}

/** W3: the engine's IOTLB in front of the walk, queries from a 512-page hot set. */
function runTlb(w: Workload, tlb: Iotlb, count: number, offset: number): Result {
  const out = newWalkOut();
  const { mem, regime, iovaHi, iovaLo } = w;
  let h = 0x811c9dc5 | 0;
  let faults = 0;
  for (let j = offset; j < offset + count; j++) {
    const k = lowbias32(j) & 511;
    const hi = iovaHi[k] as number;
    const lo = ((iovaLo[k] as number) + ((j & 0x3ff) << 2)) >>> 0;
    const slot = tlb.lookup(0, 1, hi, lo);
    if (slot >= 0) { h = mix(h, tlb.outputLo(slot, lo), tlb.outputHi(slot, hi)); continue; }
    if (!walkStage1(mem, regime, hi, lo, ACCESS_READ, out, null, null)) { faults++; continue; }
    tlb.insert({ vmid: 0, asid: 1, stage: 1, hi, lo, shift: out.mapShift, outHi: out.hi, outLo: out.lo, ipaHi: hi, ipaLo: lo, perms1: 0x3f, perms2: 0x3f, level1: out.level, level2: 0 });
    h = mix(h, out.lo, out.hi);
  }
  return { checksum: h >>> 0, faults };
}

function measure(name: string, run: (count: number, offset: number) => Result): void {
  run(WARMUP, M); // warm-up on queries after the measured range, so the checksum covers exactly j = 0..M-1
  const t0 = process.hrtime.bigint();
  const r = run(M, 0);
  const ns = Number(process.hrtime.bigint() - t0);
  const line = { workload: name, queries: M, ns_per_query: Math.round((ns / M) * 100) / 100, checksum: `0x${r.checksum.toString(16).padStart(8, '0')}`, faults: r.faults };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

const WORKLOADS: Record<string, () => void> = {
  W1: () => { const w = buildStage1(); measure('W1', (c, o) => runBatched(w, c, o)); },
  W2: () => { const w = buildNested(); measure('W2', (c, o) => runWalks(w, c, o)); },
  W3: () => {
    const w = buildStage1();
    const tlb = new Iotlb();
    // The warm-up fills the TLB; the measured run then starts warm, as the workload defines.
    measure('W3', (c, o) => runTlb(w, tlb, c, o));
  },
};
/** The other way round, to compare: `npm run -s bench -- W1single W2batch`. */
const VARIANTS: Record<string, () => void> = {
  W1single: () => { const w = buildStage1(); measure('W1single', (c, o) => runWalks(w, c, o)); },
  W2batch: () => { const w = buildNested(); measure('W2batch', (c, o) => runBatched(w, c, o)); },
};

const ALL = { ...WORKLOADS, ...VARIANTS };
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
