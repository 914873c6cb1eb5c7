import { describe, expect, it } from 'vitest';
import { readUrl, writeUrl } from '../../../src/app/url.ts';

describe('URL parameters', () => {
  it('read the scenario and the step', () => {
    expect(readUrl('?scenario=block-2m&step=3')).toEqual({ scenarioId: 'block-2m', startAt: 3, problems: [] });
    expect(readUrl('')).toEqual({ scenarioId: undefined, startAt: 'first-walk', problems: [] });
  });

  it('name a step that is not a number and fall back to the first walk', () => {
    const r = readUrl('?scenario=walk-4k-page&step=two');
    expect(r.startAt).toBe('first-walk');
    expect(r.problems).toEqual([expect.stringContaining('"two"')]);
    expect(readUrl('?step=-1').problems).toHaveLength(1);
  });

  it('write the scenario and step, keeping other parameters', () => {
    expect(writeUrl('?lang=en&step=1', 'walk-4k-page', 4)).toBe('?lang=en&step=4&scenario=walk-4k-page');
    expect(readUrl(writeUrl('', 'permission-fault', 6))).toMatchObject({ scenarioId: 'permission-fault', startAt: 6 });
  });
});
