/**
 * Timeline labels for the Linux steps, written as a kernel developer reads
 * them: "iommu_group_claim_dma_owner(nic0, "vfio") = -EPERM". The argument
 * text is shared with the UI, which prints the call an event carries.
 */
import type { EngineEvent, Prot } from '../engine/index.ts';
import { parseU64 } from '../engine/index.ts';
import { callArgs } from './commands-linux.ts';
import { groupedHex } from './hex-text.ts';
import { argRole, callSpec } from './linux-calls.ts';
import { sizeText } from './label-text.ts';
import type { LinuxBootStep, LinuxCallStep, LinuxDmaStep } from './steps-linux.ts';

const MAX_FIELDS_SHOWN = 3;

function protLetters(p: Prot): string {
  const letters = `${p.read ? 'r' : ''}${p.write ? 'w' : ''}${p.exec ? 'x' : ''}${p.priv ? 'p' : ''}`;
  return letters === '' ? 'no access' : letters;
}

/** One argument, as an engine value, in a few characters: names as they are, 64-bit values in grouped hex, sizes in KB/MB. */
export function argText(call: string, name: string, value: unknown): string {
  if (value === null) return 'NULL';
  if (value === undefined) return '—';
  const role = argRole(call, name);
  if (typeof value === 'bigint') return name === 'size' ? sizeText(value) : groupedHex(value);
  if (role === 'prot' && typeof value === 'object') return protLetters(value as Prot);
  if (role === 'group' && typeof value === 'number') return `group ${value}`;
  if (role === 'text' && typeof value === 'string') return JSON.stringify(value);
  if (role === 'sg' && Array.isArray(value)) return `${value.length} segment${value.length === 1 ? '' : 's'}`;
  if (Array.isArray(value)) return value.length === 0 ? '0' : value.map(String).join(' | ');
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const shown = entries.slice(0, MAX_FIELDS_SHOWN).map(([k, v]) => `${k} ${typeof v === 'bigint' && v > 9n ? groupedHex(v) : String(v)}`);
    return `{${shown.join(', ')}${entries.length > MAX_FIELDS_SHOWN ? ', …' : ''}}`;
  }
  return String(value);
}

/** The arguments in the kernel's order (the call's table entry), then any others the engine took. */
export function orderedArgs(call: string, args: Readonly<Record<string, unknown>>): [string, unknown][] {
  const order = Object.keys(callSpec(call)?.args ?? {});
  const known = order.filter((n) => Object.hasOwn(args, n) && args[n] !== undefined).map((n): [string, unknown] => [n, args[n]]);
  const rest = Object.entries(args).filter(([n, v]) => !order.includes(n) && v !== undefined);
  return [...known, ...rest];
}

/** "iommu_map(U, 0x1000, 0x8_0000_0000, 4KB, rw)": the call with engine values. */
export function callText(call: string, args: Readonly<Record<string, unknown>>): string {
  return `${call}(${orderedArgs(call, args).map(([n, v]) => argText(call, n, v)).join(', ')})`;
}

type Called = Extract<EngineEvent, { kind: 'linux.called' }>;

function bootLabel(step: LinuxBootStep, events: readonly EngineEvent[] | undefined): string {
  const n = step.devices.length;
  const booted = events?.find((e) => e.kind === 'linux.booted');
  const groups = booted?.kind === 'linux.booted' ? `, ${booted.groups.length} group${booted.groups.length === 1 ? '' : 's'}` : '';
  return `boot Linux: ${n} PCI device${n === 1 ? '' : 's'}${groups}, ${step.defaultDomainType ?? 'DMA'} default domains`;
}

function callLabel(step: LinuxCallStep, events: readonly EngineEvent[] | undefined): string {
  let args: Record<string, unknown>;
  try {
    args = callArgs(step);
  } catch {
    args = { ...step.args };
  }
  const text = callText(step.call, args);
  const called = events?.find((e): e is Called => e.kind === 'linux.called');
  const inflight = step.inflight?.length ? ` with ${step.inflight.length} DMA${step.inflight.length === 1 ? '' : 's'} in flight` : '';
  return called ? `${text} = ${called.returned}${inflight}` : `${text}${inflight}`;
}

function dmaLabel(step: LinuxDmaStep, events: readonly EngineEvent[] | undefined): string {
  const what = `DMA from ${step.device}: ${step.privileged ? 'privileged ' : ''}${step.access} ${groupedHex(parseU64(step.iova))}${step.pasid === undefined ? '' : ` PASID ${step.pasid}`}`;
  const dma = events?.find((e) => e.kind === 'linux.dma');
  if (dma?.kind !== 'linux.dma') return what;
  const where = dma.landed === 'domain' ? `through ${dma.domain ?? 'its domain'}` : dma.landed === 'blocked' ? 'blocked' : 'outside its domain!';
  return `${what} → ${where}`;
}

export function linuxStepLabel(step: LinuxBootStep | LinuxCallStep | LinuxDmaStep, events?: readonly EngineEvent[]): string {
  switch (step.kind) {
    case 'linux.boot':
      return bootLabel(step, events);
    case 'linux.call':
      return callLabel(step, events);
    case 'linux.dma':
      return dmaLabel(step, events);
  }
}
