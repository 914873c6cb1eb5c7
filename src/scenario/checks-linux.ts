/**
 * Cross-step checks for the Linux kinds: Linux boots once, before any call or
 * device DMA; a boot list names each device once and lists parents first;
 * every device, group, domain and vIOMMU a call names exists by then. A call
 * the kernel would refuse (EBUSY, EPERM ...) is not a format error: it is the
 * step's result. Only names the engine could never resolve are refused here.
 */
import type { ScenarioIssue } from './issues.ts';
import { argRole, KNOWN_CALLS } from './linux-calls.ts';
import { suggestName } from './suggest.ts';

/** The driver's static domains (arm_smmu_blocked_domain, arm_smmu_identity_domain), shared by every group. */
export const STATIC_DOMAINS = ['arm_smmu_blocked_domain', 'arm_smmu_identity_domain'] as const;
/** What the core names the default domain it makes for group N ("default-g1", or "default-g1.2" after a sysfs type change). */
export const DEFAULT_DOMAIN_PATTERN = /^default-g\d+(?:\.\d+)?$/;

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

interface Names {
  bootedAt: number | undefined;
  devices: string[];
  /** Domains and page tables share one name space in the engine. */
  readonly domains: Map<string, number>;
  readonly tables: Map<string, number>;
  readonly viommus: Map<string, number>;
  readonly mms: Map<string, number>;
  /**
   * Nested domains made the intel-iommu way (iommufd_hwpt_nested_alloc). A
   * scenario written for both IOMMUs may make the same one the arm-smmu-v3
   * way next, under the same name: on each IOMMU the other's call is refused
   * (arm-smmu-v3 has no domain_alloc_nested) or skipped by the comparison.
   */
  readonly nestedVtd: Set<string>;
}

function didYouMean(name: string, known: readonly string[]): string {
  const near = suggestName(name, known);
  return near ? `; did you mean "${near}"?` : '';
}

function bootChecks(step: Record<string, unknown>, at: (f: string) => string, issues: ScenarioIssue[]): string[] {
  const names: string[] = [];
  if (!Array.isArray(step.devices)) return names;
  step.devices.forEach((raw, i) => {
    const d = record(raw);
    if (!d) return;
    const where = `devices[${i}]`;
    const before = [...names];
    if (typeof d.name === 'string') {
      if (names.includes(d.name)) issues.push({ path: at(`${where}.name`), message: `there is already a device named "${d.name}" (devices[${names.indexOf(d.name)}])` });
      names.push(d.name);
    }
    if (typeof d.parent === 'string' && !before.includes(d.parent)) {
      issues.push({ path: at(`${where}.parent`), message: `"${d.parent}" is not a device listed before this one: list bridges and ports before what sits behind them${didYouMean(d.parent, before)}` });
    }
  });
  return names;
}

function nameCheck(call: string, arg: string, value: unknown, n: Names, path: string, issues: ScenarioIssue[]): void {
  const role = argRole(call, arg);
  if (typeof value !== 'string' && typeof value !== 'number') return;
  const device = (what: string) => {
    if (typeof value === 'string' && !n.devices.includes(value)) issues.push({ path, message: `${what}${didYouMean(value, n.devices)}` });
  };
  switch (role) {
    case 'device':
      return device(`no device named "${String(value)}" was booted (linux.boot lists ${n.devices.map((d) => `"${d}"`).join(', ')})`);
    case 'group':
      if (typeof value === 'number') {
        // Every group holds at least one device, and ids count from 0.
        if (value >= n.devices.length) issues.push({ path, message: `there is no iommu group ${value}: the ${n.devices.length} devices booted make at most ${n.devices.length} groups (0 to ${n.devices.length - 1}); a device's name also names its group` });
        return;
      }
      return device(`no group contains a device named "${value}"`);
    case 'domain':
    case 'domain|null':
    case 'new-domain': {
      if (typeof value !== 'string') return;
      const known = n.domains.has(value) || (STATIC_DOMAINS as readonly string[]).includes(value) || DEFAULT_DOMAIN_PATTERN.test(value);
      if (role === 'new-domain') {
        const earlier = n.domains.get(value) ?? n.tables.get(value);
        const otherUapi = call === 'iommufd_viommu_alloc_hwpt_nested' && n.nestedVtd.delete(value);
        if (otherUapi) return;
        if (earlier !== undefined) issues.push({ path, message: `"${value}" is already the name of ${n.tables.has(value) ? 'a page table' : 'a domain'} (steps[${earlier}]); domains and page tables share names` });
        else if (known) issues.push({ path, message: `"${value}" is the name the kernel gives ${value.startsWith('default') ? 'a default domain' : 'a static domain'}; choose another` });
        return;
      }
      if (!known) {
        const names = [...n.domains.keys(), ...STATIC_DOMAINS];
        issues.push({ path, message: `no domain named "${value}" was allocated before this step (default domains are "default-g<group>", the static ones ${STATIC_DOMAINS.join(' and ')})${didYouMean(value, names)}` });
      }
      return;
    }
    case 'viommu':
      if (typeof value === 'string' && !n.viommus.has(value)) issues.push({ path, message: `no vIOMMU named "${value}" was allocated before this step${didYouMean(value, [...n.viommus.keys()])}` });
      return;
    case 'mm':
      if (typeof value === 'string' && !n.mms.has(value)) issues.push({ path, message: `no mm named "${value}" was made by an mm_alloc before this step${didYouMean(value, [...n.mms.keys()])}` });
      return;
    case 'new-mm':
      if (typeof value === 'string' && n.mms.has(value)) issues.push({ path, message: `there is already an mm named "${value}" (steps[${n.mms.get(value)}])` });
      return;
    default:
      return;
  }
}

