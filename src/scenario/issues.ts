/**
 * Validation problems as the user sees them: a path into the file
 * ("steps[3].iova") and a sentence saying what is wrong there.
 */
import type { z } from './zod.ts';
import { shown } from './fields.ts';
import { scenarioConfigSchema, scenarioSchema, tableMemorySchema } from './schema.ts';
import { CD_FIELD_NAMES, STE_FIELD_NAMES } from './entry-fields.ts';
import { COMMAND_OPS, type CommandOp, commandFields, unknownCommandMessage } from './steps-cmdq.ts';
import { smmuFeaturesSchema } from './steps-smmu.ts';
import { STAGE2_CREATE_FIELDS, STEP_KINDS, fieldsOf, pgtableCreateStep, protObjectSchema } from './steps.ts';
import { suggestName } from './suggest.ts';
import { callSpec, KNOWN_CALLS, signatureText } from './linux-calls.ts';
import { LINUX_CALL_FIELDS, inflightSchema, linuxSmmuSchema, pciDeviceSchema } from './steps-linux.ts';

/** steps[n].args.x */
const isCallArgument = (path: readonly PropertyKey[]) => path.length === 4 && path[0] === 'steps' && path[2] === 'args';

/** An unknown kernel call, with the nearest known name. */
export function unknownCallMessage(call: unknown): string {
  if (call === undefined) return `is required: the kernel function to call, such as "iommu_attach_group"`;
  if (typeof call !== 'string') return `must be the name of a kernel function, such as "iommu_attach_group" (got ${shown(call)})`;
  const near = suggestName(call, KNOWN_CALLS);
  return `unknown kernel call ${shown(call)}; ${near ? `did you mean "${near}"?` : `the calls are ${KNOWN_CALLS.join(', ')}`}`;
}

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
    } else if (issue.code === 'invalid_union' && issue.discriminator === 'op') {
      out.push({ path: formatPath(issue.path), message: unknownCommandMessage(valueAt(input, issue.path)) });
    } else if (issue.code === 'invalid_union' && issue.discriminator === 'call') {
      out.push({ path: formatPath(issue.path), message: unknownCallMessage(valueAt(input, issue.path)) });
    } else if (issue.code === 'invalid_union' && issue.discriminator === 'stage') {
      out.push({ path: formatPath(issue.path), message: `must be 1 (a stage-1 table, the default) or 2 (a stage-2 table) (got ${shown(valueAt(input, issue.path))})` });
    } else if (issue.code === 'invalid_union' && issue.discriminator === 'kind') {
      const kind = valueAt(input, issue.path);
      const expected = `one of ${STEP_KINDS.map((k) => `"${k}"`).join(', ')}`;
      out.push({
        path: formatPath(issue.path),
        message: kind === undefined ? `is required: every step has a kind, ${expected}` : `unknown step kind ${shown(kind)}; expected ${expected}`,
      });
    } else if (issue.message === 'is required' && isCallArgument(issue.path)) {
      const call = valueAt(input, issue.path.slice(0, -2).concat('call'));
      out.push({ path: formatPath(issue.path), message: `is required: ${signatureText(String(call))}` });
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
  /** Set for a pgtable.create: which stage it is, so a field of the other stage gets its own message. */
  readonly stage?: 1 | 2;
  /** "a field" unless said: a call has arguments. */
  readonly what?: string;
}

const STAGE1_CREATE_FIELDS: readonly string[] = Object.keys(pgtableCreateStep.shape).filter((k) => !['kind', 'name', 'stage', 'note'].includes(k));

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
      const step = valueAt(input, path) as Record<string, unknown>;
      const kind = step.kind;
      if (typeof kind !== 'string') return { name: 'a step', fields: undefined };
      if (kind === 'pgtable.create') return { name: `a "${kind}" step`, fields: fieldsOf(kind, step.stage), stage: step.stage === 2 ? 2 : 1 };
      if (kind === 'linux.call' && typeof step.call === 'string') return { name: `a "linux.call" step`, fields: [...LINUX_CALL_FIELDS] };
      return { name: `a "${kind}" step`, fields: fieldsOf(kind) };
    }
    case 'steps/#/fields': {
      const kind = (valueAt(input, path.slice(0, -1)) as Record<string, unknown>).kind;
      return kind === 'smmu.writeSte' || kind === 'smmu.updateSte' ? { name: 'an STE', fields: STE_FIELD_NAMES } : { name: 'a CD', fields: CD_FIELD_NAMES };
    }
    case 'steps/#/commands/#': {
      const op = (valueAt(input, path) as Record<string, unknown>).op;
      if (!COMMAND_OPS.includes(op as CommandOp)) return { name: 'a command', fields: undefined };
      return { name: op as string, fields: ['op', ...commandFields(op as CommandOp).map((f) => f.name)] };
    }
    case 'steps/#/args': {
      const call = (valueAt(input, path.slice(0, -1)) as Record<string, unknown>).call;
      const spec = typeof call === 'string' ? callSpec(call) : undefined;
      return { name: `${String(call)}()`, fields: spec ? Object.keys(spec.args) : undefined, what: 'an argument' };
    }
    case 'steps/#/devices/#':
      return { name: 'a PCI device', fields: Object.keys(pciDeviceSchema.shape) };
    case 'steps/#/smmu':
      return { name: 'linux.boot\'s smmu', fields: Object.keys(linuxSmmuSchema.shape) };
    case 'steps/#/smmu/features':
    case 'steps/#/features':
      return { name: 'features', fields: Object.keys(smmuFeaturesSchema.shape) };
    case 'steps/#/inflight/#':
      return { name: 'an in-flight DMA', fields: Object.keys(inflightSchema.shape) };
    case 'steps/#/smmu/features/granules':
    case 'steps/#/features/granules':
      return { name: 'granules', fields: ['g4k', 'g16k', 'g64k'] };
    default:
      return { name: formatPath(path), fields: undefined };
  }
}

function unknownFieldMessage(key: string, where: ObjectKind): string {
  if (where.stage === 2 && STAGE1_CREATE_FIELDS.includes(key)) {
    return `is a stage-1 (CD) field, but this table has "stage": 2; a stage-2 table takes the STE's fields ${STAGE2_CREATE_FIELDS.join(', ')}`;
  }
  if (where.stage === 1 && (STAGE2_CREATE_FIELDS as readonly string[]).includes(key)) {
    return `is a stage-2 (STE) field, but this table is stage 1; add "stage": 2 for a stage-2 table, which takes ${STAGE2_CREATE_FIELDS.join(', ')} instead of the CD fields`;
  }
  const allowed = where.fields;
  const what = where.what ?? 'a field';
  if (allowed === undefined) return `is not ${what} of ${where.name}`;
  const near = suggestName(key, allowed);
  const hint = near ? `; did you mean "${near}"?` : `; ${what === 'a field' ? 'its fields are' : 'it takes'} ${allowed.join(', ')}`;
  return `is not ${what} of ${where.name}${hint}`;
}
