/**
 * Reading older scenario files. Each format version after 1 comes with a
 * function that turns a document of the version before it into one of its
 * own; reading a file applies them in order up to CURRENT_VERSION, so a
 * scenario saved today (or a share link) still opens after the format grows.
 * Version 1 is the only version so far, so the chain is empty.
 */
import { shown } from './fields.ts';
import type { ScenarioIssue } from './issues.ts';
import { CURRENT_VERSION, SCENARIO_FORMAT } from './schema.ts';

type Document = Record<string, unknown>;

/** migrations[n] turns a version-n document into a version-(n + 1) one. */
export type Migrations = Readonly<Record<number, (doc: Document) => Document>>;

const migrations: Migrations = {};

/** A version chain: the version it ends at and the steps to it. Tests build their own to exercise the mechanism. */
export interface MigrationChain {
  readonly current: number;
  readonly migrations: Migrations;
}

export const FORMAT_CHAIN: MigrationChain = { current: CURRENT_VERSION, migrations };

export type MigrationResult = { readonly ok: true; readonly document: Document } | { readonly ok: false; readonly errors: ScenarioIssue[] };

/**
 * Checks that `input` is a scenario document of a version this app knows and
 * brings it to CURRENT_VERSION. It does not validate the steps: parseScenario does.
 */
export function migrateToCurrent(input: unknown): MigrationResult {
  return migrateAlong(input, FORMAT_CHAIN);
}

/** migrateToCurrent over any chain. A migration that throws on a strange document is reported, not thrown. */
export function migrateAlong(input: unknown, chain: MigrationChain): MigrationResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return fail('', `a scenario must be a JSON object with "format": "${SCENARIO_FORMAT}" (got ${describe(input)})`);
  }
  let doc = input as Document;
  if (doc.format !== SCENARIO_FORMAT) {
    return fail('format', doc.format === undefined ? `is required: "${SCENARIO_FORMAT}"` : `must be "${SCENARIO_FORMAT}" (got ${shown(doc.format)}): this is not an IOMMU Visualizer scenario`);
  }
  const version = doc.version;
  const reads = versionsRead(chain.current);
  if (version === undefined) return fail('version', `is required: this app reads ${reads}`);
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return fail('version', `must be a whole number: this app reads ${reads} (got ${shown(version)})`);
  }
  if (version > chain.current) {
    return fail('version', `version ${version} is newer than this app, which reads ${reads}; open it in a newer IOMMU Visualizer`);
  }
  for (let v = version; v < chain.current; v++) {
    const step = chain.migrations[v];
    if (!step) return fail('version', `no migration from version ${v} to ${v + 1} (this is a bug in the app)`);
    try {
      doc = step(doc);
    } catch (error) {
      return fail('', `could not be brought from version ${v} to ${v + 1}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (doc.version !== v + 1) return fail('version', `the migration from version ${v} did not produce version ${v + 1} (this is a bug in the app)`);
  }
  return { ok: true, document: doc };
}

function versionsRead(current: number): string {
  return current === 1 ? 'scenario format version 1' : `scenario format versions 1 to ${current}`;
}

function fail(path: string, message: string): MigrationResult {
  return { ok: false, errors: [{ path, message }] };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value;
}
