/** Hex as the Arm documents print it, for labels and messages people read. */

/** 0x0000008080604000 -> "0x80_8060_4000". */
export function groupedHex(value: bigint): string {
  const digits = value.toString(16);
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 4) groups.unshift(digits.slice(Math.max(0, end - 4), end));
  return `0x${groups.join('_')}`;
}
