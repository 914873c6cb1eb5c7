/**
 * Between what an input shows and what the draft holds. The draft keeps
 * whatever was typed: text that is not a valid value stays text (the parser
 * then names the problem), so nothing typed is ever lost or rewritten; text
 * that is a value becomes that value (a whole number becomes a JSON number,
 * as the format wants).
 */
import type { Control } from './schemaFields.ts';

/** The text an input shows for a value of the draft. */
export function textOf(value: unknown, control?: Control): string {
  if (value === undefined) return '';
  if (control?.kind === 'strings' && Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('\n');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
}

const WHOLE = /^-?\d+$/;

function wholeOrText(text: string): number | string {
  if (!WHOLE.test(text)) return text;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/**
 * The draft value for `text` typed in an input of `control`. Empty text
 * removes an optional field, and leaves a required one empty (so the parser
 * says it is required, next to it).
 */
export function valueOfText(control: Control, text: string, optional: boolean): unknown {
  if (text === '') {
    if (optional) return undefined;
    return control.kind === 'strings' ? [] : '';
  }
  switch (control.kind) {
    case 'int':
      return wholeOrText(text);
    case 'scalar':
      if (text === 'null') return null;
      return /^\d+$/.test(text) ? wholeOrText(text) : text;
    case 'strings':
      return text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    default:
      return text;
  }
}

/** A value of an STE, CD or command field: a whole number, or a hex string as typed; empty removes it (the field is then 0). */
export function fieldValueOfText(text: string): number | string | undefined {
  if (text.trim() === '') return undefined;
  return /^\d+$/.test(text) ? wholeOrText(text) : text;
}

/** A select's option value for a choice (JSON, so 1 and "1" stay apart) and back. */
export const optionValue = (choice: unknown): string => JSON.stringify(choice) ?? '';

export function choiceOf(option: string): unknown {
  if (option === '') return undefined;
  try {
    return JSON.parse(option) as unknown;
  } catch {
    return option;
  }
}

/** A DOM id for an input at a path: every character outside [A-Za-z0-9] spelt out, so two paths never share one. */
export function domId(path: string): string {
  return `ed-${path.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`)}`;
}
