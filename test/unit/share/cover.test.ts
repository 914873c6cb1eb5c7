/** The dictionary builder (src/share/tools/cover.ts) on small made-up corpora: what it takes, in what order, and what it leaves out. */
import { describe, expect, it } from 'vitest';
import type { CorpusGroup } from '../../../src/share/tools/corpus.ts';
import { choosePhrases, orderPhrases } from '../../../src/share/tools/cover.ts';

const SHARED = 'the SMMU walks the stage-1 table from TTB0';
const lesson = (id: string, ...docs: string[]): CorpusGroup => ({ id, kind: 'lesson', docs });
const options = { size: 200, segment: 48, dmer: 6, single: 1, builtin: 1 };

describe('choosing dictionary phrases', () => {
  const groups = [
    lesson('a', `Alpha only text here. ${SHARED}.`),
    lesson('b', `${SHARED}, then Bravo's own words follow.`),
    lesson('c', `Charlie: ${SHARED}!`),
  ];

  it('takes what most groups share first, then one group\'s own text', () => {
    const phrases = choosePhrases(groups, options);
    expect(phrases[0]).toContain(SHARED);
    expect(phrases.join('\n')).toContain('Alpha only');
  });

  it('leaves out text no group shares when single is 0, and the text of an excluded group', () => {
    expect(choosePhrases(groups, { ...options, single: 0 }).join('\n')).not.toContain('Alpha only');
    const without = choosePhrases(groups, { ...options, exclude: ['a'] }).join('\n');
    expect(without).not.toContain('Alpha only');
    expect(without).toContain(SHARED);
  });

  it('keeps the wording of a generated lesson and leaves out the numbers its seeds change', () => {
    const seeds = [1111, 2222, 3333].map((n) => `The IOVA 0x${n}_0000 is mapped at level three of the table.`);
    const text = choosePhrases([lesson('gen', ...seeds)], options).join('\n');
    expect(text).toContain('_0000 is mapped at level three of the table.');
    expect(text).not.toContain('1111');
  });

  it('is deterministic', () => {
    expect(choosePhrases(groups, options)).toEqual(choosePhrases(groups, options));
  });
});

describe('laying out the dictionary', () => {
  it('puts the most useful phrase last and cuts the least useful at a character boundary to fit', () => {
    const ordered = orderPhrases(['best', 'second', 'third — ä'], 13);
    // 4 + 6 bytes, and the last 3 of the third phrase (a space and a two-byte "ä").
    expect(ordered).toEqual([' ä', 'second', 'best']);
    expect(new TextEncoder().encode(ordered.join('')).length).toBe(13);
    // A cut inside a two-byte character drops the whole character.
    expect(orderPhrases(['ab', 'ää'], 5)).toEqual(['ä', 'ab']);
  });
});
