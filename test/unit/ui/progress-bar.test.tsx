// @vitest-environment jsdom
/** The progress bar: steps, and inside a long DMA burst the DMAs made, moving the bar within the step. */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ProgressBar, showProgress } from '../../../src/ui/shell/ProgressBar.tsx';

afterEach(() => {
  act(() => showProgress(undefined));
  cleanup();
});

describe('ProgressBar', () => {
  it('shows the DMAs of a long burst step and places the bar inside that step', () => {
    let cancelled = 0;
    render(<ProgressBar />);
    expect(screen.queryByTestId('engine-progress')).toBeNull();
    act(() => showProgress({ done: 3, total: 7, replay: false, dmas: { done: 262_144, total: 1_000_000 }, cancel: () => cancelled++ }));
    expect(screen.getByTestId('engine-progress-count').textContent).toBe('3 of 7; step 4: 262,144 of 1,000,000 DMAs');
    expect(Number(screen.getByRole('progressbar').getAttribute('value'))).toBeCloseTo(3.262144, 6);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(cancelled).toBe(1);
    act(() => showProgress({ done: 5, total: 7, replay: false, cancel: () => cancelled++ }));
    expect(screen.getByTestId('engine-progress-count').textContent).toBe('5 of 7');
  });
});
