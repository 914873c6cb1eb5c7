/**
 * Share-link length per lesson (the twelve, at their canonical seed) and per
 * built-in scenario, made by the app's own encoder
 * (src/share/link.ts: `#v2.` and the base64url of the dictionary-deflated
 * JSON), for the lesson at its first step in the default view.
 */
import { canonicalLessons } from '../../lessons/index.ts';
import { builtinScenarios } from '../../scenario/index.ts';
import { encodeShareLink } from '../../share/link.ts';
import { DEFAULT_LINK_VIEW } from '../../share/view.ts';

export interface LinkSize {
  readonly lesson: string;
  /** Characters after the "#"; the whole link adds the page's own address. */
  readonly fragment_chars: number;
}

export function linkSizes(): LinkSize[] {
  const lessons = canonicalLessons().map(({ id, scenario }) => ({ id, scenario }));
  return [...lessons, ...builtinScenarios].map(({ id, scenario }) => {
    const encoded = encodeShareLink({ scenario, step: 0, view: DEFAULT_LINK_VIEW });
    if (!encoded.ok) throw new Error(`the share link of ${id} could not be made: ${encoded.message}`);
    return { lesson: id, fragment_chars: encoded.link.length };
  });
}
