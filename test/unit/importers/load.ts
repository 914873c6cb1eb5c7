/** Reads the realistic dumps the tests run on: the app's samples and the extra fixtures. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// Vitest runs from the repository root; import.meta.url is not a file: URL under jsdom.
const root = `${resolve(process.cwd())}/`;

export function sample(name: 'groups-desktop' | 'vtd-legacy' | 'vtd-scalable'): string {
  return readFileSync(`${root}src/importers/samples/${name}.txt`, 'utf8');
}

export function fixture(name: string): string {
  return readFileSync(`${root}test/fixtures/importers/${name}`, 'utf8');
}

/** The 1-based line numbers of the lines of `text` that satisfy `test`. */
export function linesWhere(text: string, test: (line: string) => boolean): number[] {
  return text.split(/\r\n|\r|\n/).flatMap((l, i) => (test(l) ? [i + 1] : []));
}
