/**
 * Where the parser's messages go on the form. An issue's path
 * ("steps[3].iova", "steps[5].fields.S1ContextPtr") names a field; the
 * message sits next to that field's input when the form shows one, else
 * next to the nearest thing above it that the form shows (the step, for a
 * field the form has no input for), else in the summary only.
 */
import type { ScenarioIssue } from '../../scenario/index.ts';
import { commandFields, COMMAND_OPS, type CommandOp } from '../../scenario/steps-cmdq.ts';
import { DOCUMENT_FIELDS, stepFields, type FieldDescriptor } from './schemaFields.ts';
import { pathText, stepsOf, type Draft, type Path, type PathPart } from './draft.ts';

/** 'steps[3].args["a b"]' -> ['steps', 3, 'args', 'a b']; the inverse of formatPath. */
export function parsePath(text: string): PathPart[] {
  const out: PathPart[] = [];
  const re = /(?:^|\.)([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  let match: RegExpExecArray | null;
  while (re.lastIndex < text.length && (match = re.exec(text)) !== null) {
    if (match[1] !== undefined) out.push(match[1]);
    else if (match[2] !== undefined) out.push(Number(match[2]));
    else if (match[3] !== undefined) out.push(JSON.parse(match[3]) as string);
  }
  return out;
}

/** The step an issue is about, or undefined for the document's own fields. */
export function stepOfIssue(path: string): number | undefined {
  const match = /^steps\[(\d+)\]/.exec(path);
  return match ? Number(match[1]) : undefined;
}

const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** Keys of `value` the descriptors do not name: the form lists them so they can be seen and removed. */
export function extraKeys(value: unknown, declared: readonly string[]): string[] {
  return Object.keys(record(value)).filter((key) => key !== 'kind' && !declared.includes(key));
}

/** Every path the form has an input (or a list) for, under `base`, for these descriptors and this value. */
export function fieldPaths(fields: readonly FieldDescriptor[], value: unknown, base: Path, out: Set<string> = new Set()): Set<string> {
  const object = record(value);
  for (const d of fields) {
    const path = [...base, d.key];
    out.add(pathText(path));
    const c = d.control;
    const here = object[d.key];
    if (c.kind === 'object') fieldPaths(c.fields, here, path, out);
    if (c.kind === 'list' && Array.isArray(here)) here.forEach((item, i) => fieldPaths(c.item, item, [...path, i], out));
    if (c.kind === 'entry') for (const key of Object.keys(record(here))) out.add(pathText([...path, key]));
    if (c.kind === 'commands' && Array.isArray(here)) {
      here.forEach((command, i) => {
        const op = record(command).op;
        const known = COMMAND_OPS.includes(op as CommandOp) ? commandFields(op as CommandOp).map((f) => f.name) : [];
        for (const key of ['op', ...known, ...Object.keys(record(command))]) out.add(pathText([...path, i, key]));
        out.add(pathText([...path, i]));
      });
    }
  }
  for (const key of extraKeys(value, fields.map((d) => d.key))) out.add(pathText([...base, key]));
  return out;
}

/** The paths the form shows for the whole draft: the document's fields and every step's. */
export function formPaths(draft: Draft): Set<string> {
  const out = fieldPaths(DOCUMENT_FIELDS, draft, []);
  // The form has no inputs for these (the header is fixed, the steps have their list): their issues go to the summary.
  for (const key of ['$schema', 'format', 'version', 'steps']) out.delete(key);
  stepsOf(draft).forEach((step, i) => {
    out.add(pathText(['steps', i]));
    out.add(pathText(['steps', i, 'kind']));
    fieldPaths(stepFields(step) ?? [], step, ['steps', i], out);
  });
  return out;
}

/** Issues by the path of the input they are shown next to ('' = the summary only). */
export function placeIssues(issues: readonly ScenarioIssue[], shown: ReadonlySet<string>): Map<string, ScenarioIssue[]> {
  const placed = new Map<string, ScenarioIssue[]>();
  for (const issue of issues) {
    const parts = parsePath(issue.path);
    let at = '';
    for (let n = parts.length; n > 0; n--) {
      const candidate = pathText(parts.slice(0, n));
      if (shown.has(candidate)) {
        at = candidate;
        break;
      }
    }
    placed.set(at, [...(placed.get(at) ?? []), issue]);
  }
  return placed;
}

/** How many issues each step has, for the step list. */
export function issueCounts(issues: readonly ScenarioIssue[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const issue of issues) {
    const step = stepOfIssue(issue.path);
    if (step !== undefined) counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  return counts;
}
