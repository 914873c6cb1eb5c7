/**
 * Making a share link: the half of the codec the page needs on every step
 * (the address bar is a link), without the scenario validator that reading
 * one needs (link.ts). The format is described in link.ts and docs/sharing.md.
 */
import { deflateSync } from 'fflate';
import type { Scenario } from '../scenario/index.ts';
import { LIMITS } from '../scenario/limits.ts';
import { encodeBase64url } from './base64url.ts';
import { crc32 } from './crc32.ts';
import { DICTIONARY_V2_TEXT } from './dictionary-v2.ts';
import { type LinkView, viewToJson } from './view.ts';

/**
 * The link version made: it changes with the envelope (compression,
 * dictionary, payload keys), not with the scenario format. Version 1 (an
 * older dictionary) is still read: link.ts.
 */
export const LINK_VERSION = 2;
/** The longest link text read: a scenario at the size limit compresses to well under this. */
export const MAX_LINK_CHARS = 262_144;
/** Payload bytes a link may inflate to: a scenario at its size limit plus the step and view. */
export const MAX_PAYLOAD_BYTES = LIMITS.documentSize + 4_096;
/** The highest step number a link may name (the scenario's own step count clamps it further). */
export const MAX_STEP = LIMITS.steps;

/** Version 2's preset dictionary; reading a v1 link needs v1's, which only link.ts loads (this module is fetched on every step). */
export const DICTIONARY_V2 = new TextEncoder().encode(DICTIONARY_V2_TEXT);

export interface SharedView {
  readonly scenario: Scenario;
  readonly step: number;
  readonly view: LinkView;
}

export const count = (n: number) => n.toLocaleString('en-US');

export type EncodeResult = { readonly ok: true; readonly link: string } | { readonly ok: false; readonly message: string };

/** The JSON a link carries: {"s": scenario, "n": step, "v": view}, without whitespace. */
export function sharePayloadText({ scenario, step, view }: SharedView): string {
  return JSON.stringify({ s: scenario, n: step, v: viewToJson(view) });
}

/** The fragment (without "#") for a scenario at a step in a view. */
export function encodeShareLink(shared: SharedView): EncodeResult {
  const payload = new TextEncoder().encode(sharePayloadText(shared));
  if (payload.length > MAX_PAYLOAD_BYTES) {
    return { ok: false, message: `This scenario is too large for a link: ${count(payload.length)} bytes of JSON, where a link holds at most ${count(MAX_PAYLOAD_BYTES)}.` };
  }
  const deflated = deflateSync(payload, { level: 9, dictionary: DICTIONARY_V2 });
  const body = new Uint8Array(deflated.length + 4);
  body.set(deflated);
  new DataView(body.buffer).setUint32(deflated.length, crc32(payload));
  const link = `v${LINK_VERSION}.${encodeBase64url(body)}`;
  if (link.length > MAX_LINK_CHARS) return { ok: false, message: `This scenario makes a link of ${count(link.length)} characters; links of at most ${count(MAX_LINK_CHARS)} are read.` };
  return { ok: true, link };
}
