/**
 * Hex as the lessons' narration writes it: digits grouped by four with
 * underscores, as the Arm documents group them ("0x1000_0123"), and the
 * plain form the result lines use ("0x10000123") for answer keys.
 */

/** Grouped by four from the right: 0x1000_0123, 0x8_8000_0000. `digits` pads (16 for a full 64-bit PA). */
export function hx(value: bigint | number, digits = 0): string {
  const text = BigInt(value).toString(16).padStart(digits, '0');
  const groups: string[] = [];
  for (let end = text.length; end > 0; end -= 4) groups.unshift(text.slice(Math.max(0, end - 4), end));
  return `0x${groups.join('_')}`;
}

/** As a result line prints it (src/scenario/format.ts toHex): what `expect.values` compare against. */
export function plain(value: bigint | number): string {
  return `0x${BigInt(value).toString(16)}`;
}

/** The index an address selects at `level` of a 4KB-granule, 48-bit walk (level 0 = bits [47:39] ... level 3 = [20:12]). */
export function index4k(address: bigint, level: 0 | 1 | 2 | 3): number {
  return Number((address >> BigInt(12 + (3 - level) * 9)) & 0x1ffn);
}
