/** Hex words as the kernel prints them ("0x%016llx"), read without loss into bigint. */

const HEX = /^0x([0-9a-fA-F]{1,16})$/;

/** "0x000000010a5f5001" -> 0x10a5f5001n; undefined if it is not 1-16 hex digits after 0x. */
export function parseHexWord(token: string): bigint | undefined {
  const m = HEX.exec(token);
  return m ? BigInt(`0x${m[1]}`) : undefined;
}

/** "0xHI:0xLO" (or more words): the words in the order printed, or a reason. */
export function parseHexWords(token: string, count: number): readonly bigint[] | string {
  const parts = token.split(':');
  if (parts.length !== count) return `has ${parts.length} ${parts.length === 1 ? 'word' : 'words'} where ${count} are printed, joined by ":"`;
  const words: bigint[] = [];
  for (const p of parts) {
    const w = parseHexWord(p);
    if (w === undefined) return `"${p.length > 24 ? `${p.slice(0, 24)}…` : p}" is not a 64-bit hex word (0x and up to 16 hex digits)`;
    words.push(w);
  }
  return words;
}
