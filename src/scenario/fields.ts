/**
 * Field schemas shared by every step kind: 64-bit hex values, small numeric
 * fields with their ranges, names and narration. Messages are written for the
 * person editing the file, and say what a good value looks like.
 */
import { z } from './zod.ts';

/** A scenario may not hold more steps than this (the UI keeps every step's events). */
export const MAX_STEPS = 10_000;
export const MAX_NAME_LENGTH = 64;
export const MAX_NOTE_LENGTH = 2_000;
export const MAX_TITLE_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 10_000;

export const HEX_MESSAGE = 'must be a hex string like "0x1000"';

/**
 * Exactly what parseU64 (src/engine/util/u64.ts) accepts: surrounding white
 * space is trimmed, underscores may appear anywhere (the Arm documents group
 * digits as 0x0000_0080_0000_1000), then "0x" and 1 to 16 hex digits. Written
 * as one regular expression so that the JSON Schema carries it as "pattern".
 */
export const HEX_PATTERN = /^\s*_*0_*x_*(?:[0-9a-fA-F]_*){1,16}\s*$/;

/** Quotes a value the user wrote, briefly, for "(got ...)" in messages. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return `${value}n`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A 64-bit value written as a hex string. */
export function hexField(description: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? undefined : `${HEX_MESSAGE} (got ${shown(issue.input)})`) })
    .regex(HEX_PATTERN, { error: (issue) => `${HEX_MESSAGE}, with at most 16 hex digits (got ${shown(issue.input)})` })
    .meta({ description });
}

/** A whole number in [min, max]; `meaning` explains the range, e.g. "the input size 64 - T0SZ is 25 to 48 bits". */
export function intField(min: number, max: number, description: string, meaning?: string) {
  const rangeMessage = (issue: { input?: unknown }) =>
    `must be a whole number from ${min} to ${max}${meaning ? ` (${meaning})` : ''}, got ${shown(issue.input)}`;
  return z
    .number({ error: (issue) => (issue.input === undefined ? undefined : rangeMessage(issue)) })
    .int({ error: rangeMessage })
    .min(min, { error: rangeMessage })
    .max(max, { error: rangeMessage })
    .meta({ description });
}

export function boolField(description: string) {
  return z
    .boolean({ error: (issue) => (issue.input === undefined ? undefined : `must be true or false (got ${shown(issue.input)})`) })
    .meta({ description });
}

/** Names of page tables (and later of devices, domains ...): short identifiers that read well in a label. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

export function nameField(description: string) {
  const message = (issue: { input?: unknown }) =>
    `must be a name of 1 to ${MAX_NAME_LENGTH} letters, digits, "_", ".", ":" or "-", starting with a letter or digit (got ${shown(issue.input)})`;
  return z
    .string({ error: (issue) => (issue.input === undefined ? undefined : message(issue)) })
    .max(MAX_NAME_LENGTH, { error: message })
    .regex(NAME_PATTERN, { error: message })
    .meta({ description });
}

export const noteField = z
  .string({ error: (issue) => (issue.input === undefined ? undefined : `must be a string of narration text (got ${shown(issue.input)})`) })
  .max(MAX_NOTE_LENGTH, { error: (issue) => `must be at most ${MAX_NOTE_LENGTH} characters (got ${String((issue.input as string).length)})` })
  .meta({ description: 'Narration shown by the UI while this step plays. Plain text.' });
