/**
 * Where everything in the stage-1 walk diagram goes. Pure: a WalkResult in,
 * coordinates and path strings out. The columns follow the input address:
 * each level's table sits under that level's index field, and the result
 * sits under the page offset, so every index arrow points straight down.
 */
import type { WalkResult, WalkSetup, WalkStep } from '../../engine/hw/pgtable/types.ts';
import { bitRange, hexDigits, hexWidth, levelTag } from '../format.ts';
import { arrowHead, DOWN, horizontalCurve, RIGHT, verticalCurve } from './paths.ts';
import type { Point } from './paths.ts';
import { tableRows } from './tableRows.ts';
import type { TableRow } from './tableRows.ts';

export const WALK_GEOMETRY = {
  width: 1060,
  margin: 16,
  gap: 30,
  /** The result column is wider: it carries a 48-bit PA in large type. */
  resultWeight: 1.25,
  barTop: 66,
  barHeight: 38,
  fieldLabelTop: 124,
  arrowStart: 158,
  tableTop: 196,
  headerHeight: 46,
  rowHeight: 24,
  cardGap: 12,
  cardHeight: 102,
  bottomMargin: 18,
  digitPitch: 15,
  headSize: 9,
} as const;

const G = WALK_GEOMETRY;

export type FieldState = 'walked' | 'not-reached' | 'in-offset';

export interface AddressField {
  readonly key: string;
  /** undefined for the page offset. */
  readonly level: number | undefined;
  readonly msb: number;
  readonly lsb: number;
  readonly value: bigint;
  readonly x: number;
  readonly width: number;
  readonly state: FieldState;
  /** "L0 [47:39]" or "Offset [11:0]". */
  readonly label: string;
  /** "0x080". */
  readonly valueText: string;
  readonly digits: readonly { readonly x: number; readonly bit: number; readonly one: boolean }[];
}

