/**
 * /sys/kernel/debug/iommu/intel/dmar_translation_struct, as Linux's
 * drivers/iommu/intel/debugfs.c prints it: per IOMMU a header
 *   IOMMU dmar1: Root Table Address: 0x10a5e8000
 *   B.D.F	Root_entry	Context_entry	PASID	PASID_table_entry
 * then one row per present context entry (legacy mode, PASID -1) or per
 * present PASID table entry (scalable mode):
 *   00:14.0	0xHI:0xLO	0xHI:0xLO	-1	0xVAL2:0xVAL1:0xVAL0
 * A unit with translation off prints "DMA Remapping is not enabled on dmarN".
 */
import { devfn } from './bdf.ts';
import { parseHexWord, parseHexWords } from './hex.ts';
import type { InputLine, ProblemList } from './limits.ts';

export type VtdMode = 'legacy' | 'scalable';

export interface PasidRow {
  readonly line: number;
  readonly pasid: number;
  /** val[0], val[1], val[2] (printed in reverse). */
  readonly entry: readonly [bigint, bigint, bigint];
}

export interface ContextRow {
  readonly line: number;
  readonly bus: number;
  readonly device: number;
  readonly fn: number;
  readonly devfn: number;
  /** lo, hi (printed hi:lo). */
  readonly context: readonly [bigint, bigint];
  /** Scalable mode: one per present PASID entry. Empty in legacy mode. */
  readonly pasids: PasidRow[];
}

export interface BusRow {
  readonly bus: number;
  /** lo, hi (printed hi:lo). */
  readonly root: readonly [bigint, bigint];
  readonly line: number;
  readonly devices: ContextRow[];
}

export interface DmarUnit {
  readonly name: string;
  readonly line: number;
  readonly rootTable: bigint | undefined;
  /** False when the kernel said "DMA Remapping is not enabled". */
  readonly enabled: boolean;
  /** From the PASID column: -1 on every row means legacy. Undefined with no rows. */
  mode: VtdMode | undefined;
  readonly buses: BusRow[];
}

const HEADER = /^IOMMU (\S+): Root Table Address: (0x[0-9a-fA-F]+)$/;
const DISABLED = /^DMA Remapping is not enabled on (\S+)$/;
const COLUMNS = /^B\.D\.F\s+Root_entry\s+Context_entry(?:\s+PASID\s+PASID_table_entry)?$/;
const ROW_START = /^[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]\s+0x/;
const BDF = /^([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7])$/;

export type DmarLine = 'header' | 'disabled' | 'columns' | 'row' | undefined;

/** Which part of the dump the line is, by its shape alone. */
export function classifyDmarLine(text: string): DmarLine {
  if (HEADER.test(text)) return 'header';
  if (DISABLED.test(text)) return 'disabled';
  if (COLUMNS.test(text)) return 'columns';
  if (ROW_START.test(text)) return 'row';
  return undefined;
}

export class DmarBuilder {
  readonly units: DmarUnit[] = [];
  private current: DmarUnit | undefined;

  constructor(private readonly problems: ProblemList) {}

  header(line: InputLine): void {
    const m = HEADER.exec(line.text);
    const rootTable = parseHexWord(m?.[2] ?? '');
    if (rootTable === undefined) this.problems.add(line, 'the Root Table Address is not a 64-bit hex number');
    this.current = { name: m?.[1] ?? '?', line: line.number, rootTable, enabled: true, mode: undefined, buses: [] };
    this.units.push(this.current);
  }

  disabled(line: InputLine): void {
    const name = DISABLED.exec(line.text)?.[1] ?? '?';
    if (!this.units.some((u) => u.name === name)) this.units.push({ name, line: line.number, rootTable: undefined, enabled: false, mode: undefined, buses: [] });
    this.current = undefined;
  }

