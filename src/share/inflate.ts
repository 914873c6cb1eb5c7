/**
 * Inflating a link's DEFLATE data with a ceiling. The compressed bytes are
 * fed to fflate's streaming Inflate a small slice at a time and the output
 * counted as it comes, so a "zip bomb" (DEFLATE reaches about 1,000:1) is
 * stopped once it passes the limit, having produced at most one slice's
 * worth more, never the whole expansion.
 *
 * fflate's streaming mode reports a stream cut off before its last block
 * ("unexpected EOF"), but a cut inside the last block can end quietly with
 * less output; share links therefore carry a CRC-32 of the payload as well.
 */
import { Inflate } from 'fflate';

/** At most ~1,032 output bytes per input byte: a 256-byte slice inflates to at most ~264 KB. */
const SLICE = 256;

export type InflateResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  /** `consumed`: compressed bytes read before giving up (the rest is never inflated). */
  | { readonly ok: false; readonly reason: 'too-large'; readonly limit: number; readonly consumed: number }
  | { readonly ok: false; readonly reason: 'truncated' | 'corrupt'; readonly detail: string };

class TooLarge extends Error {}

/** `observe` sees the running total after each piece of output (tests watch the peak with it). */
export function inflateLimited(data: Uint8Array, limit: number, dictionary?: Uint8Array, observe?: (total: number) => void): InflateResult {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const onData = (chunk: Uint8Array) => {
    total += chunk.length;
    observe?.(total);
    if (total > limit) throw new TooLarge();
    chunks.push(chunk);
  };
  const stream = dictionary ? new Inflate({ dictionary }, onData) : new Inflate(onData);
  let consumed = 0;
  try {
    for (; consumed < data.length; consumed += SLICE) stream.push(data.subarray(consumed, Math.min(consumed + SLICE, data.length)), false);
    stream.push(new Uint8Array(0), true);
  } catch (error) {
    if (error instanceof TooLarge) return { ok: false, reason: 'too-large', limit, consumed: Math.min(consumed + SLICE, data.length) };
    const code = (error as { code?: unknown }).code;
    const detail = error instanceof Error ? error.message : String(error);
    // fflate's code 0 is "unexpected EOF": the stream stops before its last block ends.
    return { ok: false, reason: code === 0 ? 'truncated' : 'corrupt', detail };
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const chunk of chunks) {
    out.set(chunk, o);
    o += chunk.length;
  }
  return { ok: true, bytes: out };
}
