/**
 * The form for a step, read off the scenario format's own zod schemas: each
 * field's input (hex, whole number with its range, choice, flag, name ...),
 * its description and whether it is optional. A field added to the format
 * shows up in the editor without a line here; STE and CD fields come from
 * the engine's field tables (with their bit positions), and a kernel call's
 * arguments from its call's schema.
 */
import { z } from '../../scenario/zod.ts';
import type { FieldSpec } from '../../engine/hw/smmu/fields.ts';
import { CD_FIELDS } from '../../engine/hw/smmu/cd-fields.ts';
import { STE_FIELDS } from '../../engine/hw/smmu/ste-fields.ts';
import { argRole } from '../../scenario/index.ts';
import { cdFieldsSchema, steFieldsSchema } from '../../scenario/entry-fields.ts';
import { HEX_PATTERN, NAME_PATTERN } from '../../scenario/fields.ts';
import { scenarioSchema } from '../../scenario/schema.ts';
import { commandItemSchema } from '../../scenario/steps-cmdq.ts';
import { linuxCallSchema } from '../../scenario/steps-linux.ts';
import { PROT_PATTERN, stepSchemas, type StepKind } from '../../scenario/steps.ts';

/** Which names a name field refers to, for completion from earlier steps. */
export type NameKind = 'table' | 'device' | 'domain' | 'viommu' | 'mm';

export type Control =
  | { readonly kind: 'hex' }
  | { readonly kind: 'int'; readonly min: number | undefined; readonly max: number | undefined }
  | { readonly kind: 'bool' }
  | { readonly kind: 'choice'; readonly options: readonly (string | number)[] }
  | { readonly kind: 'text' }
  | { readonly kind: 'note' }
  | { readonly kind: 'name'; readonly refers: NameKind | undefined }
  /** A number, a name, or null (a group, a domain or NULL): digits become a number. */
  | { readonly kind: 'scalar'; readonly refers: NameKind | undefined }
  | { readonly kind: 'prot' }
  /** A short list of words, typed comma-separated. */
  | { readonly kind: 'strings' }
  | { readonly kind: 'object'; readonly fields: readonly FieldDescriptor[] }
  | { readonly kind: 'list'; readonly item: readonly FieldDescriptor[] }
  | { readonly kind: 'entry'; readonly entry: 'STE' | 'CD'; readonly specs: readonly FieldSpec[] }
  | { readonly kind: 'commands' }
  | { readonly kind: 'call' }
  | { readonly kind: 'json' };

export interface FieldDescriptor {
  readonly key: string;
  readonly optional: boolean;
  readonly description: string | undefined;
  readonly control: Control;
}

const regexesOf = (schema: z.ZodString): string[] =>
  (schema._zod.def.checks ?? []).flatMap((check) => {
    const def = check._zod.def as { check: string; pattern?: RegExp };
    return def.check === 'string_format' && def.pattern ? [def.pattern.source] : [];
  });

const NAME_REFS: Readonly<Record<string, NameKind>> = { table: 'table', stage2: 'table', device: 'device', parent: 'device' };

function stringControl(key: string, schema: z.ZodString): Control {
  const patterns = regexesOf(schema);
  if (patterns.includes(HEX_PATTERN.source)) return { kind: 'hex' };
  if (patterns.includes(NAME_PATTERN.source)) return { kind: 'name', refers: NAME_REFS[key] };
  if (patterns.includes(PROT_PATTERN.source)) return { kind: 'prot' };
  return key === 'note' || key === 'description' ? { kind: 'note' } : { kind: 'text' };
}

