/**
 * base64url (RFC 4648 section 5) without padding: the alphabet a URL
 * fragment carries without escaping. Decoding names the first character
 * that does not belong, so a link damaged by a chat program or a hand edit
 * is reported at its place.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES: Int8Array = (() => {
  const values = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) values[ALPHABET.charCodeAt(i)] = i;
  return values;
})();

export function encodeBase64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += ALPHABET[a >> 2];
    out += ALPHABET[((a & 3) << 4) | ((b ?? 0) >> 4)];
    if (b !== undefined) out += ALPHABET[((b & 15) << 2) | ((c ?? 0) >> 6)];
    if (c !== undefined) out += ALPHABET[c & 63];
  }
  return out;
}

export type Base64Result =
  | { readonly ok: true; readonly bytes: Uint8Array }
  /** `at`: index into the text of the offending character (or its length when it is cut off). */
  | { readonly ok: false; readonly reason: 'character' | 'cut-off'; readonly at: number; readonly message: string };

export function decodeBase64url(text: string): Base64Result {
  // Padding is not part of the format, but tools that re-encode links may add it.
  let end = text.length;
  while (end > 0 && text[end - 1] === '=') end--;
  const n = end;
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || (VALUES[code] as number) < 0) {
      return { ok: false, reason: 'character', at: i, message: `${JSON.stringify(String.fromCodePoint(text.codePointAt(i) ?? code))} is not a base64url character (A-Z, a-z, 0-9, "-", "_")` };
    }
  }
  if (n % 4 === 1) return { ok: false, reason: 'cut-off', at: n, message: 'the data stops in the middle of a byte' };
  const bytes = new Uint8Array(Math.floor((n * 3) / 4));
  let o = 0;
  for (let i = 0; i < n; i += 4) {
    const a = VALUES[text.charCodeAt(i)] as number;
    const b = VALUES[text.charCodeAt(i + 1)] as number;
    const c = i + 2 < n ? (VALUES[text.charCodeAt(i + 2)] as number) : -1;
    const d = i + 3 < n ? (VALUES[text.charCodeAt(i + 3)] as number) : -1;
    bytes[o++] = (a << 2) | (b >> 4);
    if (c >= 0) bytes[o++] = ((b & 15) << 4) | (c >> 2);
    if (d >= 0) bytes[o++] = ((c & 3) << 6) | d;
  }
  return { ok: true, bytes };
}
