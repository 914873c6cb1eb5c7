/**
 * A new step of a kind: its required fields filled with values that parse
 * (names taken from earlier steps where the field refers to one), so a step
 * just added is valid or one field away from it. And the names earlier steps
 * made, which the form offers as completions.
 */
import type { Draft } from '../../persist/work.ts';
import { argRole, LINUX_CALL_TABLE } from '../../scenario/index.ts';
import { stepsOf, valueAtPath } from './draft.ts';
import { stepFields, type FieldDescriptor, type NameKind } from './schemaFields.ts';

export type KnownNames = Readonly<Record<NameKind, readonly string[]>>;

/** Domains every booted kernel has without a step making them (the SMMUv3 driver's static domains). */
const STATIC_DOMAINS = ['arm_smmu_blocked_domain', 'arm_smmu_identity_domain'];

const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** Names made by the steps before `index`: tables, devices, domains, vIOMMUs and mms. */
export function knownNames(draft: Draft, index: number): KnownNames {
  const out: Record<NameKind, string[]> = { table: [], device: [], domain: [...STATIC_DOMAINS], viommu: [], mm: [] };
  const add = (kind: NameKind, name: unknown) => {
    if (typeof name === 'string' && name !== '' && !out[kind].includes(name)) out[kind].push(name);
  };
  for (const raw of stepsOf(draft).slice(0, Math.max(0, index))) {
    const step = record(raw);
    if (step.kind === 'pgtable.create') add('table', step.name);
    if (step.kind === 'linux.boot' && Array.isArray(step.devices)) for (const d of step.devices) add('device', record(d).name);
    if (step.kind === 'linux.call' && typeof step.call === 'string') {
      for (const [arg, value] of Object.entries(record(step.args))) {
        const role = argRole(step.call, arg);
        if (role === 'new-domain') add('domain', value);
        if (role === 'new-viommu') add('viommu', value);
        if (role === 'new-mm') add('mm', value);
      }
    }
  }
  return out;
}

/** "t0", "t1" ...: the first that is not taken. */
function freshName(prefix: string, taken: readonly string[]): string {
  for (let n = 0; ; n++) if (!taken.includes(`${prefix}${n}`)) return `${prefix}${n}`;
}

function defaultValue(d: FieldDescriptor, names: KnownNames): unknown {
  const c = d.control;
  switch (c.kind) {
    case 'hex':
      return d.key === 'size' || d.key === 'length' ? '0x1000' : '0x0';
    case 'int':
      return c.min ?? 0;
    case 'bool':
      return false;
    case 'choice':
      return c.options[0];
    case 'name':
    case 'scalar':
      return c.refers ? (names[c.refers].at(-1) ?? '') : '';
    case 'prot':
      return 'rw';
    case 'strings':
      return [];
    case 'object':
      return requiredOf(c.fields, names);
    case 'list':
      return [requiredOf(c.item, names)];
    case 'entry':
      return { V: 1 };
    case 'commands':
      return [{ op: 'CMD_SYNC' }];
    case 'call':
      return 'iommu_paging_domain_alloc';
    case 'text':
    case 'note':
      return '';
    case 'json':
      return {};
  }
}

function requiredOf(fields: readonly FieldDescriptor[], names: KnownNames): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of fields) if (!d.optional) out[d.key] = defaultValue(d, names);
  return out;
}

/** Fields that name something new get a name no earlier step used. */
function withFreshNames(kind: string, step: Record<string, unknown>, names: KnownNames): Record<string, unknown> {
  if (kind === 'pgtable.create') return { ...step, name: freshName('t', names.table) };
  if (kind === 'linux.boot') return { ...step, devices: [{ name: freshName('dev', names.device), bdf: '01:00.0' }] };
  if (kind === 'linux.call' && typeof step.call === 'string') {
    const args = { ...record(step.args) };
    for (const arg of Object.keys(LINUX_CALL_TABLE[step.call]?.args ?? {})) {
      if (argRole(step.call, arg) === 'new-domain') args[arg] = freshName('dom', names.domain);
    }
    return { ...step, args };
  }
  return step;
}

/** A new step of `kind` for position `index`, or, given `from`, that step turned into `kind` (its note and shared fields kept). */
export function defaultStep(kind: string, draft: Draft, index: number, from?: unknown): Record<string, unknown> {
  const names = knownNames(draft, index);
  const fields = stepFields({ kind }) ?? [];
  const base = withFreshNames(kind, { kind, ...requiredOf(fields, names) }, names);
  const old = record(from);
  const sameKind = (d: FieldDescriptor) => `${d.control.kind}${d.control.kind === 'entry' ? d.control.entry : ''}`;
  const oldKinds = new Map((stepFields(from) ?? []).map((d) => [d.key, sameKind(d)]));
  // A field of the same name and the same kind of value means the same thing in both (an address, a table, the note).
  for (const d of fields) if (old[d.key] !== undefined && oldKinds.get(d.key) === sameKind(d) && d.control.kind !== 'object') base[d.key] = old[d.key];
  return base;
}

/** The arguments a call needs, filled; the step's other fields kept. */
export function withCall(step: Record<string, unknown>, call: string, draft: Draft, index: number): Record<string, unknown> {
  const names = knownNames(draft, index);
  const fields = stepFields({ kind: 'linux.call', call }) ?? [];
  const argsField = fields.find((d) => d.key === 'args');
  const args = argsField?.control.kind === 'object' ? requiredOf(argsField.control.fields, names) : {};
  // Arguments of the same name and role keep their values (a device is still that device).
  const old = record(step.args);
  for (const key of Object.keys(args)) if (old[key] !== undefined) args[key] = old[key];
  return withFreshNames('linux.call', { ...step, call, args }, names);
}

/** A new item for the list at `path` (a PCI device, an in-flight DMA ...): its required fields filled, a fresh name when it has one. */
export function defaultItem(fields: readonly FieldDescriptor[], draft: Draft, path: readonly (string | number)[]): Record<string, unknown> {
  const index = typeof path[1] === 'number' ? path[1] : 0;
  const item = requiredOf(fields, knownNames(draft, index));
  if (item.name === '') {
    const list = valueAtPath(draft, path);
    const taken = Array.isArray(list) ? list.map((entry) => String(record(entry).name)) : [];
    item.name = freshName('dev', [...taken, ...knownNames(draft, index).device]);
  }
  return item;
}
