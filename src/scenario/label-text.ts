/** Words for sizes and permissions in labels: "2MB", "rw". */
import { groupedHex } from './hex-text.ts';
import { type ProtSpec, protOf } from './steps-prot.ts';

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

export function protText(prot: ProtSpec): string {
  const p = protOf(prot);
  const letters = `${p.read ? 'r' : ''}${p.write ? 'w' : ''}${p.exec ? 'x' : ''}${p.priv ? 'p' : ''}`;
  return letters === '' ? 'no access' : letters;
}