function finite(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** An object of exactly these field names: the STE or CD table (a copy made by .meta() is a new schema, so identity is not enough). */
function isFieldsObject(schema: z.ZodType, table: z.ZodObject): boolean {
  if (schema === table) return true;
  if (!(schema instanceof z.ZodObject)) return false;
  const keys = Object.keys(schema.shape);
  const expected = Object.keys(table.shape);
  return keys.length === expected.length && keys.every((k, i) => k === expected[i]);
}

function controlOf(key: string, schema: z.ZodType): Control {
  if (isFieldsObject(schema, steFieldsSchema)) return { kind: 'entry', entry: 'STE', specs: STE_FIELDS };
  if (isFieldsObject(schema, cdFieldsSchema)) return { kind: 'entry', entry: 'CD', specs: CD_FIELDS };
  if (schema instanceof z.ZodString) return stringControl(key, schema);
  if (schema instanceof z.ZodNumber) return { kind: 'int', min: finite(schema.minValue), max: finite(schema.maxValue) };
  if (schema instanceof z.ZodBoolean) return { kind: 'bool' };
  if (schema instanceof z.ZodEnum) return { kind: 'choice', options: schema.options as (string | number)[] };
  if (schema instanceof z.ZodLiteral) return { kind: 'choice', options: [...schema.values] as (string | number)[] };
  if (schema instanceof z.ZodUnion) {
    const options = schema.options as readonly z.ZodType[];
    if (options.every((o) => o instanceof z.ZodLiteral)) return { kind: 'choice', options: options.flatMap((o) => [...(o as z.ZodLiteral).values] as (string | number)[]) };
    if (options.some((o) => o instanceof z.ZodString && regexesOf(o).includes(PROT_PATTERN.source))) return { kind: 'prot' };
    return { kind: 'scalar', refers: NAME_REFS[key] };
  }
  if (schema instanceof z.ZodObject) return { kind: 'object', fields: describeShape(schema.shape as Record<string, z.ZodType>) };
  if (schema instanceof z.ZodArray) {
    const element = schema.element as z.ZodType;
    if (element === commandItemSchema) return { kind: 'commands' };
    if (element instanceof z.ZodObject) return { kind: 'list', item: describeShape(element.shape as Record<string, z.ZodType>) };
    if (element instanceof z.ZodString) return { kind: 'strings' };
  }
  return { kind: 'json' };
}

export function describeField(key: string, schema: z.ZodType): FieldDescriptor {
  const optional = schema instanceof z.ZodOptional;
  const inner = optional ? (schema.unwrap() as z.ZodType) : schema;
  return { key, optional, description: schema.description ?? inner.description, control: controlOf(key, inner) };
}

/** One descriptor per field of an object schema, in the schema's order; `skip` leaves fields out. */
export function describeShape(shape: Record<string, z.ZodType>, skip: readonly string[] = []): FieldDescriptor[] {
  return Object.entries(shape).flatMap(([key, schema]) => (skip.includes(key) ? [] : [describeField(key, schema)]));
}

/** The per-call step schemas, by call name. */
const CALL_SCHEMAS: ReadonlyMap<string, z.ZodObject> = new Map(
  (linuxCallSchema.options as readonly z.ZodObject[]).flatMap((option) => {
    const call = option.shape.call as z.ZodType;
    return call instanceof z.ZodLiteral ? [[String(call.value), option] as const] : [];
  }),
);

const refersOfRole = (call: string, arg: string): NameKind | undefined => {
  const role = argRole(call, arg);
  if (role === 'device' || role === 'group') return 'device';
  if (role === 'domain' || role === 'domain|null') return 'domain';
  if (role === 'viommu' || role === 'mm') return role;
  return undefined;
};

function callArgs(call: string): Control {
  const schema = CALL_SCHEMAS.get(call)?.shape.args;
  if (!(schema instanceof z.ZodObject)) return { kind: 'json' };
  const fields = describeShape(schema.shape as Record<string, z.ZodType>).map((d): FieldDescriptor => {
    const refers = refersOfRole(call, d.key);
    if (d.control.kind === 'name' || d.control.kind === 'scalar') return { ...d, control: { ...d.control, refers } };
    if (d.control.kind === 'text' && refers) return { ...d, control: { kind: 'name', refers } };
    return d;
  });
  return { kind: 'object', fields };
}

const isStepKind = (kind: unknown): kind is StepKind => typeof kind === 'string' && Object.hasOwn(stepSchemas, kind);

/** Whether `value` has the tag `object` is the option for (an optional tag matches its absence). */
function hasTag(object: z.ZodObject, key: string, value: Record<string, unknown>): boolean {
  const tag = object.shape[key] as z.ZodType | undefined;
  const literal = tag instanceof z.ZodOptional ? tag.unwrap() : tag;
  if (!(literal instanceof z.ZodLiteral)) return false;
  return literal.values.has(value[key] as never) || (tag instanceof z.ZodOptional && value[key] === undefined);
}

/** A discriminated union's option that `value` selects (recursively: pgtable.create by stage, linux.call by call), as the parser picks it. */
function optionFor(schema: z.ZodType, value: Record<string, unknown>): z.ZodObject | undefined {
  if (schema instanceof z.ZodObject) return schema;
  if (!(schema instanceof z.ZodDiscriminatedUnion)) return undefined;
  const key = schema.def.discriminator;
  for (const option of schema.options as readonly z.ZodType[]) {
    const found = optionFor(option, value);
    if (found && hasTag(found, key, value)) return found;
  }
  return undefined;
}

/** The schema of one step as the scenario reads it (with any field every step may carry), by its kind, stage or call. */
function stepSchemaOf(step: Record<string, unknown>): z.ZodObject | undefined {
  const steps = scenarioSchema.shape.steps as z.ZodType;
  return steps instanceof z.ZodArray ? optionFor(steps.element as z.ZodType, step) : undefined;
}

/** The fields of a step as the form shows them (its kind is chosen above them); undefined for an unknown kind. */
export function stepFields(step: unknown): readonly FieldDescriptor[] | undefined {
  const object = step !== null && typeof step === 'object' ? (step as Record<string, unknown>) : {};
  const kind = object.kind;
  if (!isStepKind(kind)) return undefined;
  // An unknown call matches no option: the generic linux.call fields (args as JSON).
  const shape = (stepSchemaOf(object) ?? stepSchemas[kind]).shape as Record<string, z.ZodType>;
  if (kind === 'pgtable.create') {
    const stage: FieldDescriptor = { key: 'stage', optional: true, description: 'Stage 1 (the default): walked per a CD. Stage 2: walked per the STE\'s VTCR fields; its input is an IPA.', control: { kind: 'choice', options: [1, 2] } };
    return [stage, ...describeShape(shape, ['kind', 'stage'])];
  }
  if (kind === 'linux.call') {
    const call = typeof object.call === 'string' ? object.call : '';
    return [
      { key: 'call', optional: false, description: (shape.call as z.ZodType | undefined)?.description, control: { kind: 'call' } },
      { key: 'args', optional: false, description: 'The call\'s arguments, in the kernel\'s order.', control: callArgs(call) },
      ...describeShape(shape, ['kind', 'call', 'args']),
    ];
  }
  return describeShape(shape, ['kind']);
}

/** The document's own fields: title, description, config (the steps have their own list). */
export const DOCUMENT_FIELDS: readonly FieldDescriptor[] = describeShape(scenarioSchema.shape as Record<string, z.ZodType>, ['$schema', 'format', 'version', 'steps']);
