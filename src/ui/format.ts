/**
 * How numbers and names read on screen. Addresses are grouped in fours with
 * underscores, as the Arm documents write them, so a class can read them aloud.
 */
import type { Access, FaultType, Granule } from '../engine/hw/pgtable/types.ts';
import { assertNever } from '../engine/util/assert.ts';

/** "0x0000_0040_2000_1234": hex padded to `digits` (default: a whole number of 4-digit groups). */
export function hexGrouped(value: bigint, digits?: number): string {
  const raw = value.toString(16);
  const width = digits ?? Math.max(4, Math.ceil(raw.length / 4) * 4);
  const padded = raw.padStart(width, '0');
  const groups: string[] = [];
  for (let end = padded.length; end > 0; end -= 4) groups.unshift(padded.slice(Math.max(0, end - 4), end));
  return `0x${groups.join('_')}`;
}

/** A 64-bit descriptor: always 16 digits. */
export function hex64(value: bigint): string {
  return hexGrouped(value, 16);
}

/** Plain hex with a fixed number of digits, for indices: 0x080. */
export function hexDigits(value: bigint | number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/** Digits needed for a field of `bitCount` bits. */
export function hexWidth(bitCount: number): number {
  return Math.max(1, Math.ceil(bitCount / 4));
}

const UNITS: readonly [bigint, string][] = [
  [1n << 40n, 'TB'],
  [1n << 30n, 'GB'],
  [1n << 20n, 'MB'],
  [1n << 10n, 'KB'],
];

/** "4KB", "2MB", "512MB"; sizes that are not a whole number of a unit read as hex bytes. */
export function formatSize(bytes: bigint): string {
  for (const [unit, name] of UNITS) if (bytes >= unit && bytes % unit === 0n) return `${bytes / unit}${name}`;
  return bytes < 1024n ? `${bytes} bytes` : `${hexGrouped(bytes)} bytes`;
}

export function granuleName(granule: Granule): string {
  return formatSize(BigInt(granule));
}

export function faultTitle(type: FaultType): string {
  switch (type) {
    case 'translation':
      return 'Translation fault';
    case 'accessFlag':
      return 'Access flag fault';
    case 'permission':
      return 'Permission fault';
    case 'addressSize':
      return 'Address size fault';
    case 'externalAbort':
      return 'External abort on the walk';
    default:
      return assertNever(type, 'fault type');
  }
}

/** "privileged read", "unprivileged write": the two properties the permission check uses. */
export function accessText(access: Access): string {
  return `${access.privileged ? 'privileged' : 'unprivileged'} ${access.kind}`;
}

/** The SMMUv3 event record a walk fault of this type raises (SMMUv3 spec, section 7.3). */
export function smmuEventName(type: FaultType): string {
  switch (type) {
    case 'translation':
      return 'F_TRANSLATION';
    case 'accessFlag':
      return 'F_ACCESS';
    case 'permission':
      return 'F_PERMISSION';
    case 'addressSize':
      return 'F_ADDR_SIZE';
    case 'externalAbort':
      return 'F_WALK_EABT';
    default:
      return assertNever(type, 'fault type');
  }
}

/** "[47:39]", or "[47]" for a single bit. */
export function bitRange(msb: number, lsb: number): string {
  return msb === lsb ? `[${msb}]` : `[${msb}:${lsb}]`;
}

/** "L2" in tight spots, "level 2" in sentences; level -1 exists for 52-bit inputs. */
export function levelTag(level: number): string {
  return `L${level}`;
}

/** CSS class that gives a level its colour (theme.css defines them). */
export function levelClass(level: number): string {
  return level < 0 ? 'lvl-m1' : `lvl-${level}`;
}
