// @vitest-environment jsdom
/**
 * The import page in jsdom: the sample buttons, the problem list by line,
 * and the address bar. The browser test (test/e2e/importer.e2e.ts) covers
 * the same in Chromium, with screenshots.
 */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportPage } from '../../../src/ui/importer/ImportPage.tsx';
import { fixture, sample } from './load.ts';

beforeEach(() => window.history.replaceState(null, '', '/'));
afterEach(cleanup);

describe('ImportPage', () => {
  it('loads a sample from its button and draws one box per group', () => {
    render(<ImportPage />);
    expect(screen.getByTestId('import-detected').textContent).toBe('Nothing pasted yet.');
    fireEvent.click(screen.getByRole('button', { name: 'Desktop: IOMMU groups + lspci' }));
    expect((screen.getByLabelText('The dump') as HTMLTextAreaElement).value).toBe(sample('groups-desktop'));
    const groups = new Set([...sample('groups-desktop').matchAll(/iommu_groups\/(\d+)\//g)].map((m) => m[1]));
    expect(screen.getAllByTestId('import-group')).toHaveLength(groups.size);
    expect(screen.getByTestId('import-consequences').textContent).toContain('which driver');
  });

  it('lists unreadable lines by number, text and reason, next to what parsed', () => {
    render(<ImportPage />);
    fireEvent.change(screen.getByLabelText('The dump'), { target: { value: fixture('vtd-malformed.txt') } });
    const problems = screen.getByTestId('import-problems');
    const item = problems.querySelector('li[data-line="4"]') as HTMLElement;
    expect(within(item).getByText(/^line 4$/)).toBeTruthy();
    expect(item.textContent).toContain('0x000000010a61100g');
    expect(item.textContent).toContain('the Context_entry column');
    expect(screen.getAllByTestId('import-context-row').map((r) => r.dataset.bdf)).toEqual(['00:14.0', '00:16.0']);
    expect(screen.getAllByTestId('import-domain')).toHaveLength(1);
  });

  it('says when the text is refused for its size, and keeps the page working', () => {
    render(<ImportPage />);
    fireEvent.change(screen.getByLabelText('The dump'), { target: { value: 'x'.repeat(2 * 1024 * 1024 + 1) } });
    expect(screen.getByTestId('import-detected').textContent).toMatch(/^The text is 2\.0 MB long/);
    fireEvent.click(screen.getByRole('button', { name: 'VT-d legacy mode' }));
    expect(screen.getByTestId('import-detected').textContent).toMatch(/^Recognised: VT-d dmar_translation_struct/);
  });

  it('opens the sample a link names, keeps ?import while open and drops it on leaving', () => {
    window.history.replaceState(null, '', '/?import=vtd-scalable&scenario=walk-4k-page');
    const { unmount } = render(<ImportPage />);
    expect(screen.getAllByTestId('import-pasid-row').length).toBeGreaterThan(0);
    expect(new URLSearchParams(window.location.search).has('import')).toBe(true);
    unmount();
    expect(window.location.search).toBe('?scenario=walk-4k-page');
  });
});
