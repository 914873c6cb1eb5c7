/**
 * Limits on what a scenario may ask for. Scenarios arrive from strangers
 * (share links, files, pasted text), so parseScenario refuses, before any
 * step is validated or run, a document that is too large or too deep, or
 * that would have the engine build millions of descriptors. Each refusal
 * names the limit and where it was crossed. docs/reliability.md lists them.
 */
import { parseU64 } from '../engine/util/u64.ts';
import { HEX_PATTERN, MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, MAX_NOTE_LENGTH, MAX_STEPS, MAX_TITLE_LENGTH } from './fields.ts';
import type { ScenarioIssue } from './issues.ts';

export const LIMITS = {
  /** JSON text of one scenario, in characters (a share link counts the UTF-8 bytes it inflates to). */
  documentSize: 1_048_576,
  /** Objects and arrays inside one another; the format itself needs 5. */
  depth: 32,
  steps: MAX_STEPS,
  /** PCI devices, over every linux.boot step. */
  devices: 256,
  /** pgtable.map steps and mapping kernel calls (iommu_map, mm_map, dma_map_single, dma_map_sg). */
  mappings: 4_096,
  /** Leaf descriptors one mapping step may make the engine write (estimated from its size and alignment). */
  entriesPerMapping: 65_536,
  /** The same over the whole scenario. */
  entriesTotal: 262_144,
  /** Physical addresses are modelled with 52 bits (FEAT_LPA); IOVAs and VAs with 64. */
  physicalAddressBits: 52,
  title: MAX_TITLE_LENGTH,
  description: MAX_DESCRIPTION_LENGTH,
  note: MAX_NOTE_LENGTH,
  name: MAX_NAME_LENGTH,
  schemaUrl: 2_000,
} as const;

const PA_LIMIT = 1n << BigInt(LIMITS.physicalAddressBits);
const KB = 1024n;

function count(n: number | bigint): string {
  return n.toLocaleString('en-US');
}

/**
 * The size of `value` as compact JSON, counted without building the text and
 * given up on as soon as it passes the limit; or the path where it nests too
 * deep. Iterative, so a cyclic or very deep value cannot overflow the stack.
 */