export interface TableBox {
  readonly level: number;
  readonly step: WalkStep;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly rows: readonly (TableRow & { readonly y: number })[];
  /** The highlighted entry row's top. */
  readonly entryY: number;
  readonly faulted: boolean;
  readonly card: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

export interface Arrow {
  readonly key: string;
  readonly d: string;
  readonly head: string;
  readonly tone: 'index' | 'next' | 'result' | 'fault' | 'offset';
  /** The level whose colour it takes; undefined for the neutral ones. */
  readonly level: number | undefined;
}

export interface Placeholder {
  readonly level: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly reason: 'not-reached' | 'in-offset';
}

export interface WalkLayout {
  readonly width: number;
  readonly height: number;
  readonly fields: readonly AddressField[];
  readonly tables: readonly TableBox[];
  readonly placeholders: readonly Placeholder[];
  /** Arrows grouped by the reveal stage they belong to: stage i = the i-th level read; the last = the result. */
  readonly arrows: readonly (readonly Arrow[])[];
  readonly result: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

/** Bits [msb:lsb] of the input that index `level`, per the granule and input size. */
export function indexBitsOf(setup: WalkSetup, level: number): readonly [number, number] {
  const granuleShift = Math.log2(setup.granule);
  const lsb = granuleShift + setup.stride * (3 - level);
  return [Math.min(lsb + setup.stride - 1, setup.inputSize - 1), lsb];
}

export function levelsOf(setup: WalkSetup): number[] {
  const levels: number[] = [];
  for (let level = setup.startLevel; level <= 3; level++) levels.push(level);
  return levels;
}

function bitField(value: bigint, msb: number, lsb: number): bigint {
  return (value >> BigInt(lsb)) & ((1n << BigInt(msb - lsb + 1)) - 1n);
}

/** Column x positions and widths: one per level, then the wider result column. */
export function columns(count: number): { x: number; width: number }[] {
  const available = G.width - 2 * G.margin - (count - 1) * G.gap;
  const unit = available / (count - 1 + G.resultWeight);
  const out: { x: number; width: number }[] = [];
  let x = G.margin;
  for (let i = 0; i < count; i++) {
    const width = i === count - 1 ? unit * G.resultWeight : unit;
    out.push({ x, width });
    x += width + G.gap;
  }
  return out;
}

function digitsOf(value: bigint, msb: number, lsb: number, centre: number, width: number): AddressField['digits'] {
  const count = msb - lsb + 1;
  const pitch = Math.min(G.digitPitch, (width - 14) / count);
  const first = centre - (pitch * (count - 1)) / 2;
  const out: { x: number; bit: number; one: boolean }[] = [];
  for (let bit = msb; bit >= lsb; bit--) out.push({ x: first + (msb - bit) * pitch, bit, one: ((value >> BigInt(bit)) & 1n) === 1n });
  return out;
}

const shorten = (tip: Point, direction: number, by: number): Point => ({ x: tip.x - by * Math.cos(direction), y: tip.y - by * Math.sin(direction) });

function arrow(key: string, from: Point, tip: Point, direction: number, tone: Arrow['tone'], level: number | undefined, curve: typeof verticalCurve): Arrow {
  return { key, d: curve(from, shorten(tip, direction, G.headSize * 0.7)), head: arrowHead(tip, direction, G.headSize), tone, level };
}

export function layoutWalk(walk: WalkResult): WalkLayout | undefined {
  const setup = walk.setup;
  if (!setup) return undefined;
  const levels = levelsOf(setup);
  const cols = columns(levels.length + 1);
  const stepByLevel = new Map(walk.steps.map((s) => [s.level, s] as const));
  const last = walk.steps[walk.steps.length - 1];
  const leafLevel = walk.output !== undefined && last ? last.level : undefined;
  const faultLevel = walk.fault?.level;

  const fields: AddressField[] = [];
  levels.forEach((level, i) => {
    const col = cols[i]!;
    const step = stepByLevel.get(level);
    const [msb, lsb] = step?.indexBits ?? indexBitsOf(setup, level);
    const x = i === 0 ? G.margin : col.x - G.gap / 2;
    const width = col.x + col.width + G.gap / 2 - x;
    const value = bitField(walk.input, msb, lsb);
    const state: FieldState = step ? 'walked' : leafLevel !== undefined && level > leafLevel ? 'in-offset' : 'not-reached';
    fields.push({
      key: `L${level}`, level, msb, lsb, value, x, width, state,
      label: `${levelTag(level)} ${bitRange(msb, lsb)}`,
      valueText: hexDigits(value, hexWidth(msb - lsb + 1)),
      digits: digitsOf(walk.input, msb, lsb, x + width / 2, width),
    });
  });
  const offsetMsb = indexBitsOf(setup, 3)[1] - 1;
  const resultCol = cols[cols.length - 1]!;
  {
    const x = resultCol.x - G.gap / 2;
    const width = G.width - G.margin - x;
    const value = bitField(walk.input, offsetMsb, 0);
    fields.push({
      key: 'offset', level: undefined, msb: offsetMsb, lsb: 0, value, x, width, state: 'walked',
      label: `Offset ${bitRange(offsetMsb, 0)}`,
      valueText: hexDigits(value, hexWidth(offsetMsb + 1)),
      digits: digitsOf(walk.input, offsetMsb, 0, x + width / 2, width),
    });
  }

  const tables: TableBox[] = [];
  const placeholders: Placeholder[] = [];
  const arrows: Arrow[][] = [];
  let maxRows = 0;
  for (const step of walk.steps) {
    const [msb, lsb] = step.indexBits;
    maxRows = Math.max(maxRows, tableRows(step.index, 2 ** (msb - lsb + 1)).length);
  }
  const tableHeight = G.headerHeight + Math.max(maxRows, 3) * G.rowHeight + 6;
  const cardY = G.tableTop + tableHeight + G.cardGap;

  let previous: TableBox | undefined;
  for (const [i, level] of levels.entries()) {
    const col = cols[i]!;
    const field = fields[i]!;
    const step = stepByLevel.get(level);
    if (!step) {
      const reason = leafLevel !== undefined && level > leafLevel ? 'in-offset' : 'not-reached';
      // Below the leaf's entry row, so the arrow to the result passes over it, not through it.
      const y = previous ? previous.entryY + G.rowHeight + 14 : G.tableTop;
      placeholders.push({ level, x: col.x, y, width: col.width, height: cardY + G.cardHeight - y, reason });
      continue;
    }
    const [msb, lsb] = step.indexBits;
    const rows = tableRows(step.index, 2 ** (msb - lsb + 1)).map((row, r) => ({ ...row, y: G.tableTop + G.headerHeight + r * G.rowHeight }));
    const entryY = rows.find((r) => r.highlighted)?.y ?? G.tableTop + G.headerHeight;
    const table: TableBox = {
      level, step, x: col.x, y: G.tableTop, width: col.width, height: tableHeight, rows, entryY,
      faulted: faultLevel === level,
      card: { x: col.x, y: cardY, width: col.width, height: G.cardHeight },
    };
    tables.push(table);
    const lane = col.x + col.width - 18;
    const stage: Arrow[] = [
      arrow(`index-${level}`, { x: field.x + field.width / 2, y: G.arrowStart }, { x: lane, y: entryY }, DOWN, 'index', level, (a, b) =>
        `${verticalCurve(a, { x: b.x, y: G.tableTop })} L${b.x},${b.y}`),
    ];
    if (previous) {
      stage.unshift(arrow(`next-${level}`, { x: previous.x + previous.width, y: previous.entryY + G.rowHeight / 2 },
        { x: col.x, y: G.tableTop + G.headerHeight / 2 }, RIGHT, 'next', previous.level, horizontalCurve));
    }
    arrows.push(stage);
    previous = table;
  }

  const result = { x: resultCol.x, y: G.tableTop, width: resultCol.width, height: cardY + G.cardHeight - G.tableTop };
  const resultStage: Arrow[] = [];
  const offsetField = fields[fields.length - 1]!;
  if (previous) {
    const faulted = walk.fault !== undefined;
    resultStage.push(arrow('result', { x: previous.x + previous.width, y: previous.entryY + G.rowHeight / 2 },
      { x: result.x, y: previous.entryY + G.rowHeight / 2 }, RIGHT, faulted ? 'fault' : 'result', faulted ? undefined : previous.level, horizontalCurve));
  }
  if (walk.output !== undefined) {
    resultStage.push(arrow('offset', { x: offsetField.x + offsetField.width / 2, y: G.arrowStart }, { x: offsetField.x + offsetField.width / 2, y: result.y }, DOWN, 'offset', undefined, verticalCurve));
  }
  arrows.push(resultStage);

  return { width: G.width, height: cardY + G.cardHeight + G.bottomMargin, fields, tables, placeholders, arrows, result };
}
