/**
 * The scenario being edited, as plain JSON that need not be valid yet: a
 * field holds exactly what was typed until the parser accepts it. Every
 * operation returns a new draft and shares what it did not change, which
 * keeps undo snapshots cheap.
 */
import type { Draft } from '../../persist/work.ts';
import { CURRENT_VERSION, SCENARIO_FORMAT, type Scenario } from '../../scenario/index.ts';
import { formatPath } from '../../scenario/issues.ts';

export type { Draft } from '../../persist/work.ts';
export type PathPart = string | number;
export type Path = readonly PathPart[];

export const pathText = (path: Path): string => formatPath(path);

export function blankScenario(): Draft {
  return { format: SCENARIO_FORMAT, version: CURRENT_VERSION, title: 'Untitled scenario', steps: [] };
}

/** A built-in (already validated) scenario as a draft: a deep copy, so editing never touches the original. */
export function draftOf(scenario: Scenario): Draft {
  return JSON.parse(JSON.stringify(scenario)) as Draft;
}

/** The steps of a draft; a draft whose `steps` is not a list (typed in the JSON tab) has none the form can show. */
export function stepsOf(draft: Draft): readonly unknown[] {
  return Array.isArray(draft.steps) ? (draft.steps as unknown[]) : [];
}

export function valueAtPath(root: unknown, path: Path): unknown {
  let here = root;
  for (const part of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<PathPart, unknown>)[part];
  }
  return here;
}

/** `value` at `path`; undefined removes the field (or the list item). Missing objects on the way are created. */
export function setAt<T>(root: T, path: Path, value: unknown): T {
  const [head, ...rest] = path;
  if (head === undefined) return value as T;
  if (typeof head === 'number') {
    const list = Array.isArray(root) ? [...(root as unknown[])] : [];
    if (rest.length === 0 && value === undefined) list.splice(head, 1);
    else list[head] = setAt(list[head], rest, value);
    return list as T;
  }
  const object: Record<string, unknown> = root !== null && typeof root === 'object' && !Array.isArray(root) ? { ...(root as Record<string, unknown>) } : {};
  if (rest.length === 0 && value === undefined) delete object[head];
  else object[head] = setAt(object[head], rest, value);
  return object as T;
}

function withSteps(draft: Draft, steps: readonly unknown[]): Draft {
  return { ...draft, steps };
}

export function insertStep(draft: Draft, at: number, step: unknown): Draft {
  const steps = [...stepsOf(draft)];
  steps.splice(Math.max(0, Math.min(at, steps.length)), 0, step);
  return withSteps(draft, steps);
}

export function removeStep(draft: Draft, index: number): Draft {
  return withSteps(draft, stepsOf(draft).filter((_, i) => i !== index));
}

/** Moves step `index` by `delta` places; out of range leaves the draft as it is. */
export function moveStep(draft: Draft, index: number, delta: number): Draft {
  const steps = [...stepsOf(draft)];
  const to = index + delta;
  if (index < 0 || index >= steps.length || to < 0 || to >= steps.length) return draft;
  const [moved] = steps.splice(index, 1);
  steps.splice(to, 0, moved);
  return withSteps(draft, steps);
}

export function duplicateStep(draft: Draft, index: number): Draft {
  const steps = stepsOf(draft);
  if (index < 0 || index >= steps.length) return draft;
  return insertStep(draft, index + 1, JSON.parse(JSON.stringify(steps[index] ?? null)) as unknown);
}

/** The list items of `path` with `item` added at the end. */
export function appendAt(draft: Draft, path: Path, item: unknown): Draft {
  const list = valueAtPath(draft, path);
  return setAt(draft, path, [...(Array.isArray(list) ? list : []), item]);
}

/** Moves list item `path` (ending in its index) by `delta`. */
export function moveItem(draft: Draft, path: Path, delta: number): Draft {
  const index = path[path.length - 1];
  const listPath = path.slice(0, -1);
  const list = valueAtPath(draft, listPath);
  if (typeof index !== 'number' || !Array.isArray(list)) return draft;
  const to = index + delta;
  if (to < 0 || to >= list.length) return draft;
  const next = [...(list as unknown[])];
  const [moved] = next.splice(index, 1);
  next.splice(to, 0, moved);
  return setAt(draft, listPath, next);
}
