/**
 * An STE or CD picked in the stream table, the CD table or the DMA path:
 * its eight words and every field the SMMU uses, with the verdict; the
 * unused ones one click away, and the whole entry one click from the decoder.
 */
import { useState } from 'react';
import { decodeEntry } from '../../engine/hw/smmu/decoder.ts';
import { FEATURE_PRESETS, type SmmuFeatures } from '../../engine/hw/smmu/features.ts';
import { inspectEntry, setMode, type InspectedEntry } from '../../store/appStore.ts';
import { loadIntoDecoder } from '../../store/decoderStore.ts';
import { EntryFields } from '../decoder/EntryFields.tsx';
import { Verdict } from '../decoder/Verdict.tsx';
import { hex64 } from '../format.ts';
import '../decoder/decoder.css';

interface Props {
  readonly entry: InspectedEntry;
  readonly words: readonly bigint[] | undefined;
  readonly features: SmmuFeatures | undefined;
  /** Whether closing goes back to a walk descriptor (the button says so). */
  readonly hasWalk: boolean;
}

export function entryTitle(entry: InspectedEntry): string {
  if (entry.source === 'words') return entry.title;
  return entry.kind === 'STE' ? `STE ${entry.sid} in the stream table` : `CD ${entry.ssid} of StreamID ${entry.sid}`;
}

export function EntryInspector({ entry, words, features, hasWalk }: Props) {
  const [all, setAll] = useState(false);
  const f = features ?? FEATURE_PRESETS.full;
  const decoded = words && words.length === 8 ? decodeEntry(entry.kind, words, f) : undefined;
  const preset = features && features.stage2 === FEATURE_PRESETS.qemu.stage2 && features.oasBits === FEATURE_PRESETS.qemu.oasBits ? 'qemu' : 'full';
  return (
    <div className="entry-inspector" data-testid="entry-inspector">
      <div className="entry-inspector-head">
        <h3 className="inspector-heading">{entryTitle(entry)}</h3>
        <button type="button" className="button button-small" onClick={() => inspectEntry(undefined)}>
          {hasWalk ? 'Back to the walk' : 'Close'}
        </button>
      </div>
      {!decoded ? (
        <p className="panel-hint">This {entry.kind} is not in memory at this step.</p>
      ) : (
        <>
          <ol className="entry-words" aria-label={`The ${entry.kind}'s eight 64-bit words`}>
            {decoded.words.map((w, i) => <li key={i}><span className="muted">qword {i}</span> <code>{hex64(w)}</code></li>)}
          </ol>
          <Verdict decoded={decoded} />
          <EntryFields decoded={decoded} usedOnly={!all} compact />
          <div className="entry-inspector-actions">
            <button type="button" className="button button-small" aria-pressed={all} onClick={() => setAll(!all)}>
              {all ? 'Hide unused fields' : `Show all ${decoded.fields.length} fields`}
            </button>
            <button type="button" className="button button-small" onClick={() => { loadIntoDecoder(entry.kind, decoded.words, preset); setMode('decoder'); }}>
              Open in the decoder
            </button>
          </div>
        </>
      )}
    </div>
  );
}
