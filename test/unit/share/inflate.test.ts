/** The bounded inflater: it stops a bomb part-way, and tells a cut-off stream from a corrupt one. */
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodeBase64url } from '../../../src/share/base64url.ts';
import { inflateLimited } from '../../../src/share/inflate.ts';
import { decodeShareLink } from '../../../src/share/index.ts';
import { SCENARIO, linkBodyOf } from './linkBytes.ts';

describe('inflateLimited', () => {
  it('stops a bomb part-way through its compressed bytes, having inflated little past the limit', () => {
    const bomb = deflateSync(new Uint8Array(8_000_000), { level: 9 });
    let peak = 0;
    const result = inflateLimited(bomb, 100_000, undefined, (total) => (peak = Math.max(peak, total)));
    expect(result).toMatchObject({ ok: false, reason: 'too-large', limit: 100_000 });
    if (result.ok || result.reason !== 'too-large') return;
    // Most of the stream is never read, so most of the 8 MB is never produced.
    expect(result.consumed).toBeLessThan(bomb.length / 4);
    expect(peak).toBeLessThan(100_000 + 300_000);
  });

  it('inflates what fits, exactly', () => {
    const text = new TextEncoder().encode('stage-1 '.repeat(5000));
    const result = inflateLimited(deflateSync(text), text.length);
    expect(result.ok && new TextDecoder().decode(result.bytes)).toBe('stage-1 '.repeat(5000));
  });

  it('calls a stream that ends early truncated, and garbage corrupt', () => {
    const data = deflateSync(new TextEncoder().encode('x'.repeat(1000) + Math.PI.toString().repeat(100)));
    expect(inflateLimited(data.subarray(0, data.length >> 1), 1e6)).toMatchObject({ ok: false, reason: 'truncated' });
    expect(inflateLimited(new Uint8Array([0xff, 0xff, 0xff, 0xff]), 1e6)).toMatchObject({ ok: false, reason: 'corrupt' });
  });

  it('may end a stream cut inside its last block quietly (fflate streaming), which is why links carry a CRC-32', () => {
    const payload = new TextEncoder().encode(JSON.stringify({ s: SCENARIO, n: 0 }) + ' '.repeat(3000) + Math.PI.toString().repeat(100));
    const body = linkBodyOf(payload);
    // Drop deflate bytes from just before the CRC, keeping the CRC: every cut is refused, one way or another.
    for (let cut = 1; cut <= 12; cut++) {
      const shorter = new Uint8Array(body.length - cut);
      shorter.set(body.subarray(0, body.length - 4 - cut));
      shorter.set(body.subarray(body.length - 4), shorter.length - 4);
      const result = decodeShareLink(`v2.${encodeBase64url(shorter)}`);
      expect(result.ok ? 'opened' : result.error.kind).toMatch(/^(truncated|checksum|corrupt)$/);
    }
  });
});