export function sizeIssue(value: unknown): ScenarioIssue | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '' }];
  let size = 0;
  while (stack.length > 0) {
    const { value: here, depth, path } = stack.pop() as { value: unknown; depth: number; path: string };
    if (typeof here === 'string') size += here.length + 2;
    else if (typeof here === 'number' || typeof here === 'boolean') size += String(here).length;
    else if (here === null || here === undefined) size += 4;
    else if (typeof here === 'object') {
      if (depth >= LIMITS.depth) return { path, message: `is nested ${LIMITS.depth} levels deep; a scenario nests at most ${LIMITS.depth} objects and arrays inside one another` };
      const entries = Array.isArray(here) ? here.map((v, i) => [i, v] as const) : Object.entries(here as Record<string, unknown>);
      size += 2 + entries.length;
      for (const [key, inner] of entries) {
        if (typeof key === 'string') size += key.length + 3;
        stack.push({ value: inner, depth: depth + 1, path: typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}` });
      }
    } else size += 8;
    if (size > LIMITS.documentSize) {
      return { path: '', message: `is larger than ${count(LIMITS.documentSize)} characters of JSON, the most a scenario may be` };
    }
  }
  return undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function hex(value: unknown): bigint | undefined {
  return typeof value === 'string' && HEX_PATTERN.test(value) ? parseU64(value) : undefined;
}

/** Sizes one entry can map, largest first: the granule's blocks and page (what io-pgtable may pick). */
function pageSizes(granule: bigint): bigint[] {
  if (granule === 4n * KB) return [1n << 30n, 2n << 20n, 4n * KB];
  return [granule * (granule / 8n), granule];
}

const GRANULE_OF_TG0: Readonly<Record<number, bigint>> = { 0: 4n * KB, 1: 64n * KB, 2: 16n * KB };

/**
 * About how many leaf entries mapping `size` bytes makes: the largest page
 * size whose low bits the IOVA and the PA share is the most io-pgtable can
 * use for the bulk of the range; the ends may take a few smaller ones.
 */
export function estimatedEntries(iova: bigint, paddr: bigint, size: bigint, granule: bigint): bigint {
  const sizes = pageSizes(granule);
  const page = sizes.find((s) => ((iova ^ paddr) & (s - 1n)) === 0n) ?? granule;
  return size / page + 2n * BigInt(sizes.length);
}

/** The PA fields of each step kind and linux.call, with the size field that extends them. */
const PA_FIELDS: Readonly<Record<string, readonly (readonly [field: string, size?: string])[]>> = {
  'memory.write': [['address']],
  'pgtable.map': [['paddr', 'size']],
  'pgtable.create': [['TTB0'], ['TTB1'], ['S2TTB']],
};
const PA_ARGS: Readonly<Record<string, readonly (readonly [field: string, size?: string])[]>> = {
  iommu_map: [['paddr', 'size']],
  mm_map: [['paddr', 'size']],
  dma_map_single: [['paddr', 'size']],
  iommu_dma_prepare_msi: [['msiAddr']],
};

function paIssues(fields: Record<string, unknown>, specs: readonly (readonly [string, string?])[], at: (field: string) => string, out: ScenarioIssue[]): void {
  for (const [field, sizeField] of specs) {
    const pa = hex(fields[field]);
    if (pa === undefined) continue;
    const size = sizeField === undefined ? (field === 'address' ? 1n : 0n) : (hex(fields[sizeField]) ?? 0n);
    if (pa >= PA_LIMIT || pa + size > PA_LIMIT) {
      out.push({ path: at(field), message: `${size > 1n ? 'with its size, ' : ''}goes past 2^${LIMITS.physicalAddressBits}: physical addresses are at most ${LIMITS.physicalAddressBits} bits` });
    }
  }
}

/**
 * Counts and widths over the steps: steps, devices, mappings and the entries
 * they make, physical addresses, the schema URL. Run on the migrated document
 * before the schema, so a file far past a limit is refused in one pass.
 */
export function limitIssues(doc: Record<string, unknown>): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  if (typeof doc.$schema === 'string' && doc.$schema.length > LIMITS.schemaUrl) {
    out.push({ path: '$schema', message: `must be at most ${count(LIMITS.schemaUrl)} characters (got ${count(doc.$schema.length)})` });
  }
  const steps = doc.steps;
  if (!Array.isArray(steps)) return out;
  if (steps.length > LIMITS.steps) {
    out.push({ path: 'steps', message: `has ${count(steps.length)} steps; a scenario may have at most ${count(LIMITS.steps)}` });
    return out;
  }
  const granules = new Map<string, bigint>();
  let devices = 0;
  let mappings = 0;
  let entries = 0n;
  const mapping = (index: number, estimate: bigint, field: string) => {
    mappings++;
    entries += estimate;
    const at = `steps[${index}].${field}`;
    if (mappings === LIMITS.mappings + 1) out.push({ path: `steps[${index}]`, message: `is mapping number ${count(mappings)}; a scenario may map at most ${count(LIMITS.mappings)} times` });
    if (estimate > BigInt(LIMITS.entriesPerMapping)) {
      out.push({ path: at, message: `maps about ${count(estimate)} descriptors; one step may make at most ${count(LIMITS.entriesPerMapping)} (align the IOVA and PA alike for larger blocks, or map less)` });
    } else if (entries > BigInt(LIMITS.entriesTotal) && entries - estimate <= BigInt(LIMITS.entriesTotal)) {
      out.push({ path: at, message: `brings the scenario to about ${count(entries)} mapped descriptors; a scenario may make at most ${count(LIMITS.entriesTotal)}` });
    }
  };
  steps.forEach((raw, index) => {
    const step = record(raw);
    if (!step) return;
    const at = (field: string) => `steps[${index}].${field}`;
    const kind = step.kind;
    if (typeof kind !== 'string') return;
    paIssues(step, PA_FIELDS[kind] ?? [], at, out);
    if (kind === 'pgtable.create' && typeof step.name === 'string') {
      const tg = step.stage === 2 ? step.S2TG : step.TG0;
      granules.set(step.name, typeof tg === 'number' ? (GRANULE_OF_TG0[tg] ?? 4n * KB) : 4n * KB);
    }
    if (kind === 'pgtable.map' && typeof step.table === 'string') {
      const iova = hex(step.iova);
      const paddr = hex(step.paddr);
      const size = hex(step.size);
      if (iova !== undefined && paddr !== undefined && size !== undefined) mapping(index, estimatedEntries(iova, paddr, size, granules.get(step.table) ?? 4n * KB), 'size');
    }
    if (kind === 'linux.boot' && Array.isArray(step.devices)) {
      devices += step.devices.length;
      if (devices > LIMITS.devices) out.push({ path: at('devices'), message: `brings the scenario to ${count(devices)} PCI devices; a scenario may boot at most ${count(LIMITS.devices)}` });
    }
    if (kind === 'linux.call' && typeof step.call === 'string') {
      const args = record(step.args);
      if (!args) return;
      const argAt = (field: string) => at(`args.${field}`);
      paIssues(args, PA_ARGS[step.call] ?? [], argAt, out);
      linuxMapping(step.call, args, (estimate, field) => mapping(index, estimate, `args.${field}`), argAt, out);
    }
  });
  return out;
}

/** The kernel's mapping calls: Linux maps with PAGE_SIZE = 4KB pages, 2MB and 1GB blocks. */
function linuxMapping(call: string, args: Record<string, unknown>, add: (estimate: bigint, field: string) => void, at: (field: string) => string, out: ScenarioIssue[]): void {
  const size = hex(args.size);
  if (call === 'iommu_map' || call === 'mm_map') {
    const iova = hex(call === 'mm_map' ? args.va : args.iova);
    const paddr = hex(args.paddr);
    if (iova !== undefined && paddr !== undefined && size !== undefined) add(estimatedEntries(iova, paddr, size, 4n * KB), 'size');
  } else if (call === 'dma_map_single' && size !== undefined) {
    // The IOVA allocator picks the address, so count pages: the most it can take.
    add(size / (4n * KB) + 2n, 'size');
  } else if (call === 'dma_map_sg' && Array.isArray(args.sg)) {
    let pages = 0n;
    args.sg.forEach((segment, i) => {
      const seg = record(segment);
      const length = hex(seg?.length) ?? 0n;
      const paddr = hex(seg?.paddr);
      pages += length / (4n * KB) + 2n;
      if (paddr !== undefined && (paddr >= PA_LIMIT || paddr + length > PA_LIMIT)) {
        out.push({ path: at(`sg[${i}].paddr`), message: `with its length, goes past 2^${LIMITS.physicalAddressBits}: physical addresses are at most ${LIMITS.physicalAddressBits} bits` });
      }
    });
    add(pages, 'sg');
  }
}
