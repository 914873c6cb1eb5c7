/**
 * The STE/CD decoder on its own: paste the words a kernel log or a QEMU
 * trace printed, see every field, the verdict the SMMU would reach, and edit
 * fields in place. The engine's decoder functions are pure and cheap (no
 * engine state), so they run here on the page's thread, as the user types.
 */
import { useId, useMemo } from 'react';
import { decodeEntry, editEntryField, parseEntryWords, type EntryKind } from '../../engine/hw/smmu/decoder.ts';
import { FEATURE_PRESETS, type FeaturePreset } from '../../engine/hw/smmu/features.ts';
import { setDecoderKind, setDecoderPreset, setDecoderText, useDecoderStore, wordsText } from '../../store/decoderStore.ts';
import { hex64 } from '../format.ts';
import { EntryFields } from './EntryFields.tsx';
import { Verdict } from './Verdict.tsx';
import './decoder.css';

const PRESETS: readonly { id: FeaturePreset; label: string }[] = [
  { id: 'full', label: 'full: stage 1 + 2, 2-level tables, 20-bit SubstreamIDs' },
  { id: 'qemu', label: 'as QEMU emulates it: stage 1 only, linear CD tables' },
];

/** "line 2, column 7" for a character offset into the text. */
export function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `line ${before.length}, column ${(before[before.length - 1]?.length ?? 0) + 1}`;
}

export function DecoderPage() {
  const kind = useDecoderStore((s) => s.kind);
  const text = useDecoderStore((s) => s.text);
  const preset = useDecoderStore((s) => s.preset);
  const ids = { text: useId(), error: useId(), preset: useId(), help: useId() };
  const parsed = useMemo(() => parseEntryWords(text), [text]);
  const decoded = useMemo(() => (parsed.ok ? decodeEntry(kind, parsed.words, FEATURE_PRESETS[preset]) : undefined), [parsed, kind, preset]);

  const onEdit = (name: string, value: bigint): string | undefined => {
    if (!parsed.ok) return 'the words above do not parse';
    try {
      setDecoderText(wordsText(editEntryField(kind, parsed.words, name, value)));
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };

  return (
    <section className="panel decoder" aria-labelledby="decoder-heading">
      <h2 id="decoder-heading" className="decoder-title">STE / CD decoder</h2>
      <p className="panel-hint" id={ids.help}>
        Paste eight 64-bit words, or sixteen 32-bit words (low word first, as QEMU traces print them). Spaces, commas or newlines between
        words; <code>0x</code> and <code>_</code> optional; a label before a colon is ignored. Edit any field below and the words follow.
      </p>
      <div className="decoder-controls">
        <fieldset className="segmented">
          <legend>Structure</legend>
          {(['STE', 'CD'] as const satisfies readonly EntryKind[]).map((k) => (
            <label key={k} className={k === kind ? 'is-checked' : undefined}>
              <input type="radio" name="decoder-kind" value={k} checked={k === kind} onChange={() => setDecoderKind(k)} />
              {k === 'STE' ? 'STE (Stream Table Entry)' : 'CD (Context Descriptor)'}
            </label>
          ))}
        </fieldset>
        <div className="decoder-preset">
          <label htmlFor={ids.preset}>SMMU the verdict assumes</label>
          <select id={ids.preset} value={preset} onChange={(e) => setDecoderPreset(e.target.value as FeaturePreset)}>
            {PRESETS.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
          </select>
        </div>
      </div>
      <label className="decoder-label" htmlFor={ids.text}>The {kind}'s words</label>
      <textarea id={ids.text} className="decoder-text mono" rows={8} spellCheck={false} value={text} onChange={(e) => setDecoderText(e.target.value)}
        aria-invalid={!parsed.ok} aria-describedby={parsed.ok ? ids.help : `${ids.error} ${ids.help}`} data-testid="decoder-input" />
      {!parsed.ok && (
        <p className="decoder-error" id={ids.error} role="alert" data-testid="decoder-error">
          {parsed.message}{parsed.position !== undefined ? ` (${lineColumn(text, parsed.position)})` : ''}.
        </p>
      )}
      {decoded && (
        <>
          <ol className="decoder-words" aria-label="The words as read" data-testid="decoder-words" start={0}>
            {decoded.words.map((w, i) => <li key={i}><span className="muted">qword {i}</span> <code>{hex64(w)}</code></li>)}
          </ol>
          <Verdict decoded={decoded} />
          <EntryFields decoded={decoded} onEdit={onEdit} />
        </>
      )}
    </section>
  );
}
