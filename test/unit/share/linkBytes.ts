/** Builds links by hand (any payload text, any version) with the codec's own parts, for tests of what a bad link says. */
import { deflateSync } from 'fflate';
import { encodeBase64url } from '../../../src/share/base64url.ts';
import { crc32 } from '../../../src/share/crc32.ts';
import { DICTIONARY_V1_TEXT } from '../../../src/share/dictionary-v1.ts';

const DICTIONARY = new TextEncoder().encode(DICTIONARY_V1_TEXT);

export function linkBodyOf(payload: Uint8Array, options: { crc?: number; dictionary?: boolean } = {}): Uint8Array {
  const deflated = deflateSync(payload, { level: 9, ...(options.dictionary === false ? {} : { dictionary: DICTIONARY }) });
  const body = new Uint8Array(deflated.length + 4);
  body.set(deflated);
  new DataView(body.buffer).setUint32(deflated.length, options.crc ?? crc32(payload));
  return body;
}

export function linkOf(text: string, options: { crc?: number; version?: number } = {}): string {
  return `v${options.version ?? 1}.${encodeBase64url(linkBodyOf(new TextEncoder().encode(text), options))}`;
}

export const SCENARIO = { format: 'iommu-visualizer-scenario', version: 1, title: 'Shared', steps: [{ kind: 'pgtable.create', name: 'd', TG0: 0, T0SZ: 16 }] };
