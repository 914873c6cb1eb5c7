/**
 * Text kept inside a PNG: an iTXt chunk (PNG spec section 11.3.3.4) holding
 * UTF-8 text under a keyword, zlib-compressed. Scenario notes may hold any
 * Unicode, which rules out tEXt (Latin-1 only); a tEXt chunk with the same
 * keyword is still read, for files other tools rewrote.
 */
import { unzlibSync, zlibSync } from 'fflate';
import { type PngChunk, readPngChunks, writePngChunks } from './pngChunks.ts';

export type PngTextResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: string; readonly missing?: boolean };

const latin1 = (text: string) => Uint8Array.from(text, (ch) => ch.charCodeAt(0) & 0xff);

function checkKeyword(keyword: string): void {
  // Section 11.3.3.2: 1 to 79 printable Latin-1 characters, no leading, trailing or double spaces.
  if (!/^[\x21-\x7e](?:[\x20-\x7e]{0,77}[\x21-\x7e])?$/.test(keyword) || keyword.includes('  ')) throw new Error(`"${keyword}" is not a valid PNG keyword`);
}

/** An iTXt chunk: keyword, compression flag 1 / method 0 (zlib), no language tag, no translated keyword, the compressed text. */
export function iTxtChunk(keyword: string, text: string): PngChunk {
  checkKeyword(keyword);
  const head = latin1(keyword);
  const body = zlibSync(new TextEncoder().encode(text), { level: 9 });
  const data = new Uint8Array(head.length + 5 + body.length);
  data.set(head, 0);
  // keyword \0, flag 1, method 0, language tag "" \0, translated keyword "" \0.
  data.set([0, 1, 0, 0, 0], head.length);
  data.set(body, head.length + 5);
  return { type: 'iTXt', data };
}

/** The PNG with one iTXt chunk under `keyword` just before IEND (an older one with that keyword is dropped). */
export function withPngText(png: Uint8Array, keyword: string, text: string): Uint8Array {
  const read = readPngChunks(png);
  if (!read.ok) throw new Error(`The PNG to write into is not valid: ${read.problem}`);
  const kept = read.chunks.filter((c) => !(isTextChunk(c) && keywordOf(c.data) === keyword));
  const end = kept.length - 1; // readPngChunks guarantees IEND is last.
  return writePngChunks([...kept.slice(0, end), iTxtChunk(keyword, text), ...kept.slice(end)]);
}

/** Latin-1 bytes as text, a byte at a time (spreading a long array into fromCharCode overflows the stack). */
function latin1Text(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

const isTextChunk = (c: PngChunk) => c.type === 'iTXt' || c.type === 'tEXt';

function keywordOf(data: Uint8Array): string | undefined {
  const nul = data.indexOf(0);
  return nul < 1 ? undefined : String.fromCharCode(...data.subarray(0, nul));
}

/** The text stored under `keyword`; `missing` when the file is a sound PNG without it. */
export function readPngText(png: Uint8Array, keyword: string): PngTextResult {
  const read = readPngChunks(png);
  if (!read.ok) return read;
  const chunk = read.chunks.find((c) => isTextChunk(c) && keywordOf(c.data) === keyword);
  if (!chunk) return { ok: false, missing: true, problem: `it has no "${keyword}" text chunk` };
  const start = keyword.length + 1;
  if (chunk.type === 'tEXt') return { ok: true, text: latin1Text(chunk.data.subarray(start)) };
  return decodeITxt(chunk.data, start);
}

function decodeITxt(data: Uint8Array, start: number): PngTextResult {
  const flag = data[start];
  const method = data[start + 1];
  const languageEnd = data.indexOf(0, start + 2);
  const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
  if (flag === undefined || method === undefined || translatedEnd < 0) return { ok: false, problem: 'its iTXt chunk is malformed (a header field is missing)' };
  const body = data.subarray(translatedEnd + 1);
  let bytes: Uint8Array;
  if (flag === 0) bytes = body;
  else if (flag === 1 && method === 0) {
    try {
      bytes = unzlibSync(body);
    } catch (error) {
      return { ok: false, problem: `its iTXt text does not decompress (${error instanceof Error ? error.message : String(error)})` };
    }
  } else return { ok: false, problem: `its iTXt chunk uses an unknown compression (flag ${flag}, method ${method})` };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, problem: 'its iTXt text is not valid UTF-8' };
  }
}