/** What a successful call would create, recorded so later steps may name it (a refused one is the engine's to report). */
function recordCreations(call: string, args: Record<string, unknown>, index: number, n: Names): void {
  for (const [arg, value] of Object.entries(args)) {
    if (typeof value !== 'string') continue;
    const role = argRole(call, arg);
    if (role === 'new-domain' && !n.domains.has(value)) {
      n.domains.set(value, index);
      if (call === 'iommufd_hwpt_nested_alloc') n.nestedVtd.add(value);
    }
    if (role === 'new-viommu' && !n.viommus.has(value)) n.viommus.set(value, index);
    if (role === 'new-mm' && !n.mms.has(value)) n.mms.set(value, index);
  }
}

export function linuxCrossChecks(steps: readonly unknown[]): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const n: Names = { bootedAt: undefined, devices: [], domains: new Map(), tables: new Map(), viommus: new Map(), mms: new Map(), nestedVtd: new Set() };
  const firstBoot = steps.findIndex((raw) => record(raw)?.kind === 'linux.boot');
  let probedAt: number | undefined;

  steps.forEach((raw, index) => {
    const step = record(raw);
    if (!step || typeof step.kind !== 'string') return;
    const at = (field: string) => `steps[${index}].${field}`;
    if (step.kind === 'smmu.probe' && probedAt === undefined) probedAt = index;
    if (step.kind === 'pgtable.create' && typeof step.name === 'string' && !n.tables.has(step.name)) n.tables.set(step.name, index);

    if (step.kind === 'linux.boot') {
      if (n.bootedAt !== undefined) {
        issues.push({ path: at('kind'), message: `Linux already booted at steps[${n.bootedAt}]; a scenario boots it once` });
        return;
      }
      n.bootedAt = index;
      if (probedAt !== undefined && step.smmu !== undefined) {
        issues.push({ path: at('smmu'), message: `the SMMU was already probed at steps[${probedAt}]; leave out "smmu" so Linux uses that one` });
      }
      n.devices = bootChecks(step, at, issues);
      return;
    }
    if (step.kind !== 'linux.call' && step.kind !== 'linux.dma') return;
    if (n.bootedAt === undefined) {
      issues.push({ path: at('kind'), message: `Linux has not booted: a linux.boot step must come before this one${firstBoot > index ? ` (it comes later, at steps[${firstBoot}])` : ''}` });
      return;
    }
    if (step.kind === 'linux.dma') {
      nameCheck('', 'dev', step.device, n, at('device'), issues);
      return;
    }
    const call = step.call;
    const args = record(step.args);
    if (typeof call !== 'string' || !KNOWN_CALLS.includes(call) || !args) return;
    for (const [arg, value] of Object.entries(args)) nameCheck(call, arg, value, n, at(`args.${arg}`), issues);
    if (Array.isArray(step.inflight)) {
      step.inflight.forEach((d, i) => nameCheck('', 'dev', record(d)?.device, n, at(`inflight[${i}].device`), issues));
    }
    recordCreations(call, args, index, n);
  });
  return issues;
}
