/**
 * `?scenario=<built-in id>&step=<n>`: a link opens that scenario at that
 * step. Reading never throws; what cannot be used becomes a message.
 */
import type { EntryKind } from '../engine/hw/smmu/decoder.ts';
import type { StartAt } from './controller.ts';

export interface UrlRequest {
  readonly scenarioId: string | undefined;
  readonly startAt: StartAt;
  /** `?decode=ste` or `?decode=cd`: open the decoder for that structure. */
  readonly decode?: EntryKind;
  /** `&words=0x..,0x..`: the words the decoder starts from. */
  readonly words?: string;
  /** `?import` or `?import=<sample>`: open the import page (the page reads the sample name itself). */
  readonly importDump?: boolean;
  /** Human-readable problems with the parameters, shown as notices. */
  readonly problems: readonly string[];
}

export function readUrl(search: string): UrlRequest {
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  const scenarioParam = params.get('scenario');
  const scenarioId = scenarioParam === null || scenarioParam.trim() === '' ? undefined : scenarioParam.trim();
  let startAt: StartAt = 'first-walk';
  const stepParam = params.get('step');
  if (stepParam !== null) {
    if (/^\d{1,6}$/.test(stepParam.trim())) startAt = Number(stepParam.trim());
    else problems.push(`The step "${stepParam}" in the link is not a step number (0, 1, 2 ...); the first walk step is shown.`);
  }
  const decodeParam = params.get('decode');
  let decode: EntryKind | undefined;
  if (decodeParam !== null) {
    const k = decodeParam.trim().toUpperCase();
    if (k === 'STE' || k === 'CD' || k === '') decode = k === 'CD' ? 'CD' : 'STE';
    else {
      decode = 'STE';
      problems.push(`The decoder decodes an STE or a CD; "decode=${decodeParam}" in the link is neither, so it opens for an STE.`);
    }
  }
  const words = params.get('words') ?? undefined;
  const importDump = params.has('import');
  return { scenarioId, startAt, problems, ...(decode ? { decode } : {}), ...(decode && words ? { words: words.replace(/,/g, ' ') } : {}), ...(importDump ? { importDump } : {}) };
}

/** The query string while the decoder is open: its structure and words, so the link reopens what is on screen. */
export function writeDecoderUrl(search: string, kind: EntryKind, words: readonly bigint[] | undefined): string {
  const params = new URLSearchParams(search);
  params.set('decode', kind.toLowerCase());
  if (words) params.set('words', words.map((w) => `0x${w.toString(16)}`).join(' '));
  else params.delete('words');
  return `?${params.toString()}`;
}

/** The query string after leaving the decoder. */
export function withoutDecoder(search: string): string {
  const params = new URLSearchParams(search);
  params.delete('decode');
  params.delete('words');
  const rest = params.toString();
  return rest === '' ? '' : `?${rest}`;
}

/** The query string for a scenario and step, keeping any other parameters the page had. */
export function writeUrl(search: string, scenarioId: string, step: number): string {
  const params = new URLSearchParams(search);
  params.set('scenario', scenarioId);
  params.set('step', String(step));
  return `?${params.toString()}`;
}

/**
 * The whole address after a step or a view change: the share link in the
 * hash (docs/sharing.md) and, for a built-in, `?scenario=&step=` as before;
 * a scenario that is not built in drops those two, which would name another.
 */
export function writeShareUrl(search: string, builtinId: string | undefined, step: number, link: string): string {
  const params = new URLSearchParams(search);
  if (builtinId === undefined) {
    params.delete('scenario');
    params.delete('step');
  } else {
    params.set('scenario', builtinId);
    params.set('step', String(step));
  }
  const query = params.toString();
  return `${query === '' ? '' : `?${query}`}#${link}`;
}
