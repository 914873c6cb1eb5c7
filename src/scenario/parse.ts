/**
 * Reading a scenario: JSON text or an already-parsed value in, a validated
 * v1 Scenario or every problem found out. Never throws.
 */
import { crossChecks } from './checks.ts';
import { type ScenarioIssue, defaultMessage, fromZodIssues } from './issues.ts';
import { findJsonSyntaxError } from './jsonSyntax.ts';
import { LIMITS, limitIssues, sizeIssue } from './limits.ts';
import { migrateToCurrent } from './migrate.ts';
import { type Scenario, scenarioSchema } from './schema.ts';

export type ParseResult = { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly errors: ScenarioIssue[] };

export function parseScenario(input: unknown): ParseResult {
  // Limits first (limits.ts), so that a huge or hostile document is refused before any migration or schema runs over it.
  const tooLarge = sizeIssue(input);
  if (tooLarge) return { ok: false, errors: [tooLarge] };
  const migrated = migrateToCurrent(input);
  if (!migrated.ok) return migrated;
  const doc = migrated.document;
  const overLimits = limitIssues(doc);
  if (overLimits.length > 0) return { ok: false, errors: overLimits };
  const result = scenarioSchema.safeParse(doc, { error: defaultMessage });
  const errors = [...(result.success ? [] : fromZodIssues(result.error.issues, doc)), ...crossChecks(doc)];
  if (errors.length === 0 && result.success) return { ok: true, scenario: result.data };
  return { ok: false, errors: inDocumentOrder(dedupe(errors)) };
}

export function parseScenarioText(text: string): ParseResult {
  // A byte-order mark is common in files saved by Windows editors; JSON.parse refuses it.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') return { ok: false, errors: [{ path: '', message: 'the file is empty: expected a JSON scenario object' }] };
  if (body.length > LIMITS.documentSize) {
    return { ok: false, errors: [{ path: '', message: `the text is ${body.length.toLocaleString('en-US')} characters; a scenario may be at most ${LIMITS.documentSize.toLocaleString('en-US')}` }] };
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const found = findJsonSyntaxError(body);
    const message = found
      ? `invalid JSON at line ${found.line}, column ${found.column}: ${found.message}`
      : `invalid JSON: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, errors: [{ path: '', message }] };
  }
  return parseScenario(value);
}

function dedupe(issues: readonly ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Top-level problems first, then by step number, so messages read top to bottom like the file. */
function inDocumentOrder(issues: ScenarioIssue[]): ScenarioIssue[] {
  const stepOf = (path: string) => {
    const match = /^steps\[(\d+)\]/.exec(path);
    return match ? Number(match[1]) : -1;
  };
  return issues
    .map((issue, order) => ({ issue, order, step: stepOf(issue.path) }))
    .sort((a, b) => a.step - b.step || a.order - b.order)
    .map((entry) => entry.issue);
}
