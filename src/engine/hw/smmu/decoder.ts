/**
 * The STE/CD decoder behind the "paste eight words" tool: every field named
 * with its bits and value, whether the SMMU uses it in this configuration
 * (Linux's used bits), set bits no field covers, and the verdict the SMMU
 * would reach (or the C_BAD_STE / C_BAD_CD it would raise, and why).
 */
import { EngineError } from '../../util/assert.ts';
import { decodeCd } from './cd.ts';
import { CD_FIELDS } from './cd-fields.ts';
import { FEATURE_PRESETS, type SmmuFeatures } from './features.ts';
import { fieldMask, getField, setField, unnamedBits, type FieldSpec } from './fields.ts';
import { decodeSte } from './ste.ts';
import { STE_FIELDS } from './ste-fields.ts';
import { cdUsedBits, steUsedBits } from './update/index.ts';

export type EntryKind = 'STE' | 'CD';

export interface DecodedField {
  readonly spec: FieldSpec;
  readonly value: bigint;
  /** The spec's name for this value, where it names one. */
  readonly meaning?: string;
  /** Whether the SMMU uses this field for the entry as it stands. */
  readonly used: boolean;
}

export type Verdict =
  | { readonly ok: true; readonly summary: string }
  | { readonly ok: false; readonly event: 'C_BAD_STE' | 'C_BAD_CD'; readonly reason: string; readonly field?: string };

export interface DecodedEntry {
  readonly kind: EntryKind;
  readonly words: readonly bigint[];
  readonly fields: readonly DecodedField[];
  readonly verdict: Verdict;
  /** Per qword: set bits that no field covers (reserved or not modelled). */
  readonly unnamed: readonly bigint[];
}

export const ENTRY_FIELDS: Record<EntryKind, readonly FieldSpec[]> = { STE: STE_FIELDS, CD: CD_FIELDS };

function steSummary(words: readonly bigint[], f: SmmuFeatures): Verdict {
  const d = decodeSte(words, f);
  switch (d.kind) {
    case 'bad': return { ok: false, event: 'C_BAD_STE', reason: d.reason, ...(d.field ? { field: d.field } : {}) };
    case 'abort': return { ok: true, summary: 'valid: abort — every transaction is terminated, no event recorded' };
    case 'bypass': return { ok: true, summary: 'valid: bypass — addresses pass untranslated' };
    case 'translate': {
      const parts = [d.s1 ? `stage 1 (CD table at ${d.s2 ? 'IPA' : 'PA'} 0x${d.s1.cdTable.toString(16)}, ${d.s1.s1CdMax === 0 ? 'one CD' : `${2 ** d.s1.s1CdMax} CDs`})` : 'stage 1 bypassed'];
      parts.push(d.s2 ? `stage 2 (VMID ${d.vmid}, ${d.s2.tables.geometry.inputSize}-bit IPA, start level ${d.s2.tables.geometry.startLevel})` : 'stage 2 bypassed');
      return { ok: true, summary: `valid: ${parts.join(', ')}` };
    }
  }
}

function cdSummary(words: readonly bigint[], f: SmmuFeatures): Verdict {
  const d = decodeCd(words, f);
  if (d.kind === 'bad') return { ok: false, event: 'C_BAD_CD', reason: d.reason, ...(d.field ? { field: d.field } : {}) };
  const t = d.cd.regime.ttbr0;
  return { ok: true, summary: `valid: ASID ${d.cd.asid}, ${t.enabled ? `${t.geometry.granule / 1024}KB granule, ${t.geometry.inputSize}-bit input, walk starts at level ${t.geometry.startLevel}` : 'TTB0 walks disabled (EPD0 = 1)'}` };
}

export function decodeEntry(kind: EntryKind, words: readonly bigint[], features: SmmuFeatures = FEATURE_PRESETS.full): DecodedEntry {
  if (words.length !== 8) throw new EngineError(`an ${kind} is eight 64-bit words; got ${words.length}`, 'words');
  const specs = ENTRY_FIELDS[kind];
  const used = kind === 'STE' ? steUsedBits(words) : cdUsedBits(words);
  const fields = specs.map((spec): DecodedField => {
    const value = getField(words, spec);
    const meaning = spec.values?.[Number(value)];
    return { spec, value, used: ((used[spec.qword] ?? 0n) & fieldMask(spec)) !== 0n, ...(meaning ? { meaning } : {}) };
  });
  return { kind, words, fields, verdict: kind === 'STE' ? steSummary(words, features) : cdSummary(words, features), unnamed: unnamedBits(words, specs) };
}

/** The words with one field changed, for the decoder's editing (a value that does not fit is refused, naming the field). */
export function editEntryField(kind: EntryKind, words: readonly bigint[], name: string, value: bigint): bigint[] {
  const spec = ENTRY_FIELDS[kind].find((s) => s.name === name);
  if (!spec) throw new EngineError(`an ${kind} has no field named ${name}`, name);
  return setField(words, spec, value);
}

export type ParsedWords = { ok: true; words: bigint[] } | { ok: false; message: string; position?: number };

/**
 * Reads an entry pasted as text: eight 64-bit hex words, or sixteen 32-bit
 * words (low word first, as QEMU traces print them). Separators may be
 * spaces, commas, newlines; "0x" prefixes and "_" are optional; a label
 * before a colon on a line ("STE 0x12:", "[0]:") is ignored.
 */
export function parseEntryWords(text: string): ParsedWords {
  const tokens: { text: string; at: number }[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const colon = line.lastIndexOf(':');
    const body = colon >= 0 ? line.slice(colon + 1) : line;
    const base = offset + (colon >= 0 ? colon + 1 : 0);
    for (const m of body.matchAll(/[^\s,;[\]{}]+/g)) tokens.push({ text: m[0], at: base + (m.index ?? 0) });
    offset += line.length + 1;
  }
  if (tokens.length !== 8 && tokens.length !== 16) {
    return { ok: false, message: `expected 8 64-bit words (or 16 32-bit words); found ${tokens.length} word${tokens.length === 1 ? '' : 's'}` };
  }
  const width = tokens.length === 8 ? 16 : 8;
  const values: bigint[] = [];
  for (const [i, t] of tokens.entries()) {
    const clean = t.text.replace(/_/g, '').replace(/^0x/i, '');
    if (!/^[0-9a-f]+$/i.test(clean)) return { ok: false, message: `word ${i + 1} "${t.text}" is not a hex number`, position: t.at };
    if (clean.length > width) return { ok: false, message: `word ${i + 1} "${t.text}" has more than ${width} hex digits`, position: t.at };
    values.push(BigInt(`0x${clean}`));
  }
  if (width === 16) return { ok: true, words: values };
  const words: bigint[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((values[i + 1] as bigint) << 32n) | (values[i] as bigint));
  return { ok: true, words };
}
