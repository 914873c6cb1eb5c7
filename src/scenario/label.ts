/**
 * Short labels for the timeline: what a step does in a few words, with
 * addresses grouped in fours as the Arm documents print them.
 */
import { assertNever, parseU64 } from '../engine/index.ts';
import { protOf } from './commands.ts';
import type { ProtSpec, ScenarioStep } from './steps.ts';

/** 0x0000008080604000 -> "0x80_8060_4000". */
export function groupedHex(value: bigint): string {
  const digits = value.toString(16);
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 4) groups.unshift(digits.slice(Math.max(0, end - 4), end));
  return `0x${groups.join('_')}`;
}

const UNITS: readonly [bigint, string][] = [
  [1n << 40n, 'TB'],
  [1n << 30n, 'GB'],
  [1n << 20n, 'MB'],
  [1n << 10n, 'KB'],
];

/** 0x200000 -> "2MB", 0x3000 -> "12KB", 0x1234 -> "0x1234 bytes". */
export function sizeText(bytes: bigint): string {
  for (const [unit, name] of UNITS) {
    if (bytes >= unit && bytes % unit === 0n) return `${bytes / unit}${name}`;
  }
  return `${groupedHex(bytes)} bytes`;
}

const GRANULE_OF_TG0: Readonly<Record<number, string>> = { 0: '4KB', 1: '64KB', 2: '16KB' };

function protText(prot: ProtSpec): string {
  const p = protOf(prot);
  const letters = `${p.read ? 'r' : ''}${p.write ? 'w' : ''}${p.exec ? 'x' : ''}${p.priv ? 'p' : ''}`;
  return letters === '' ? 'no access' : letters;
}

const addr = (text: string) => groupedHex(parseU64(text));

export function stepLabel(step: ScenarioStep): string {
  switch (step.kind) {
    case 'memory.write':
      return `write ${addr(step.value)} to ${addr(step.address)} (${step.size ?? 8} bytes)`;
    case 'pgtable.create':
      return `create ${step.name}: ${GRANULE_OF_TG0[step.TG0] ?? '?'} granule, ${64 - step.T0SZ}-bit input`;
    case 'pgtable.map':
      return `map ${step.table} ${addr(step.iova)} → ${addr(step.paddr)}, ${sizeText(parseU64(step.size))} ${protText(step.prot)}`;
    case 'pgtable.unmap':
      return `unmap ${step.table} ${addr(step.iova)}, ${sizeText(parseU64(step.size))}`;
    case 'walk':
      return `walk ${step.table} ${addr(step.address)}: ${step.privileged === false ? 'unprivileged ' : ''}${step.access}`;
    default:
      return assertNever(step, 'scenario step');
  }
}
