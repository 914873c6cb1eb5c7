/**
 * Named bit fields in a scenario: STE and CD fields for smmu.writeSte /
 * updateSte / writeCd / updateCd, and the fields of each command for
 * smmu.commands. The schemas are built from the engine's own field tables
 * (STE_FIELDS, CD_FIELDS, COMMANDS), and whether a value fits is decided by
 * the engine's setField, so the scenario format and the hardware model can
 * never disagree about a field's name, width or position.
 */
import { z } from './zod.ts';
import { CD_FIELDS } from '../engine/hw/smmu/cd-fields.ts';
import { type FieldSpec, fieldMask, setField } from '../engine/hw/smmu/fields.ts';
import { STE_FIELDS } from '../engine/hw/smmu/ste-fields.ts';
import { parseU64 } from '../engine/index.ts';
import { HEX_PATTERN, shown } from './fields.ts';
import { groupedHex } from './hex-text.ts';

/** What a field value may be in a file: a hex string, or (for fields that are not addresses) a JSON whole number. */
export type FieldValueSpec = string | number;

export function fieldValueOf(value: FieldValueSpec): bigint {
  return typeof value === 'number' ? BigInt(value) : parseU64(value);
}

function bitsText(f: FieldSpec): string {
  return f.msb === f.lsb ? `[${f.msb}]` : `[${f.msb}:${f.lsb}]`;
}

/**
 * Why `value` cannot go in field `f`, or undefined when it fits (setField, the
 * engine's encoder, decides). `written` is the value as the file wrote it.
 */
export function fieldFitProblem(f: FieldSpec, value: bigint, written?: string): string | undefined {
  try {
    setField([], f, value);
    return undefined;
  } catch {
    const width = f.msb - f.lsb + 1;
    if (f.kind === 'address') {
      const align = 1n << BigInt(f.lsb);
      const misaligned = (value & (align - 1n)) !== 0n;
      return `${written ?? groupedHex(value)} does not fit: ${f.name} holds address bits ${bitsText(f)}, so the address must be ${misaligned ? `a multiple of ${groupedHex(align)}` : `below 2^${f.msb + 1}`}`;
    }
    const max = fieldMask(f) >> BigInt(f.lsb);
    return `${written ?? String(value)} does not fit in ${width} bit${width === 1 ? '' : 's'} ${bitsText(f)} (at most ${width <= 16 ? String(max) : groupedHex(max)})`;
  }
}

/** Why a value as written in the file cannot go in field `f`: not a whole number, or too wide. */
function valueProblem(f: FieldSpec, input: unknown): string | undefined {
  if (typeof input === 'number' && f.kind === 'address') return undefined; // refused as "write it as a hex string"
  if (typeof input === 'number' && !Number.isSafeInteger(input)) return `must be a whole number or a hex string like "0x1f" (got ${shown(input)})`;
  // Refinements run even after the type or pattern check failed; that failure is already reported.
  if (typeof input !== 'number' && (typeof input !== 'string' || !HEX_PATTERN.test(input))) return undefined;
  return fieldFitProblem(f, fieldValueOf(input), typeof input === 'number' ? String(input) : input.trim());
}

function describeField(f: FieldSpec): string {
  const values = f.values ? ` Values: ${Object.entries(f.values).map(([k, v]) => `${k} = ${v}`).join(', ')}.` : '';
  const where = `qword ${f.qword} bits ${bitsText(f)}`;
  return f.kind === 'address'
    ? `${f.doc} An address (hex string), ${where}: the whole address, not shifted.${values}`
    : `${f.doc} ${where}.${values}`;
}

/** The schema of one field's value: hex for addresses, hex or a whole number otherwise, and it must fit. */
export function fieldValueSchema(f: FieldSpec): z.ZodType<FieldValueSpec> {
  const fits = (value: FieldValueSpec) => valueProblem(f, value) === undefined;
  const fitMessage = (issue: { input?: unknown }) => valueProblem(f, issue.input) ?? 'does not fit';
  if (f.kind === 'address') {
    return z
      .string({
        error: (issue) =>
          issue.input === undefined ? undefined : `${f.name} is an address: write it as a hex string like "0x4000_0000" (got ${shown(issue.input)})`,
      })
      .regex(HEX_PATTERN, { error: (issue) => `must be a hex string like "0x4000_0000", with at most 16 hex digits (got ${shown(issue.input)})` })
      .refine(fits, { error: fitMessage })
      .meta({ description: describeField(f) });
  }
  const message = (issue: { input?: unknown }) => `must be a whole number or a hex string like "0x1f" (got ${shown(issue.input)})`;
  return z
    .union([z.string().regex(HEX_PATTERN), z.number()], {
      error: (issue) => (issue.input === undefined ? undefined : message(issue)),
    })
    .refine(fits, { error: fitMessage })
    .meta({ description: describeField(f) });
}

/** A strict object with one optional member per field of `specs`. */
export function fieldsObjectSchema(specs: readonly FieldSpec[], id: string, description: string) {
  const shape: Record<string, z.ZodOptional<z.ZodType<FieldValueSpec>>> = {};
  for (const f of specs) shape[f.name] = fieldValueSchema(f).optional();
  // The id makes the JSON Schema define the table once (in $defs) for the two step kinds that use it.
  return z.strictObject(shape).meta({ id, description });
}

export const steFieldsSchema = fieldsObjectSchema(
  STE_FIELDS,
  'SteFields',
  'STE fields by their SMMUv3 names ("V", "Config", "S1ContextPtr" ...). Fields left out are 0. Values: whole numbers or hex strings; address fields (S1ContextPtr, S2TTB) are whole addresses in hex.',
);

export const cdFieldsSchema = fieldsObjectSchema(
  CD_FIELDS,
  'CdFields',
  'CD fields by their SMMUv3 names ("T0SZ", "TG0", "ASID", "TTB0" ...). Fields left out are 0. Values: whole numbers or hex strings; address fields (TTB0, TTB1) are whole addresses in hex.',
);

export type EntryFieldsSpec = Partial<Record<string, FieldValueSpec>>;

/** Field values as the engine takes them: bigints by field name. */
export function fieldValuesOf(fields: EntryFieldsSpec): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) out[name] = fieldValueOf(value);
  return out;
}

export const STE_FIELD_NAMES: readonly string[] = STE_FIELDS.map((f) => f.name);
export const CD_FIELD_NAMES: readonly string[] = CD_FIELDS.map((f) => f.name);
