/**
 * Whether a location hash is meant as a share link, without the codec: the
 * page asks this at start, and fetches the codec (link.ts: DEFLATE, its
 * dictionary and the scenario validator) only when the answer is yes.
 */
export function looksLikeShareLink(hash: string): boolean {
  return /^#?v\d/.test(hash.trim());
}
