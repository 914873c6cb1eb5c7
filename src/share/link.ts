/**
 * Share links: `#v2.<base64url>` holds a whole scenario, the step and the
 * view. The base64url carries DEFLATE (raw, with the version's preset
 * dictionary) of a compact JSON payload {"s": scenario, "n": step, "v":
 * view}, followed by the payload's CRC-32. Versions 1 and 2 differ only in
 * the dictionary, and both are read: a link once made keeps opening.
 * Reading one never throws: every way it can be wrong is a LinkError saying
 * what and where. docs/sharing.md describes it.
 */
import { type ScenarioIssue, parseScenario } from '../scenario/index.ts';
import { findJsonSyntaxError } from '../scenario/jsonSyntax.ts';
import { decodeBase64url } from './base64url.ts';
import { crc32 } from './crc32.ts';
import { DICTIONARY_V1_TEXT } from './dictionary-v1.ts';
import { DICTIONARY_V2, LINK_VERSION, MAX_LINK_CHARS, MAX_PAYLOAD_BYTES, MAX_STEP, type SharedView, count } from './encode.ts';
import { inflateLimited } from './inflate.ts';
import { viewFromJson } from './view.ts';

export { LINK_VERSION, MAX_LINK_CHARS, MAX_PAYLOAD_BYTES, encodeShareLink, type EncodeResult, type SharedView } from './encode.ts';

export type LinkErrorKind = 'empty' | 'not-a-link' | 'version' | 'too-long' | 'base64' | 'truncated' | 'corrupt' | 'too-large' | 'checksum' | 'encoding' | 'json' | 'payload' | 'scenario';

export interface LinkError {
  readonly kind: LinkErrorKind;
  /** A sentence for the user: what is wrong and where. */
  readonly message: string;
  /** For 'scenario': every problem with its path (steps[3].iova ...). */
  readonly issues?: readonly ScenarioIssue[];
}

export type DecodeResult =
  | ({ readonly ok: true; readonly warnings: readonly string[] } & SharedView)
  | { readonly ok: false; readonly error: LinkError };

function fail(kind: LinkErrorKind, message: string, issues?: readonly ScenarioIssue[]): DecodeResult {
  return { ok: false, error: issues ? { kind, message, issues } : { kind, message } };
}

/** The preset dictionary of each link version this app reads (all of them frozen). */
const DICTIONARIES: ReadonlyMap<number, Uint8Array> = new Map([
  [1, new TextEncoder().encode(DICTIONARY_V1_TEXT)],
  [2, DICTIONARY_V2],
]);
const READ_VERSIONS = [...DICTIONARIES.keys()];

/** Whether a location hash is meant as a share link (so that a damaged one is reported, not ignored). */
export { looksLikeShareLink } from './hash.ts';

/** Reads a share link: the fragment with or without its "#". */
export function decodeShareLink(hash: string): DecodeResult {
  const text = hash.replace(/^#/, '').replace(/[\s]+/g, '');
  if (text === '') return fail('empty', 'The link is empty: there is nothing after the "#".');
  if (text.length > MAX_LINK_CHARS) return fail('too-long', `The link is ${count(text.length)} characters long; links of at most ${count(MAX_LINK_CHARS)} are read.`);
  const head = /^v(\d{1,6})\./.exec(text);
  if (!head) {
    if (/^v\d/.test(text)) return fail('not-a-link', `The link has no "." after its version ("#v${LINK_VERSION}.…"): it is not a complete share link.`);
    return fail('not-a-link', `The part after "#" does not start with a link version such as "v${LINK_VERSION}.": it is not a share link (it starts ${JSON.stringify(text.slice(0, 12))}).`);
  }
  const version = Number(head[1]);
  const dictionary = DICTIONARIES.get(version);
  if (!dictionary) {
    const newer = version > LINK_VERSION ? ' It may come from a newer IOMMU Visualizer.' : '';
    const known = `${READ_VERSIONS.slice(0, -1).join(', ')} and ${READ_VERSIONS.at(-1)}`;
    return fail('version', `The link is version ${version}, but this app reads link versions ${known}.${newer}`);
  }
  const prefix = head[0].length;
  const decoded = decodeBase64url(text.slice(prefix));
  if (!decoded.ok) {
    if (decoded.reason === 'cut-off') return fail('truncated', `The link is cut off after ${count(text.length)} characters: ${decoded.message} (was only part of it copied?).`);
    return fail('base64', `The link is damaged at character ${count(prefix + decoded.at + 1)} of ${count(text.length)}: ${decoded.message}.`);
  }
  const bytes = decoded.bytes;
  if (bytes.length < 5) return fail('truncated', `The link is cut off: it carries only ${bytes.length} byte${bytes.length === 1 ? '' : 's'} of data.`);
  const inflated = inflateLimited(bytes.subarray(0, bytes.length - 4), MAX_PAYLOAD_BYTES, dictionary);
  if (!inflated.ok) {
    if (inflated.reason === 'too-large') return fail('too-large', `The link was refused while decompressing: it expands past ${count(inflated.limit)} bytes, the most a link may hold.`);
    if (inflated.reason === 'truncated') return fail('truncated', 'The link is cut off: its compressed data stops before the end (was only part of it copied?).');
    return fail('corrupt', `The link is damaged: its compressed data is corrupt (${inflated.detail}).`);
  }
  const expected = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0);
  if (crc32(inflated.bytes) !== expected) return fail('checksum', 'The link is damaged: what it holds does not match its checksum (was it edited, or cut off?).');
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes);
  } catch {
    return fail('encoding', 'The link is damaged: what it holds is not UTF-8 text.');
  }
  return readPayload(json);
}

function readPayload(json: string): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    const at = findJsonSyntaxError(json);
    const where = at ? `at line ${at.line}, column ${at.column}: ${at.message}` : error instanceof Error ? error.message : String(error);
    return fail('json', `The link holds invalid JSON ${where}.`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('payload', 'The link holds no scenario: its content is not a JSON object.');
  const payload = value as Record<string, unknown>;
  if (payload.s === undefined) return fail('payload', 'The link holds no scenario (its "s" is missing).');
  const step = payload.n ?? 0;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step > MAX_STEP) {
    return fail('payload', `The link's step ("n") must be a whole number from 0 to ${count(MAX_STEP)}.`);
  }
  const parsed = parseScenario(payload.s);
  if (!parsed.ok) {
    const first = parsed.errors.slice(0, 3).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
    const more = parsed.errors.length > 3 ? `; and ${parsed.errors.length - 3} more` : '';
    return fail('scenario', `The link's scenario is not valid: ${first.join('; ')}${more}.`, parsed.errors);
  }
  const { view, warnings } = viewFromJson(payload.v);
  return { ok: true, scenario: parsed.scenario, step, view, warnings };
}
