/**
 * npx tsx src/share/tools/build-dictionary.ts > src/share/dictionary-v2.ts
 *
 * Prints the module of link version 2's preset dictionary, built from the
 * lessons and built-ins as they are now (build.ts). Deterministic: the same
 * lessons give the same bytes. Only for making a new link version's
 * dictionary: dictionary-v2.ts is frozen, and a test pins its CRC-32.
 */
import { crc32 } from '../crc32.ts';
import { dictionaryPhrases, V2_OPTIONS } from './build.ts';

const phrases = dictionaryPhrases();
const text = phrases.join('');
const bytes = new TextEncoder().encode(text);
const hex = (n: number) => { const h = n.toString(16).padStart(8, '0'); return `0x${h.slice(0, 4)}_${h.slice(4)}`; };

console.log(`/**
 * The preset dictionary of link version 2 (DEFLATE's FDICT idea: both ends
 * start with this text in the window, so a link can point back into it).
 * Made by src/share/tools/build-dictionary.ts from the twelve lessons (their
 * canonical numbers and exercise seeds ${'1 to 4'}) and the built-in scenarios:
 * segments of ${V2_OPTIONS.segment} characters ranked by the ${V2_OPTIONS.dmer}-character runs they share with
 * the most lessons and built-ins (length x frequency), the most useful last.
 * ${bytes.length.toLocaleString('en-US')} bytes of UTF-8, CRC-32 ${hex(crc32(bytes))}.
 *
 * FROZEN: every v2 link ever made needs exactly these bytes to inflate; a
 * test pins their CRC-32. Do not regenerate it when the lessons change: a
 * better dictionary means link version 3, with this one kept for reading.
 * See docs/sharing.md.
 */
const PHRASES: readonly string[] = [
${phrases.map((p) => `  ${JSON.stringify(p)},`).join('\n')}
];

export const DICTIONARY_V2_TEXT: string = PHRASES.join('');`);
