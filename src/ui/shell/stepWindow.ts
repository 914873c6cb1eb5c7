/**
 * Which step chips the timeline draws. A short scenario gets one chip per
 * step; a long one (the million-DMA lesson has thousands of steps) gets the
 * start, the first steps, the steps around the cursor, the marked steps
 * nearest the cursor and the last step, with a gap item between runs. A
 * thousand buttons would cost every render and every tab stop, and the
 * slider (PlayControls) already reaches any step.
 */

export type StepWindowItem =
  | { readonly kind: 'step'; readonly step: number }
  /** Steps `from` to `to` (inclusive) not drawn. */
  | { readonly kind: 'gap'; readonly from: number; readonly to: number };

export interface StepWindowOptions {
  /** Up to this many steps, every chip is drawn. */
  readonly all: number;
  /** Chips each side of the cursor. */
  readonly near: number;
  /** Steps 1..head always drawn. */
  readonly head: number;
  /** Marked steps drawn: the ones nearest the cursor. */
  readonly marks: number;
}

export const STEP_WINDOW: StepWindowOptions = { all: 150, near: 20, head: 5, marks: 24 };

/** The items for steps 0..count, in order; every step is either drawn or inside exactly one gap. */
export function stepWindow(count: number, cursor: number, marked: readonly number[], options: StepWindowOptions = STEP_WINDOW): StepWindowItem[] {
  const shown = new Set<number>();
  if (count <= options.all) {
    for (let step = 0; step <= count; step++) shown.add(step);
  } else {
    for (let step = 0; step <= Math.min(options.head, count); step++) shown.add(step);
    const at = Math.min(Math.max(cursor, 0), count);
    for (let step = Math.max(0, at - options.near); step <= Math.min(count, at + options.near); step++) shown.add(step);
    const nearest = marked.filter((m) => m >= 0 && m <= count).sort((a, b) => Math.abs(a - at) - Math.abs(b - at) || a - b);
    for (const m of nearest.slice(0, options.marks)) shown.add(m);
    shown.add(count);
  }
  const items: StepWindowItem[] = [];
  let previous = -1;
  for (const step of [...shown].sort((a, b) => a - b)) {
    if (step > previous + 1) items.push({ kind: 'gap', from: previous + 1, to: step - 1 });
    items.push({ kind: 'step', step });
    previous = step;
  }
  return items;
}
