/**
 * CRC-32 (ISO 3309 / ITU-T V.42: polynomial 0xEDB88320, reflected, initial
 * and final XOR 0xFFFFFFFF), as zlib and PNG use it. A share link carries the
 * CRC of its payload so a damaged link is refused instead of opening another
 * scenario by accident; an exported PNG's chunks carry it by the PNG spec
 * (section 5.5). fflate keeps its own CRC internal, hence this one.
 */
const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The CRC of the given byte ranges in turn (a PNG chunk's CRC covers its type and then its data). */
export function crc32(...parts: readonly Uint8Array[]): number {
  let c = 0xffffffff;
  for (const bytes of parts) {
    for (let i = 0; i < bytes.length; i++) c = ((TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8)) >>> 0;
  }
  return (c ^ 0xffffffff) >>> 0;
}
