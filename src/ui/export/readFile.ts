/**
 * Opening a file the user picked: a scenario (.json), or a diagram this app
 * exported (.svg or .png with the scenario inside). The kind is told from
 * the bytes, not the name. Pure: bytes in, the scenario and where to stand
 * in it out, or one sentence naming the file and what is wrong with it.
 */
import { parseScenarioText } from '../../scenario/index.ts';
import { decodePayload, EXPORT_FORMAT, type ExportPayload, issuesText, PNG_KEYWORD } from './payload.ts';
import { isPng } from './pngChunks.ts';
import { readPngText } from './pngText.ts';
import { readSvgMetadata } from './svgMetadata.ts';

export type OpenedFile = { readonly ok: true; readonly payload: ExportPayload; readonly kind: 'json' | 'svg' | 'png' } | { readonly ok: false; readonly message: string };

import { MAX_FILE_BYTES } from './fileLimit.ts';

export { MAX_FILE_BYTES };

export function readOpenedFile(name: string, bytes: Uint8Array): OpenedFile {
  const file = `“${name}”`;
  if (bytes.length === 0) return fail(`${file} is empty.`);
  if (bytes.length > MAX_FILE_BYTES) return fail(`${file} is ${(bytes.length / 1048576).toFixed(1)} MB; a scenario or exported diagram is at most ${MAX_FILE_BYTES / 1048576} MB.`);
  if (isPng(bytes)) {
    const read = readPngText(bytes, PNG_KEYWORD);
    if (!read.ok) {
      return fail(read.missing
        ? `${file} is a PNG image, but not one exported by the IOMMU Visualizer: ${read.problem}.`
        : `${file} is a damaged PNG: ${read.problem}.`);
    }
    return fromEmbedded(file, 'PNG', 'png', read.text);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return fail(`${file} is neither a scenario (.json) nor a diagram exported by this app (.svg, .png): it is a binary file that is not a PNG.`);
  }
  const start = text.trimStart();
  if (start.startsWith('<')) {
    const read = readSvgMetadata(text);
    if (!read.ok) return fail(read.missing ? `${file} is an SVG image, but not one exported by the IOMMU Visualizer: ${read.problem}.` : `${file} is not a readable SVG: ${read.problem}.`);
    return fromEmbedded(file, 'SVG', 'svg', read.text);
  }
  if (start.startsWith('{')) return fromJson(file, text);
  return fail(`${file} is neither a scenario (.json) nor a diagram exported by this app (.svg, .png).`);
}

function fromEmbedded(file: string, what: string, kind: 'svg' | 'png', text: string): OpenedFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(`${file} is a damaged ${what} export: the scenario inside is not valid JSON.`);
  }
  const decoded = decodePayload(value);
  return decoded.ok ? { ok: true, kind, payload: decoded.payload } : fail(`${file} cannot be opened: ${decoded.problem}.`);
}

function fromJson(file: string, text: string): OpenedFile {
  // An export's payload saved as .json opens like the image it came from.
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && (value as { format?: unknown }).format === EXPORT_FORMAT) {
      const decoded = decodePayload(value);
      return decoded.ok ? { ok: true, kind: 'json', payload: decoded.payload } : fail(`${file} cannot be opened: ${decoded.problem}.`);
    }
  } catch {
    // parseScenarioText reports the syntax error with its line and column.
  }
  const parsed = parseScenarioText(text);
  if (!parsed.ok) return fail(`${file} is not a valid scenario: ${issuesText(parsed.errors)}.`);
  return { ok: true, kind: 'json', payload: { scenario: parsed.scenario, step: undefined, view: {} } };
}

const fail = (message: string): OpenedFile => ({ ok: false, message });
