/**
 * The migration mechanism, exercised with a synthetic version chain (the
 * format has one version so far, and no fake version goes into the app):
 * a document is brought up one version at a time, in order; a gap, a
 * migration that throws, or one that forgets to bump the version is a
 * message, never an exception.
 */
import { describe, expect, it } from 'vitest';
import { FORMAT_CHAIN, type MigrationChain, migrateAlong, migrateToCurrent } from '../../../src/scenario/migrate.ts';
import { CURRENT_VERSION, parseScenario } from '../../../src/scenario/index.ts';

const FORMAT = 'iommu-visualizer-scenario';

/** Version 1 had "name"; version 2 renamed it "title"; version 3 moved "notes" into each step's "note". */
const chain: MigrationChain = {
  current: 3,
  migrations: {
    1: ({ name, ...rest }) => ({ ...rest, version: 2, title: name }),
    2: ({ notes, steps, ...rest }) => ({
      ...rest,
      version: 3,
      steps: (steps as Record<string, unknown>[]).map((s, i) => (Array.isArray(notes) && typeof notes[i] === 'string' ? { ...s, note: notes[i] } : s)),
    }),
  },
};

describe('migrateAlong', () => {
  it('brings a version-1 document through every step in order', () => {
    const v1 = { format: FORMAT, version: 1, name: 'Old', notes: ['first'], steps: [{ kind: 'walk' }] };
    expect(migrateAlong(v1, chain)).toEqual({ ok: true, document: { format: FORMAT, version: 3, title: 'Old', steps: [{ kind: 'walk', note: 'first' }] } });
    // The input is not changed: the page may still hold it.
    expect(v1.name).toBe('Old');
  });

  it('starts from the version the document has', () => {
    const v2 = { format: FORMAT, version: 2, title: 'Mid', steps: [] };
    expect(migrateAlong(v2, chain)).toEqual({ ok: true, document: { format: FORMAT, version: 3, title: 'Mid', steps: [] } });
  });

  it('refuses a newer version with the range it reads', () => {
    expect(migrateAlong({ format: FORMAT, version: 4 }, chain)).toEqual({
      ok: false,
      errors: [{ path: 'version', message: 'version 4 is newer than this app, which reads scenario format versions 1 to 3; open it in a newer IOMMU Visualizer' }],
    });
  });

  it('reports a gap in the chain, a migration that throws, and one that forgets the version', () => {
    const gap: MigrationChain = { current: 3, migrations: { 1: chain.migrations[1]! } };
    expect(migrateAlong({ format: FORMAT, version: 1, name: 'x' }, gap)).toMatchObject({ ok: false, errors: [{ path: 'version', message: 'no migration from version 2 to 3 (this is a bug in the app)' }] });
    // The version-2 step maps over "steps": a document without them makes it throw.
    expect(migrateAlong({ format: FORMAT, version: 2 }, chain)).toMatchObject({ ok: false, errors: [{ path: '', message: expect.stringMatching(/^could not be brought from version 2 to 3: /) }] });
    const forgetful: MigrationChain = { current: 2, migrations: { 1: (d) => ({ ...d }) } };
    expect(migrateAlong({ format: FORMAT, version: 1 }, forgetful)).toMatchObject({ ok: false, errors: [{ message: 'the migration from version 1 did not produce version 2 (this is a bug in the app)' }] });
  });

  it('is what migrateToCurrent and parseScenario use for the real format', () => {
    expect(FORMAT_CHAIN.current).toBe(CURRENT_VERSION);
    const doc = { format: FORMAT, version: 1, title: 't', steps: [] };
    expect(migrateToCurrent(doc)).toEqual(migrateAlong(doc, FORMAT_CHAIN));
    expect(parseScenario({ ...doc, version: CURRENT_VERSION + 1 })).toMatchObject({ ok: false, errors: [{ path: 'version' }] });
  });
});
