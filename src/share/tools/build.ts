/**
 * The recipe of link version 2's dictionary: the corpus (corpus.ts) and the
 * choice (cover.ts) with the parameters it was made with. Running it on
 * today's lessons gave src/share/dictionary-v2.ts; it will give something
 * else once the lessons change, which is fine: the frozen file, not this
 * recipe, is what v2 links need. A later dictionary is a later link version.
 */
import { type CorpusGroup, corpusGroups } from './corpus.ts';
import { type CoverOptions, choosePhrases, orderPhrases } from './cover.ts';

/**
 * Chosen by measuring (docs/sharing.md): 128-byte segments took whole
 * clauses of narration better than 32 or 64; 8-byte d-mers beat 6 and 12;
 * weighing the older built-ins at a quarter of a lesson kept the longest
 * lessons under 2,000 characters at little cost to the built-ins' links.
 * 32,000 bytes stays inside DEFLATE's 32 KiB window.
 */
export const V2_OPTIONS: CoverOptions = { size: 32_000, segment: 128, dmer: 8, single: 1, builtin: 0.25 };

/** The dictionary's phrases in order (least useful first); `exclude` leaves groups out, for held-out measurements. */
export function dictionaryPhrases(exclude: readonly string[] = [], groups: readonly CorpusGroup[] = corpusGroups()): string[] {
  const options = { ...V2_OPTIONS, exclude };
  return orderPhrases(choosePhrases(groups, options), options.size);
}
