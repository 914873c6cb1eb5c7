// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/app/App.tsx';
import { resetAppStore, useAppStore } from '../../../src/store/appStore.ts';
import { InProcessHost } from '../../../src/worker/in-process-host.ts';
import { firstSuccessfulWalk } from './realWalk.ts';

const inProcess = () => new InProcessHost();
const hex = (text: string | null): bigint => BigInt((text ?? '').replace(/_/g, ''));

function openAt(search: string) {
  window.history.replaceState(null, '', `/${search}`);
  return render(<App createHost={inProcess} />);
}

beforeEach(() => resetAppStore());
afterEach(cleanup);

describe('App', () => {
  it('opens the default scenario at its first walk and shows the PA its mapping gives', async () => {
    const { step, expectedPa } = firstSuccessfulWalk('walk-4k-page');
    openAt('');
    await waitFor(() => expect(screen.getByTestId('walk-pa')).toBeTruthy());
    expect(hex(screen.getByTestId('walk-pa').textContent)).toBe(expectedPa);
    expect(screen.getByTestId('step-counter').textContent).toMatch(new RegExp(`^Step ${step} of`));
    // The address follows once stepping pauses (src/app/addressBar.ts).
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('step')).toBe(String(step)));
    expect(screen.getByRole('heading', { name: 'IOMMU Visualizer' })).toBeTruthy();
  });

  it('steps with the arrow keys, but not while the scenario picker has focus', async () => {
    openAt('?scenario=block-2m&step=1');
    await waitFor(() => expect(useAppStore.getState().cursor).toBe(1));
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    await waitFor(() => expect(useAppStore.getState().cursor).toBe(2));
    fireEvent.keyDown(window, { key: 'ArrowLeft' });
    await waitFor(() => expect(useAppStore.getState().cursor).toBe(1));
    // Ignored on the select (it changes the option there); the next arrow on the page then moves one step, not two.
    fireEvent.keyDown(screen.getByLabelText('Scenario'), { key: 'ArrowRight' });
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    await waitFor(() => expect(useAppStore.getState().cursor).toBe(2));
    expect(screen.getByTestId('step-counter').textContent).toMatch(/^Step 2 of/);
  });

  it('names an unknown scenario from the link and opens the default one', async () => {
    openAt('?scenario=no-such-lesson');
    await waitFor(() => expect(screen.getByText(/no built-in scenario "no-such-lesson"/)).toBeTruthy());
    await waitFor(() => expect((screen.getByLabelText('Scenario') as HTMLSelectElement).value).toBe('walk-4k-page'));
  });

  it('switches scenario from the picker and the theme from its toggle', async () => {
    openAt('?scenario=walk-4k-page&step=0');
    await waitFor(() => expect(useAppStore.getState().status).toBe('ready'));
    fireEvent.change(screen.getByLabelText('Scenario'), { target: { value: 'walk-64k-page' } });
    const { expectedPa } = firstSuccessfulWalk('walk-64k-page');
    await waitFor(() => expect(hex(screen.getByTestId('walk-pa').textContent)).toBe(expectedPa));
    fireEvent.click(screen.getByRole('button', { name: 'Switch to dark theme' }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(screen.getByRole('button', { name: 'Switch to light theme' })).toBeTruthy();
  });

  it('shows what a map step wrote: entries and memory writes', async () => {
    openAt('?scenario=walk-4k-page&step=2');
    await waitFor(() => expect(screen.getByRole('table', { name: 'Memory writes' })).toBeTruthy());
    const entries = screen.getByRole('table', { name: 'Entries written' });
    expect(entries.querySelectorAll('tbody tr').length).toBeGreaterThan(0);
    expect(screen.getByRole('table', { name: 'Memory writes' }).textContent).toContain('→');
  });
});
