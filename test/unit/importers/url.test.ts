import { describe, expect, it } from 'vitest';
import { readUrl } from '../../../src/app/url.ts';
import { sampleForParam } from '../../../src/importers/samples/index.ts';

describe('?import in the link', () => {
  it('asks for the import page with or without a sample name, and not otherwise', () => {
    expect(readUrl('?import').importDump).toBe(true);
    expect(readUrl('?import=groups&scenario=walk-4k-page').importDump).toBe(true);
    expect(readUrl('?scenario=walk-4k-page').importDump).toBeUndefined();
    expect(readUrl('?import').problems).toEqual([]);
  });

  it('names samples: groups, vtd (the legacy one), vtd-legacy, vtd-scalable; anything else opens empty', () => {
    expect(sampleForParam('groups')?.id).toBe('groups');
    expect(sampleForParam('VTD')?.id).toBe('vtd-legacy');
    expect(sampleForParam('vtd-scalable')?.id).toBe('vtd-scalable');
    expect(sampleForParam('')).toBeUndefined();
    expect(sampleForParam(null)).toBeUndefined();
    expect(sampleForParam('amd')).toBeUndefined();
  });
});
