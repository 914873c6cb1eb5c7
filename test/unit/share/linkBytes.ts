/** Builds links by hand (any payload text, any version) with the codec's own parts, for tests of what a bad link says. */
import { deflateSync } from 'fflate';
import { encodeBase64url } from '../../../src/share/base64url.ts';
import { crc32 } from '../../../src/share/crc32.ts';
import { DICTIONARY_V1_TEXT } from '../../../src/share/dictionary-v1.ts';
import { DICTIONARY_V2_TEXT } from '../../../src/share/dictionary-v2.ts';

const DICTIONARIES: Record<number, Uint8Array> = {
  1: new TextEncoder().encode(DICTIONARY_V1_TEXT),
  2: new TextEncoder().encode(DICTIONARY_V2_TEXT),
};

/** `dictionary`: false for none, else the link version whose dictionary to use (2, the one made today, unless told). */
export function linkBodyOf(payload: Uint8Array, options: { crc?: number; dictionary?: false | number } = {}): Uint8Array {
  const dictionary = options.dictionary === false ? undefined : DICTIONARIES[options.dictionary ?? 2];
  const deflated = deflateSync(payload, { level: 9, ...(dictionary ? { dictionary } : {}) });
  const body = new Uint8Array(deflated.length + 4);
  body.set(deflated);
  new DataView(body.buffer).setUint32(deflated.length, options.crc ?? crc32(payload));
  return body;
}

/** A link of `version` (2 unless told), compressed with that version's dictionary (or `dictionary`'s). */
export function linkOf(text: string, options: { crc?: number; version?: number; dictionary?: false | number } = {}): string {
  const version = options.version ?? 2;
  return `v${version}.${encodeBase64url(linkBodyOf(new TextEncoder().encode(text), { dictionary: version in DICTIONARIES ? version : 2, ...options }))}`;
}

export const SCENARIO = { format: 'iommu-visualizer-scenario', version: 1, title: 'Shared', steps: [{ kind: 'pgtable.create', name: 'd', TG0: 0, T0SZ: 16 }] };
