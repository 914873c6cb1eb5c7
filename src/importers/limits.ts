/**
 * The guard every importer passes its text through first: a size limit, a
 * line limit, and a line splitter that accepts LF, CRLF and CR, drops
 * trailing spaces, and reports lines that carry binary junk. Limits are
 * generous for a real machine (a large server's dumps are a few hundred KB)
 * and keep a mistaken paste of a disk image from freezing the page.
 */
import type { ImportProblem } from './types.ts';

/** Characters, not bytes: the paste is a JavaScript string. Also the limit for a loaded file. */
export const MAX_INPUT_CHARS = 2 * 1024 * 1024;
export const MAX_LINES = 60_000;
/** The longest real line (a scalable-mode dmar row) is under 200 characters. */
export const MAX_LINE_CHARS = 1024;
/** Problems kept in full; past this only the count grows. */
export const MAX_PROBLEMS_KEPT = 500;
/** Characters of a bad line kept in its problem. */
const SHOWN_CHARS = 160;

export interface InputLine {
  /** 1-based. */
  readonly number: number;
  /** Without the line ending and trailing white space. */
  readonly text: string;
}

export type SplitResult =
  | { readonly ok: true; readonly lines: readonly InputLine[] }
  | { readonly ok: false; readonly message: string };

/** Refuses text that is too large; otherwise splits it into numbered lines. */
export function splitInput(text: string): SplitResult {
  if (text.length > MAX_INPUT_CHARS) {
    return { ok: false, message: `The text is ${megabytes(text.length)} long; the importer reads at most ${megabytes(MAX_INPUT_CHARS)}. Paste one file at a time, or only the part you want to see.` };
  }
  // Count before splitting so a huge line count is refused without building the array.
  let breaks = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) breaks++;
  }
  if (breaks + 1 > MAX_LINES) {
    return { ok: false, message: `The text has ${breaks + 1} lines; the importer reads at most ${MAX_LINES}. Paste one file at a time, or only the part you want to see.` };
  }
  const lines = text.split(/\r\n|\r|\n/).map((raw, i) => ({ number: i + 1, text: raw.replace(/[ \t\f\v]+$/, '') }));
  return { ok: true, lines };
}

function megabytes(chars: number): string {
  return `${(chars / (1024 * 1024)).toFixed(chars < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** Control characters other than tab: a sign of binary data, never printed by the kernel or lspci. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const CONTROL_ALL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Why the line cannot be read at all, before any format is tried; undefined when it is plain text. */
export function unreadable(line: InputLine): string | undefined {
  if (line.text.length > MAX_LINE_CHARS) return `the line is ${line.text.length} characters long; no accepted format has lines longer than ${MAX_LINE_CHARS}`;
  if (CONTROL.test(line.text) || line.text.includes('\uFFFD')) return 'the line holds control characters or undecodable bytes: binary data, not text from the kernel or lspci';
  return undefined;
}

/** The line as a problem shows it: control characters visible as \xNN, long lines cut. */
export function shownText(text: string): string {
  const visible = text.replace(CONTROL_ALL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return visible.length > SHOWN_CHARS ? `${visible.slice(0, SHOWN_CHARS)}… (${text.length} characters)` : visible;
}

/** Collects problems, keeping the first MAX_PROBLEMS_KEPT and counting all. */
export class ProblemList {
  readonly kept: ImportProblem[] = [];
  count = 0;
  /** Lines with at least one problem; lines arrive in order, so the last one is enough to count them once. */
  lines = 0;
  private lastLine = 0;
  add(line: InputLine, reason: string): void {
    this.count++;
    if (line.number !== this.lastLine) this.lines++;
    this.lastLine = line.number;
    if (this.kept.length < MAX_PROBLEMS_KEPT) this.kept.push({ line: line.number, text: shownText(line.text), reason });
  }
}
