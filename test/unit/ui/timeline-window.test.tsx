// @vitest-environment jsdom
/** The timeline of a long scenario: a window of step chips, every step still reachable. */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppController } from '../../../src/app/controller.ts';
import { longRunScenario } from '../../../src/bench/ui/fixtures.ts';
import { parseScenario } from '../../../src/scenario/index.ts';
import { resetAppStore, useAppStore } from '../../../src/store/appStore.ts';
import { Timeline } from '../../../src/ui/shell/Timeline.tsx';
import { STEP_WINDOW, stepWindow, type StepWindowItem } from '../../../src/ui/shell/stepWindow.ts';
import { InProcessHost } from '../../../src/worker/in-process-host.ts';

/** Each step 0..count once, drawn or inside a gap, in order. */
function covered(items: readonly StepWindowItem[]): number[] {
  return items.flatMap((item) => (item.kind === 'step' ? [item.step] : Array.from({ length: item.to - item.from + 1 }, (_, i) => item.from + i)));
}
const drawn = (items: readonly StepWindowItem[]) => items.flatMap((item) => (item.kind === 'step' ? [item.step] : []));

describe('stepWindow', () => {
  it('draws every step of a short scenario', () => {
    const items = stepWindow(STEP_WINDOW.all, 7, [3]);
    expect(items.every((i) => i.kind === 'step')).toBe(true);
    expect(drawn(items)).toEqual(Array.from({ length: STEP_WINDOW.all + 1 }, (_, i) => i));
  });

  it('draws the start, the head, the cursor\'s neighbours, the nearest marks and the end of a long one', () => {
    const count = 8009;
    const marks = Array.from({ length: 100 }, (_, i) => 50 + i * 80);
    const items = stepWindow(count, 4000, marks);
    expect(covered(items)).toEqual(Array.from({ length: count + 1 }, (_, i) => i));
    const steps = drawn(items);
    for (const s of [0, 1, STEP_WINDOW.head, 4000 - STEP_WINDOW.near, 4000, 4000 + STEP_WINDOW.near, count]) expect(steps).toContain(s);
    expect(steps).not.toContain(4000 + STEP_WINDOW.near + 1);
    const shownMarks = marks.filter((m) => steps.includes(m));
    expect(shownMarks.length).toBe(STEP_WINDOW.marks);
    // The nearest ones: every mark drawn is at least as near the cursor as every mark left out.
    const farthestShown = Math.max(...shownMarks.map((m) => Math.abs(m - 4000)));
    expect(marks.filter((m) => !steps.includes(m)).every((m) => Math.abs(m - 4000) >= farthestShown)).toBe(true);
    expect(steps.length).toBeLessThan(1 + STEP_WINDOW.head + 2 * STEP_WINDOW.near + 1 + STEP_WINDOW.marks + 2);
  });

  it('keeps the cursor drawn at both ends', () => {
    expect(drawn(stepWindow(5000, 0, []))).toContain(0);
    expect(drawn(stepWindow(5000, 5000, []))).toEqual(expect.arrayContaining([4980, 5000]));
  });
});

describe('Timeline of a long scenario', () => {
  beforeEach(() => resetAppStore());
  afterEach(cleanup);

  it('draws a window of chips that follows the cursor, and every chip goes to its step', async () => {
    const parsed = parseScenario(longRunScenario(400));
    if (!parsed.ok) throw new Error('the long-run fixture is invalid');
    const c = new AppController({ host: new InProcessHost(), scenarios: [{ id: 'long', scenario: parsed.scenario }] });
    await c.open('long', 0);
    const count = useAppStore.getState().outline?.stepCount ?? 0;
    expect(count).toBeGreaterThan(STEP_WINDOW.all);
    const asked: number[] = [];
    render(<Timeline onGoTo={(n) => { asked.push(n); void c.goTo(n); }} onJumpToMark={(d) => void c.jumpToMark(d)} onTogglePlay={() => undefined} />);
    const list = screen.getByRole('list', { name: /^Steps near step 0/ });
    expect(within(list).getAllByRole('button').length).toBeLessThan(100);
    expect(within(list).getByRole('button', { name: 'Go to step 0 start, before step 1' }).getAttribute('aria-current')).toBe('step');
    const chipSteps = (el: HTMLElement) => within(el).getAllByRole('button').map((b) => Number(/^Go to step (\d+)/.exec(b.getAttribute('aria-label') ?? '')?.[1]));
    const marks = useAppStore.getState().marks.map((m) => m.step);
    expect(chipSteps(list)).toEqual(drawn(stepWindow(count, 0, marks)));
    expect(within(list).getAllByText(/^steps? \d+( to \d+)? not listed$/).length).toBeGreaterThan(0);

    // The last step is always there; going to it moves the window, and its neighbours appear.
    fireEvent.click(within(list).getByRole('button', { name: new RegExp(`^Go to step ${count}:`) }));
    expect(asked).toEqual([count]);
    await waitFor(() => expect(useAppStore.getState().cursor).toBe(count));
    const moved = screen.getByRole('list', { name: new RegExp(`^Steps near step ${count}`) });
    expect(within(moved).getByRole('button', { name: new RegExp(`^Go to step ${count}:`) }).getAttribute('aria-current')).toBe('step');
    fireEvent.click(within(moved).getByRole('button', { name: new RegExp(`^Go to step ${count - STEP_WINDOW.near}:`) }));
    await waitFor(() => expect(useAppStore.getState().cursor).toBe(count - STEP_WINDOW.near));
    expect(chipSteps(screen.getByRole('list', { name: /^Steps near step/ }))).toEqual(drawn(stepWindow(count, count - STEP_WINDOW.near, marks)));
    c.dispose();
  });
});
