/**
 * Reading and writing the chunks of a PNG file (PNG spec, 3rd edition,
 * sections 5.2-5.4): an 8-byte signature, then chunks of length (4 bytes,
 * big-endian), type (4 ASCII letters), data and a CRC over type and data,
 * from IHDR to IEND. Only the chunk framing is checked here; the pixels are
 * the browser's business.
 */
import { crc32 } from '../../share/crc32.ts';

export const PNG_SIGNATURE: readonly number[] = [137, 80, 78, 71, 13, 10, 26, 10];

export interface PngChunk {
  readonly type: string;
  readonly data: Uint8Array;
}

export type PngReadResult = { readonly ok: true; readonly chunks: readonly PngChunk[] } | { readonly ok: false; readonly problem: string };

/** PNG's own limit on a chunk's length (2^31 - 1). */
const MAX_CHUNK_LENGTH = 0x7fffffff;

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

const typeText = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/** Every chunk, or the first thing wrong with the framing, naming the chunk and its byte offset. */
export function readPngChunks(bytes: Uint8Array): PngReadResult {
  if (!isPng(bytes)) return { ok: false, problem: 'it does not start with the PNG signature' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunk[] = [];
  let at = PNG_SIGNATURE.length;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) return { ok: false, problem: `it is cut short: a chunk header at byte ${at} is incomplete` };
    const length = view.getUint32(at);
    const typeBytes = bytes.subarray(at + 4, at + 8);
    const type = typeText(typeBytes);
    if (!/^[A-Za-z]{4}$/.test(type)) return { ok: false, problem: `the chunk at byte ${at} has no valid type (PNG chunk types are four letters)` };
    if (length > MAX_CHUNK_LENGTH || at + 12 + length > bytes.length) {
      return { ok: false, problem: `it is cut short: chunk ${type} at byte ${at} says it holds ${length} bytes, but the file ends first` };
    }
    const data = bytes.subarray(at + 8, at + 8 + length);
    const stored = view.getUint32(at + 8 + length);
    if (crc32(typeBytes, data) !== stored) return { ok: false, problem: `chunk ${type} at byte ${at} is damaged (its CRC does not match)` };
    if (chunks.length === 0 && type !== 'IHDR') return { ok: false, problem: `its first chunk is ${type}, not IHDR` };
    chunks.push({ type, data });
    at += 12 + length;
    if (type === 'IEND') return { ok: true, chunks };
  }
  return { ok: false, problem: 'it is cut short: it has no IEND chunk' };
}

/** The file for these chunks: signature, then each chunk with its length and CRC. */
export function writePngChunks(chunks: readonly PngChunk[]): Uint8Array {
  const size = PNG_SIGNATURE.length + chunks.reduce((sum, c) => sum + 12 + c.data.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(PNG_SIGNATURE, 0);
  let at = PNG_SIGNATURE.length;
  for (const chunk of chunks) {
    if (!/^[A-Za-z]{4}$/.test(chunk.type)) throw new Error(`"${chunk.type}" is not a PNG chunk type (four letters)`);
    const typeBytes = Uint8Array.from(chunk.type, (ch) => ch.charCodeAt(0));
    view.setUint32(at, chunk.data.length);
    out.set(typeBytes, at + 4);
    out.set(chunk.data, at + 8);
    view.setUint32(at + 8 + chunk.data.length, crc32(typeBytes, chunk.data));
    at += 12 + chunk.data.length;
  }
  return out;
}
