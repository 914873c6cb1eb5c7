/**
 * CRC-32 as PNG uses it (ISO 3309 / ITU-T V.42, polynomial 0xEDB88320,
 * reflected, initial and final XOR 0xFFFFFFFF; PNG spec section 5.5). fflate
 * keeps its CRC internal, so the table is built here once.
 */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The CRC of the given byte ranges in turn (a PNG chunk's CRC covers its type and its data). */
export function crc32(...parts: readonly Uint8Array[]): number {
  let c = 0xffffffff;
  for (const bytes of parts) {
    for (let i = 0; i < bytes.length; i++) c = (TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)) >>> 0;
  }
  return (c ^ 0xffffffff) >>> 0;
}
