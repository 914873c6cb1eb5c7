/**
 * domain_translation_struct, as Linux's drivers/iommu/intel/debugfs.c
 * prints it. Before Linux 6.7 one file listed every device:
 *   Device 0000:00:02.0 @0x10a5f7000
 * since then each device has its own file (and each PASID a sub-directory),
 * and scalable mode adds the PASID (hex):
 *   Device 0000:6a:01.0 with pasid 0 @0x10e2c5000
 * Then a column header (IOVA_PFN PML5E PML4E PDPE PDE PTE) and one row per
 * leaf, with every table entry on the path from the top level down:
 *   0x00000000fffff |	0x0000000000000000	0x...003	0x...003	0x...003	0x...003
 * Older kernels print all five entries, zeros past a large-page leaf; newer
 * ones stop at the leaf.
 */
import { parseBdf } from './bdf.ts';
import { parseHexWord } from './hex.ts';
import type { InputLine, ProblemList } from './limits.ts';
import type { Bdf } from './types.ts';

/** Page-table levels, VT-d style: 1 = PTE (4KB pages) up to 5 = PML5E. */
export const LEVEL_NAMES: Readonly<Record<number, string>> = { 5: 'PML5E', 4: 'PML4E', 3: 'PDPE', 2: 'PDE', 1: 'PTE' };

export interface PageRow {
  readonly line: number;
  readonly iova: bigint;
  /** The entries printed, top (level 5) first; 0 where the walk did not pass. */
  readonly path: readonly { readonly level: number; readonly value: bigint }[];
  /** The level of the last non-zero entry: 1 = 4KB, 2 = 2MB, 3 = 1GB. */
  readonly leafLevel: number;
  readonly size: bigint;
  /** The page's address: the leaf's ADDR field aligned to the page size. */
  readonly address: bigint;
  readonly read: boolean;
  readonly write: boolean;
  readonly notes: readonly string[];
}

export interface DomainDump {
  readonly line: number;
  readonly device: string;
  readonly bdf: Bdf | undefined;
  /** Scalable mode only. */
  readonly pasid: number | undefined;
  /** The top-level table: "@0x..." in the header. */
  readonly pgd: bigint;
  readonly rows: PageRow[];
}

const DEVICE = /^Device (\S+?)(?: with pasid ([0-9a-fA-F]{1,5}))? @(0x[0-9a-fA-F]+)$/;
const COLUMNS = /^IOVA_PFN\s+PML5E\s+PML4E\s+PDPE\s+PDE\s+PTE$/;
const ROW_START = /^0x\S*\s*\|/;

export type DomainLine = 'device' | 'columns' | 'row' | undefined;

export function classifyDomainLine(text: string): DomainLine {
  if (DEVICE.test(text)) return 'device';
  if (COLUMNS.test(text)) return 'columns';
  if (ROW_START.test(text)) return 'row';
  return undefined;
}

const ADDRESS_MASK = ((1n << 52n) - 1n) & ~0xfffn;
const PS = 1n << 7n;

export class DomainBuilder {
  readonly domains: DomainDump[] = [];
  private current: DomainDump | undefined;
  private warnedOrphan = false;

  constructor(private readonly problems: ProblemList) {}

  device(line: InputLine): void {
    const m = DEVICE.exec(line.text);
    const pgd = parseHexWord(m?.[3] ?? '');
    if (!m || pgd === undefined) {
      this.problems.add(line, 'the table address after "@" is not a 64-bit hex number');
      this.current = undefined;
      return;
    }
    const device = m[1] ?? '';
    this.current = { line: line.number, device, bdf: parseBdf(device), pasid: m[2] === undefined ? undefined : parseInt(m[2], 16), pgd, rows: [] };
    this.domains.push(this.current);
  }

  row(line: InputLine): void {
    const bar = line.text.indexOf('|');
    const pfnText = line.text.slice(0, bar).trim();
    const pfn = parseHexWord(pfnText);
    if (pfn === undefined) return this.problems.add(line, `the IOVA_PFN "${pfnText}" is not a hex page number`);
    if (pfn >= 1n << 45n) return this.problems.add(line, `the IOVA_PFN ${pfnText} is past a 57-bit address space`);
    const tokens = line.text.slice(bar + 1).trim().split(/\s+/).filter((t) => t !== '');
    if (tokens.length < 3 || tokens.length > 5) {
      return this.problems.add(line, `a page row has 3 to 5 table entries after "|" (PML5E, PML4E, PDPE, then PDE and PTE when the walk reached them); this one has ${tokens.length}`);
    }
    const path: { level: number; value: bigint }[] = [];
    for (const [i, t] of tokens.entries()) {
      const value = parseHexWord(t);
      const level = 5 - i;
      if (value === undefined) return this.problems.add(line, `the ${LEVEL_NAMES[level]} column "${t.length > 24 ? `${t.slice(0, 24)}…` : t}" is not a 64-bit hex word`);
      path.push({ level, value });
    }
    const leaf = [...path].reverse().find((p) => p.value !== 0n);
    if (!leaf) return this.problems.add(line, 'every entry on the path is zero: there is no leaf');
    const notes: string[] = [];
    const size = 1n << BigInt(12 + 9 * (leaf.level - 1));
    if (leaf.level > 3) notes.push(`the leaf is a ${LEVEL_NAMES[leaf.level]}: VT-d has no pages that large`);
    if (leaf.level > 1 && (leaf.value & PS) === 0n) notes.push(`the leaf ${LEVEL_NAMES[leaf.level]} has PS clear: it should point to a table, yet the walk stopped`);
    for (const p of path) if (p.level > leaf.level && p.value === 0n && path.some((q) => q.level > p.level && q.value !== 0n)) {
      notes.push(`the ${LEVEL_NAMES[p.level]} on the path is zero`);
    }
    if ((pfn & ((size >> 12n) - 1n)) !== 0n) notes.push(`a ${sizeText(size)} page must start on a ${sizeText(size)} boundary; this IOVA does not`);
    const domain = this.current ?? this.orphan(line);
    domain.rows.push({
      line: line.number,
      iova: pfn << 12n,
      path,
      leafLevel: leaf.level,
      size,
      address: leaf.value & ADDRESS_MASK & ~(size - 1n),
      // Bit 0 is R (second stage) or P (first stage), bit 1 W or R/W: the same answer either way.
      read: (leaf.value & 1n) === 1n,
      write: (leaf.value & 2n) === 2n,
      notes,
    });
  }

  private orphan(line: InputLine): DomainDump {
    if (!this.warnedOrphan) {
      this.problems.add(line, 'a page row before any "Device <address> @0x..." header: whose table it is is unknown (shown under "unknown device")');
      this.warnedOrphan = true;
    }
    this.current = { line: line.number, device: 'unknown device', bdf: undefined, pasid: undefined, pgd: 0n, rows: [] };
    this.domains.push(this.current);
    return this.current;
  }
}

export function sizeText(size: bigint): string {
  if (size >= 1n << 30n) return `${size >> 30n}GB`;
  if (size >= 1n << 20n) return `${size >> 20n}MB`;
  return `${size >> 10n}KB`;
}