  row(line: InputLine): void {
    const tokens = line.text.trim().split(/\s+/);
    if (tokens.length !== 5 && tokens.length !== 3) {
      this.problems.add(line, `a dmar_translation_struct row has 5 columns (B.D.F, Root_entry, Context_entry, PASID, PASID_table_entry); this one has ${tokens.length}`);
      return;
    }
    const [bdfText = '', rootText = '', ctxText = '', pasidText = '-1', entryText] = tokens;
    const b = BDF.exec(bdfText);
    const device = parseInt(b?.[2] ?? 'z', 16);
    if (!b || !(device <= 0x1f)) {
      this.problems.add(line, `the B.D.F column "${bdfText}" is not bus:device.function (device 00-1f, function 0-7)`);
      return;
    }
    const root = parseHexWords(rootText, 2);
    if (typeof root === 'string') return this.problems.add(line, `the Root_entry column ${root}`);
    const ctx = parseHexWords(ctxText, 2);
    if (typeof ctx === 'string') return this.problems.add(line, `the Context_entry column ${ctx}`);
    if (!/^-?\d{1,7}$/.test(pasidText) || Number(pasidText) < -1 || Number(pasidText) >= 1 << 20) {
      return this.problems.add(line, `the PASID column "${pasidText}" is neither -1 (legacy mode) nor a PASID from 0 to 1048575`);
    }
    const pasid = Number(pasidText);
    let entry: readonly bigint[] = [0n, 0n, 0n];
    if (entryText !== undefined) {
      const e = parseHexWords(entryText, 3);
      if (typeof e === 'string') return this.problems.add(line, `the PASID_table_entry column ${e}`);
      entry = e;
    }
    const unit = this.unitFor(line);
    const mode: VtdMode = pasid === -1 ? 'legacy' : 'scalable';
    if (unit.mode !== undefined && unit.mode !== mode) {
      return this.problems.add(line, `${unit.name}'s rows so far are ${unit.mode} mode, this one is ${mode} (PASID ${pasid}); one IOMMU is in one mode`);
    }
    unit.mode = mode;
    const bus = parseInt(b[1] ?? '', 16);
    const fn = parseInt(b[3] ?? '', 16);
    // Printed hi:lo; kept lo first, as the structures are laid out in memory.
    const rootWords = [root[1] ?? 0n, root[0] ?? 0n] as const;
    const ctxWords = [ctx[1] ?? 0n, ctx[0] ?? 0n] as const;
    let busRow = unit.buses.find((r) => r.bus === bus);
    if (!busRow) {
      busRow = { bus, root: rootWords, line: line.number, devices: [] };
      unit.buses.push(busRow);
    } else if (busRow.root[0] !== rootWords[0] || busRow.root[1] !== rootWords[1]) {
      this.problems.add(line, `bus ${b[1]} of ${unit.name} showed a different Root_entry on line ${busRow.line}; one bus has one root entry (the first is kept)`);
    }
    const df = devfn({ segment: 0, bus, device, fn });
    let dev = busRow.devices.find((d) => d.devfn === df);
    if (!dev) {
      dev = { line: line.number, bus, device, fn, devfn: df, context: ctxWords, pasids: [] };
      busRow.devices.push(dev);
    } else if (mode === 'legacy') {
      return this.problems.add(line, `${bdfText} is listed twice by ${unit.name} (line ${dev.line}); in legacy mode a device has one row`);
    } else if (dev.context[0] !== ctxWords[0] || dev.context[1] !== ctxWords[1]) {
      this.problems.add(line, `${bdfText} showed a different Context_entry on line ${dev.line}; the first is kept`);
    }
    if (mode === 'scalable') {
      if (dev.pasids.some((p) => p.pasid === pasid)) return this.problems.add(line, `PASID ${pasid} of ${bdfText} is listed twice`);
      dev.pasids.push({ line: line.number, pasid, entry: [entry[2] ?? 0n, entry[1] ?? 0n, entry[0] ?? 0n] });
    }
  }

  /** Rows before any header are kept under an unnamed unit, and said so once. */
  private unitFor(line: InputLine): DmarUnit {
    if (this.current) return this.current;
    this.problems.add(line, 'a dmar_translation_struct row before any "IOMMU dmarN: Root Table Address: 0x..." header: which IOMMU it belongs to is unknown (it is shown under "unnamed")');
    this.current = { name: 'unnamed', line: line.number, rootTable: undefined, enabled: true, mode: undefined, buses: [] };
    this.units.push(this.current);
    return this.current;
  }
}
