/**
 * Every field of an STE or CD, qword by qword: name, bit range (in the
 * qword, and in the whole entry as the spec numbers it), value, meaning.
 * Fields the SMMU does not use in this configuration are greyed; set bits no
 * field covers are flagged; the field a C_BAD_* verdict blames is outlined.
 * With `onEdit`, each value is an input: a value that does not fit shows the
 * engine's message beside the field and stays in the input.
 */
import { useState, type KeyboardEvent } from 'react';
import type { DecodedEntry, DecodedField } from '../../engine/hw/smmu/decoder.ts';
import { bitRange, hex64 } from '../format.ts';
import { fieldValueText } from '../dma/entryChips.ts';

interface Props {
  readonly decoded: DecodedEntry;
  /** Returns an error message, or undefined when the edit was applied. */
  readonly onEdit?: (name: string, value: bigint) => string | undefined;
  /** Hide fields the SMMU does not use (the inspector's compact mode). */
  readonly usedOnly?: boolean;
  /** Two columns (field with bits and meaning, value), for the narrow inspector. */
  readonly compact?: boolean;
}

/** The text an input starts from: the value as the rest of the page writes it (parseValue reads it back). */
export function editText(f: DecodedField): string {
  return fieldValueText(f);
}

/** Reads what the user typed: 0x.. hex, 0b.. binary, 0o.. octal or decimal; underscores allowed. */
export function parseValue(text: string): bigint | string {
  const clean = text.trim().replace(/_/g, '');
  if (!/^-?(0x[0-9a-f]+|0b[01]+|0o[0-7]+|\d+)$/i.test(clean)) return `"${text}" is not a number: write it as 0x1f, 0b11111 or 31`;
  return clean.startsWith('-') ? -BigInt(clean.slice(1)) : BigInt(clean);
}

export function EntryFields({ decoded, onEdit, usedOnly = false, compact = false }: Props) {
  const [drafts, setDrafts] = useState<ReadonlyMap<string, { text: string; error?: string }>>(new Map());
  const culprit = decoded.verdict.ok ? undefined : decoded.verdict.field;
  const qwords = [...new Set(decoded.fields.map((f) => f.spec.qword))].sort((a, b) => a - b);
  const allQwords = [...new Set([...qwords, ...decoded.unnamed.flatMap((u, q) => (u !== 0n ? [q] : []))])].sort((a, b) => a - b);

  const setDraft = (name: string, draft: { text: string; error?: string } | undefined) =>
    setDrafts((m) => {
      const next = new Map(m);
      if (draft) next.set(name, draft);
      else next.delete(name);
      return next;
    });
  const commit = (f: DecodedField, text: string) => {
    if (!onEdit) return;
    if (text === editText(f)) return setDraft(f.spec.name, undefined);
    const value = parseValue(text);
    const error = typeof value === 'string' ? value : onEdit(f.spec.name, value);
    setDraft(f.spec.name, error === undefined ? undefined : { text, error });
  };
  const onKeyDown = (f: DecodedField) => (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') commit(f, event.currentTarget.value);
    if (event.key === 'Escape') setDraft(f.spec.name, undefined);
  };

  return (
    <table className={compact ? 'entry-fields is-compact' : 'entry-fields'} data-testid="entry-fields">
      <caption className="visually-hidden">Fields of the {decoded.kind}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          {!compact && <th scope="col">Bits</th>}
          <th scope="col">Value</th>
          {!compact && <th scope="col">Meaning</th>}
        </tr>
      </thead>
      {allQwords.map((q) => {
        const fields = decoded.fields.filter((f) => f.spec.qword === q && (!usedOnly || f.used || f.spec.name === culprit));
        const unnamed = decoded.unnamed[q] ?? 0n;
        if (fields.length === 0 && unnamed === 0n) return null;
        return (
          <tbody key={q}>
            <tr className="qword-head">
              <th scope="rowgroup" colSpan={compact ? 2 : 4}>
                Qword {q} <span className="mono">{hex64(decoded.words[q] ?? 0n)}</span> <span className="muted">{decoded.kind}[{q * 64 + 63}:{q * 64}]</span>
              </th>
            </tr>
            {fields.map((f) => {
              const name = f.spec.name;
              const draft = drafts.get(name);
              const errorId = `field-error-${decoded.kind}-${name}`;
              return (
                <tr key={name} data-field={name} className={`${f.used ? 'is-used' : 'is-unused'}${name === culprit ? ' is-culprit' : ''}`}>
                  <th scope="row">
                    <span className="field-name">{name}</span>
                    {compact && <span className="mono muted compact-bits"> {bitRange(f.spec.msb, f.spec.lsb)}</span>}
                    {!f.used && <span className="field-tag">not used</span>}
                    {name === culprit && <span className="field-tag tag-bad">the reason</span>}
                    {compact && <Meaning f={f} />}
                  </th>
                  {!compact && <td className="mono bits-cell">{bitRange(f.spec.msb, f.spec.lsb)}<span className="muted abs-bits"> {decoded.kind}{bitRange(q * 64 + f.spec.msb, q * 64 + f.spec.lsb)}</span></td>}
                  <td className="value-cell">
                    {onEdit ? (
                      <>
                        <input className={`field-input mono${draft?.error ? ' is-invalid' : ''}`} aria-label={`${name} value`} value={draft?.text ?? editText(f)}
                          aria-invalid={draft?.error ? true : undefined} aria-describedby={draft?.error ? errorId : undefined} spellCheck={false}
                          onChange={(e) => setDraft(name, { text: e.target.value, ...(draft?.error ? { error: draft.error } : {}) })}
                          onBlur={(e) => commit(f, e.target.value)} onKeyDown={onKeyDown(f)} />
                        {draft?.error && <p className="field-error" id={errorId} role="alert">{draft.error}</p>}
                      </>
                    ) : (
                      <span className="mono">{fieldValueText(f)}</span>
                    )}
                  </td>
                  {!compact && <td className="meaning-cell"><Meaning f={f} /></td>}
                </tr>
              );
            })}
            {unnamed !== 0n && (
              <tr className="is-unnamed" data-unnamed={q}>
                <th scope="row"><span className="field-tag tag-bad">no field</span></th>
                <td className="mono" colSpan={compact ? 1 : 2}>{hex64(unnamed)}</td>
                {!compact && <td>Bits set in qword {q} that no modelled field covers: reserved (RES0), or a field this model does not decode.</td>}
              </tr>
            )}
          </tbody>
        );
      })}
    </table>
  );
}

function Meaning({ f }: { f: DecodedField }) {
  return (
    <span className="field-meaning-block">
      {f.meaning && <strong className="field-meaning-value">{f.meaning}. </strong>}
      <span className="field-doc">{f.spec.doc}</span>
    </span>
  );
}
