/**
 * Pinned links: made by the codec when link version 1 was new and never
 * regenerated. They must open to the same scenario, step and view forever,
 * whatever happens to the built-ins, the dictionary or the scenario format
 * (a format change must come with a migration that keeps them opening).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeShareLink } from '../../../src/share/index.ts';

const DIR = join(import.meta.dirname, '../../fixtures/links');
const names = readdirSync(DIR).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4));

describe('pinned share links', () => {
  it('there are pinned links for several built-ins and an edited scenario', () => {
    expect(names.length).toBeGreaterThanOrEqual(5);
    expect(names).toContain('edited-block-2m');
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
