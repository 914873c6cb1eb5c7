/**
 * The STE/CD decoder's own state: which structure, the pasted text and the
 * SMMU preset the verdict assumes. Separate from the scenario store: the
 * decoder runs no scenario and works with no engine host at all.
 */
import { create } from 'zustand';
import type { EntryKind } from '../engine/hw/smmu/decoder.ts';
import type { FeaturePreset } from '../engine/hw/smmu/features.ts';

export interface DecoderState {
  readonly kind: EntryKind;
  /** What the user pasted or the field edits produced; the decoder parses it on every change. */
  readonly text: string;
  readonly preset: FeaturePreset;
}

/** Linux's arm_smmu_make_cdtable_ste for a linear table of one CD at 0x8_1234_0000: a real STE to start from. */
export const EXAMPLE_STE = '0x000000081234000b 0x00000000000000d4 0 0 0 0 0 0';

export const initialDecoderState: DecoderState = { kind: 'STE', text: EXAMPLE_STE, preset: 'full' };

export const useDecoderStore = create<DecoderState>()(() => initialDecoderState);

const set = useDecoderStore.setState;

export function resetDecoderStore(overrides: Partial<DecoderState> = {}): void {
  set({ ...initialDecoderState, ...overrides }, true);
}

export function setDecoderKind(kind: EntryKind): void {
  set({ kind });
}

export function setDecoderText(text: string): void {
  set({ text });
}

export function setDecoderPreset(preset: FeaturePreset): void {
  set({ preset });
}

/** Eight words as the decoder writes them back: one 64-bit word per line, 16 hex digits, "0x" first. */
export function wordsText(words: readonly bigint[]): string {
  return words.map((w) => `0x${w.toString(16).padStart(16, '0')}`).join('\n');
}

/** Opens an entry from the scenario (an STE the DMA fetched, a CD from the table) in the decoder. */
export function loadIntoDecoder(kind: EntryKind, words: readonly bigint[], preset?: FeaturePreset): void {
  set((s) => ({ kind, text: wordsText(words), preset: preset ?? s.preset }));
}
