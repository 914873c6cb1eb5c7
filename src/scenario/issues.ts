/**
 * Validation problems as the user sees them: a path into the file
 * ("steps[3].iova") and a sentence saying what is wrong there.
 */
import type * as z from 'zod';
import { shown } from './fields.ts';
import { scenarioConfigSchema, scenarioSchema, tableMemorySchema } from './schema.ts';
import { STEP_KINDS, fieldsOf, protObjectSchema } from './steps.ts';

export interface ScenarioIssue {
  /** Where in the file: "steps[3].iova", "config.tableMemory.base"; "" for the document itself. */
  readonly path: string;
  readonly message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      out += /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? (out === '' ? key : `.${key}`) : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** The value at `path` inside `root`, or undefined. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let here: unknown = root;
  for (const part of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<PropertyKey, unknown>)[part];
  }
  return here;
}

/**
 * Fallback wording for issues whose schema has no message of its own
 * (schema-level messages in fields.ts and steps.ts take precedence).
 */
export function defaultMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union')) {
    return 'is required';
  }
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${article(issue.expected)} (got ${describeType(issue.input)})`;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => shown(v)).join(' or ')} (got ${shown(issue.input)})`;
    case 'too_big':
      if (issue.origin === 'array') return `must have at most ${String(issue.maximum)} items`;
      return undefined;
    default:
      return undefined;
  }
}

function article(expected: string): string {
  switch (expected) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'int':
      return 'a whole number';
    default:
      return `a ${expected}`;
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${shown(value)}`;
}

/** Turns zod's final issues into ScenarioIssues, giving unknown keys and unknown step kinds their own wording. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], input: unknown): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const where = objectAt(issue.path, input);
      for (const key of issue.keys) {
        out.push({ path: formatPath([...issue.path, key]), message: unknownFieldMessage(key, where) });
      }
    } else if (issue.code === 'invalid_union' && issue.discriminator === 'kind') {
      const kind = valueAt(input, issue.path);
      const expected = `one of ${STEP_KINDS.map((k) => `"${k}"`).join(', ')}`;
      out.push({
        path: formatPath(issue.path),
        message: kind === undefined ? `is required: every step has a kind, ${expected}` : `unknown step kind ${shown(kind)}; expected ${expected}`,
      });
    } else {
      out.push({ path: formatPath(issue.path), message: issue.message });
    }
  }
  return out;
}

interface ObjectKind {
  /** "a "walk" step", "config.tableMemory" ... */
  readonly name: string;
  readonly fields: readonly string[] | undefined;
}

/** Which object of the format sits at `path`, for naming it and listing its fields. */
function objectAt(path: readonly PropertyKey[], input: unknown): ObjectKind {
  const shape = path.map((p) => (typeof p === 'number' ? '#' : String(p))).join('/');
  switch (shape) {
    case '':
      return { name: 'a scenario', fields: Object.keys(scenarioSchema.shape) };
    case 'config':
      return { name: 'config', fields: Object.keys(scenarioConfigSchema.shape) };
    case 'config/tableMemory':
      return { name: 'config.tableMemory', fields: Object.keys(tableMemorySchema.shape) };
    case 'steps/#/prot':
      return { name: 'prot', fields: Object.keys(protObjectSchema.shape) };
    case 'steps/#': {
      const kind = (valueAt(input, path) as Record<string, unknown>).kind;
      return typeof kind === 'string' ? { name: `a "${kind}" step`, fields: fieldsOf(kind) } : { name: 'a step', fields: undefined };
    }
    default:
      return { name: formatPath(path), fields: undefined };
  }
}

function unknownFieldMessage(key: string, where: ObjectKind): string {
  const allowed = where.fields;
  if (allowed === undefined) return `is not a field of ${where.name}`;
  // Catches case slips and the letter O typed for the digit 0 ("TOSZ", "t0sz").
  const normal = (name: string) => name.toLowerCase().replace(/o/g, '0');
  const near = allowed.find((name) => normal(name) === normal(key));
  const hint = near ? `; did you mean "${near}"?` : `; its fields are ${allowed.join(', ')}`;
  return `is not a field of ${where.name}${hint}`;
}
