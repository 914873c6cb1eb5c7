/**
 * The kernel calls a linux.call step can make, and what each argument is.
 * One entry per call: the engine (src/engine/os/core/validate.ts) decides the
 * call's shape, this table says what each argument means to a scenario file
 * (a device, a domain made earlier, a 64-bit hex value ...), which drives the
 * JSON schema, the conversion to engine values, the cross-step name checks
 * and the labels. A call the engine knows but this table does not is still
 * accepted: its arguments are read by their names' roles in the table
 * (`iova` is hex wherever it appears) and the engine validates them.
 */
import { LINUX_CALLS } from '../engine/index.ts';
import type { ArgRole, CallSpec } from './linux-call-spec.ts';
import { CORE_CALLS } from './linux-calls-core.ts';
import { MORE_CALLS } from './linux-calls-more.ts';

export type { ArgRole, ArgSpec, CallSpec } from './linux-call-spec.ts';

export const LINUX_CALL_TABLE: Readonly<Record<string, CallSpec>> = { ...CORE_CALLS, ...MORE_CALLS };

/** Every call a step may name: the table's and any the engine knows that the table does not list yet. */
export const KNOWN_CALLS: readonly string[] = [...new Set([...Object.keys(LINUX_CALL_TABLE), ...LINUX_CALLS])];

/** Calls the engine knows and the table does not: their arguments are read by name (ROLE_BY_ARG_NAME). */
export const UNLISTED_CALLS: readonly string[] = LINUX_CALLS.filter((c) => !Object.hasOwn(LINUX_CALL_TABLE, c));

/** The role an argument name has in the table, for calls it does not list ('name' is most often a new domain). */
export const ROLE_BY_ARG_NAME: Readonly<Record<string, ArgRole>> = (() => {
  const out: Record<string, ArgRole> = {};
  for (const spec of Object.values(LINUX_CALL_TABLE)) {
    for (const [name, arg] of Object.entries(spec.args)) out[name] ??= arg.role;
  }
  return out;
})();

export function callSpec(call: string): CallSpec | undefined {
  return Object.hasOwn(LINUX_CALL_TABLE, call) ? LINUX_CALL_TABLE[call] : undefined;
}

/** The role of one argument of a call: from the call's entry, else by the argument's name. */
export function argRole(call: string, arg: string): ArgRole | undefined {
  const spec = callSpec(call);
  if (spec) return Object.hasOwn(spec.args, arg) ? spec.args[arg]?.role : undefined;
  return Object.hasOwn(ROLE_BY_ARG_NAME, arg) ? ROLE_BY_ARG_NAME[arg] : undefined;
}

/** "iommu_map(domain, iova, paddr, size, prot)": the call as the kernel declares it, for messages. */
export function signatureText(call: string): string {
  const spec = callSpec(call);
  if (!spec) return `${call}(...)`;
  return `${call}(${Object.entries(spec.args).map(([n, a]) => (a.optional ? `[${n}]` : n)).join(', ')})`;
}
