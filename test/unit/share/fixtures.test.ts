/**
 * Pinned links: made by the codec when their link version was new and never
 * regenerated (v1: built-ins of the time and an edited one; v2, named
 * v2-*: lessons, an exercise seed, an edited lesson). They must open to the
 * same scenario, step and view forever, whatever happens to the built-ins,
 * the encoder's dictionary or the scenario format (a format change must
 * come with a migration that keeps them opening).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeShareLink } from '../../../src/share/index.ts';

const DIR = join(import.meta.dirname, '../../fixtures/links');
const names = readdirSync(DIR).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4));

describe('pinned share links', () => {
  it('there are pinned links of both versions, for built-ins, lessons and edited scenarios', () => {
    const version = (name: string) => /^#v(\d+)\./.exec(readFileSync(join(DIR, `${name}.txt`), 'utf8'))?.[1];
    const v1 = names.filter((n) => version(n) === '1');
    const v2 = names.filter((n) => version(n) === '2');
    expect(v1.length).toBeGreaterThanOrEqual(5);
    expect(v2.length).toBeGreaterThanOrEqual(5);
    expect(v1.length + v2.length).toBe(names.length);
    expect(v1).toContain('edited-block-2m');
    expect(v2).toEqual(expect.arrayContaining(['v2-edited-lesson-10-sva', 'v2-lesson-05-faults-seed-4242']));
    expect(v2.every((n) => n.startsWith('v2-'))).toBe(true);
  });

  it.each(names)('%s opens to the scenario, step and view it was made with', (name) => {
    const link = readFileSync(join(DIR, `${name}.txt`), 'utf8');
    const expected = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as unknown;
    const result = decodeShareLink(link.trim());
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    expect({ scenario: result.scenario, step: result.step, view: result.view }).toEqual(expected);
    expect(result.warnings).toEqual([]);
  });
});
