/** Versions: v1 is read as it is; anything else is refused with a reason. */
import { describe, expect, it } from 'vitest';
import { CURRENT_VERSION, migrateToCurrent } from '../../../src/scenario/index.ts';

const V1 = { format: 'iommu-visualizer-scenario', version: 1, title: 't', steps: [] };

describe('migrateToCurrent', () => {
  it('accepts a version-1 document unchanged', () => {
    expect(CURRENT_VERSION).toBe(1);
    expect(migrateToCurrent(V1)).toEqual({ ok: true, document: V1 });
  });

  it.each([
    [{ ...V1, version: 2 }, 'version', 'version 2 is newer than this app, which reads scenario format version 1; open it in a newer IOMMU Visualizer'],
    [{ ...V1, version: 0 }, 'version', 'must be a whole number: this app reads scenario format version 1 (got 0)'],
    [{ ...V1, version: '1' }, 'version', 'must be a whole number: this app reads scenario format version 1 (got "1")'],
    [{ ...V1, version: 1.5 }, 'version', 'must be a whole number: this app reads scenario format version 1 (got 1.5)'],
    [{ ...V1, format: undefined }, 'format', 'is required: "iommu-visualizer-scenario"'],
    [null, '', 'a scenario must be a JSON object with "format": "iommu-visualizer-scenario" (got null)'],
    ['v1', '', 'a scenario must be a JSON object with "format": "iommu-visualizer-scenario" (got string)'],
  ])('refuses %j', (input, path, message) => {
    expect(migrateToCurrent(input)).toEqual({ ok: false, errors: [{ path, message }] });
  });
});
