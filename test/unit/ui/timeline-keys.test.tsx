// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../src/app/App.tsx';
import { resetAppStore, useAppStore } from '../../../src/store/appStore.ts';
import { stepMarks } from '../../../src/store/marks.ts';
import { InProcessHost } from '../../../src/worker/in-process-host.ts';
import { runTo, scenarioOf } from './smmuRun.ts';

const inProcess = () => new InProcessHost();

function openAt(search: string) {
  window.history.replaceState(null, '', `/${search}`);
  return render(<App createHost={inProcess} />);
}

beforeEach(() => resetAppStore());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('timeline controls', () => {
  it('marks the steps that raised events, as the engine reports them, and jumps between them', async () => {
    const id = 'smmu-stage1-dma';
    const expected = stepMarks(runTo(id, scenarioOf(id).steps.length).log).map((m) => m.step);
    expect(expected.length).toBeGreaterThan(0);
    openAt(`?scenario=${id}&step=0`);
    await waitFor(() => expect(useAppStore.getState().marks.map((m) => m.step)).toEqual(expected));
    const first = expected[0] ?? 0;
    expect(screen.getByRole('button', { name: new RegExp(`^Event at step ${first}: `) })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: `Next event, step ${first}` }));
    await waitFor(() => expect(useAppStore.getState().cursor).toBe(first));
    expect(screen.getByRole('button', { name: 'Previous event: none' })).toHaveProperty('disabled', true);
  });

  it('scrubs to any step with the slider', async () => {
    openAt('?scenario=block-2m&step=0');
    await waitFor(() => expect(useAppStore.getState().status).toBe('ready'));
    const slider = screen.getByRole('slider', { name: 'Scrub through the steps' });
    fireEvent.change(slider, { target: { value: '3' } });
    await waitFor(() => expect(useAppStore.getState().cursor).toBe(3));
    expect(slider.getAttribute('aria-valuetext')).toMatch(/^Step 3 of/);
  });

  it('plays on space at the chosen speed and pauses on space', async () => {
    openAt('?scenario=block-2m&step=0');
    await waitFor(() => expect(useAppStore.getState().status).toBe('ready'));
    fireEvent.change(screen.getByLabelText('Speed'), { target: { value: '4' } });
    expect(useAppStore.getState().speed).toBe(4);
    vi.useFakeTimers();
    fireEvent.keyDown(window, { key: ' ' });
    expect(useAppStore.getState().playing).toBe(true);
    expect(screen.getByRole('button', { name: /Pause/ }).getAttribute('aria-pressed')).toBe('true');
    // 2000 ms / 4 per step: one interval moves one step.
    await act(async () => { await vi.advanceTimersByTimeAsync(500); });
    vi.useRealTimers();
    await waitFor(() => expect(useAppStore.getState().cursor).toBe(1));
    fireEvent.keyDown(window, { key: ' ' });
    expect(useAppStore.getState().playing).toBe(false);
  });
});

describe('keyboard help', () => {
  it('opens on ?, keeps focus inside, and closes on Escape, giving focus back', async () => {
    openAt('?scenario=block-2m&step=0');
    await waitFor(() => expect(useAppStore.getState().status).toBe('ready'));
    const opener = screen.getByRole('button', { name: 'Step forward' });
    opener.focus();
    fireEvent.keyDown(window, { key: '?', shiftKey: true });
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard' });
    expect(dialog.textContent).toContain('Play / pause');
    expect(dialog.textContent).toContain('Stream table');
    const close = screen.getByRole('button', { name: 'Close' });
    expect(document.activeElement).toBe(close);
    // Close is the only control: Tab stays on it.
    fireEvent.keyDown(close, { key: 'Tab' });
    expect(document.activeElement).toBe(close);
    // Arrows do not step while the dialog is open.
    fireEvent.keyDown(close, { key: 'ArrowRight' });
    fireEvent.keyDown(close, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(opener);
    expect(useAppStore.getState().cursor).toBe(0);
  });

  it('digits jump to views: 8 opens the decoder, 5 selects the event queue', async () => {
    openAt('?scenario=smmu-stage1-dma&step=0');
    await waitFor(() => expect(useAppStore.getState().status).toBe('ready'));
    fireEvent.keyDown(window, { key: '5' });
    expect(useAppStore.getState().smmuTab).toBe('events');
    fireEvent.keyDown(window, { key: '8' });
    expect(useAppStore.getState().mode).toBe('decoder');
    fireEvent.keyDown(window, { key: '1' });
    expect(useAppStore.getState().mode).toBe('scenario');
  });
});
