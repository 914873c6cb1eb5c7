// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Scenario } from '../../../src/scenario/index.ts';
import { EditorPage } from '../../../src/ui/editor/EditorPage.tsx';
import { resetEditorStore, selectDraft, useEditorStore } from '../../../src/ui/editor/editorStore.ts';
import { domId } from '../../../src/ui/editor/fieldText.ts';
import { flushWork, startEditorSession } from '../../../src/ui/editor/session.ts';

let stop: (() => Promise<void>) | undefined;
const notices: string[] = [];

async function startSession() {
  stop = await startEditorSession({ notify: (_tone, text) => notices.push(text), autosaveDelayMs: 5 });
}

const input = (path: string) => {
  const element = document.getElementById(domId(path));
  if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement)) throw new Error(`no input for ${path}`);
  return element;
};
const fieldBox = (path: string) => document.querySelector(`[data-path="${path}"]`) as HTMLElement;

function addStep(kind: string) {
  fireEvent.change(screen.getByLabelText('New step'), { target: { value: kind } });
  fireEvent.click(screen.getByRole('button', { name: 'Add step' }));
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  resetEditorStore();
  notices.length = 0;
});

afterEach(async () => {
  cleanup();
  await stop?.();
  stop = undefined;
});

describe('the scenario editor', () => {
  it('builds a scenario step by step, shows a bad hex value next to its field, and clears it when fixed', async () => {
    await startSession();
    const onRun = vi.fn<(s: Scenario) => void>();
    render(<EditorPage onRun={onRun} />);
    addStep('pgtable.create');
    addStep('pgtable.map');
    addStep('walk');
    await waitFor(() => expect(screen.getByTestId('editor-summary').textContent).toMatch(/No problems/));
    expect(screen.getByTestId('editor-step-1').getAttribute('aria-current')).toBeNull();
    fireEvent.click(screen.getByTestId('editor-step-1'));
    expect(input('steps[1].table').value).toBe('t0');

    fireEvent.change(input('steps[1].iova'), { target: { value: '0x12g4' } });
    await waitFor(() => expect(within(fieldBox('steps[1].iova')).getByTestId('field-issues').textContent).toMatch(/must be a hex string like "0x1000".*\(got "0x12g4"\)/));
    expect(input('steps[1].iova').value).toBe('0x12g4');
    expect(input('steps[1].iova').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('editor-summary').textContent).toMatch(/1 problem to fix/);
    expect(within(screen.getByTestId('editor-step-1')).getByLabelText('1 problem')).toBeTruthy();
    // Run refuses, saying why, and runs nothing.
    fireEvent.click(screen.getByRole('button', { name: /Run/ }));
    expect(screen.getByTestId('editor-status').textContent).toMatch(/Fix the 1 problem/);
    expect(onRun).not.toHaveBeenCalled();

    fireEvent.change(input('steps[1].iova'), { target: { value: '0x0000_0000_ffff_f000' } });
    await waitFor(() => expect(within(fieldBox('steps[1].iova')).queryByTestId('field-issues')).toBeNull());
    expect(input('steps[1].iova').getAttribute('aria-invalid')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /Run/ }));
    expect(onRun).toHaveBeenCalledTimes(1);
    expect(onRun.mock.calls[0]?.[0].steps.map((s) => s.kind)).toEqual(['pgtable.create', 'pgtable.map', 'walk']);
  });

  it('undoes a field\'s typing as one edit with Ctrl+Z and redoes it with Ctrl+Shift+Z and Ctrl+Y', async () => {
    await startSession();
    render(<EditorPage onRun={() => undefined} />);
    addStep('pgtable.create');
    fireEvent.change(input('steps[0].name'), { target: { value: 'd' } });
    fireEvent.change(input('steps[0].name'), { target: { value: 'dev0' } });
    fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    expect(input('steps[0].name').value).toBe('t0');
    fireEvent.keyDown(window, { key: 'Z', ctrlKey: true, shiftKey: true });
    expect(input('steps[0].name').value).toBe('dev0');
    fireEvent.keyDown(window, { key: 'z', metaKey: true });
    fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    expect(screen.queryByTestId('editor-step-0')).toBeNull();
    fireEvent.keyDown(window, { key: 'y', ctrlKey: true });
    fireEvent.click(screen.getByRole('button', { name: 'Redo' }));
    expect(input('steps[0].name').value).toBe('dev0');
  });

  it('edits an STE field by field, with the field\'s width in the message when a value does not fit', async () => {
    await startSession();
    render(<EditorPage onRun={() => undefined} />);
    addStep('smmu.probe');
    addStep('smmu.writeSte');
    fireEvent.change(screen.getByLabelText('Add a field'), { target: { value: 'S1CDMax' } });
    fireEvent.change(input('steps[1].fields.S1CDMax'), { target: { value: '40' } });
    await waitFor(() => expect(within(fieldBox('steps[1].fields.S1CDMax')).getByTestId('field-issues').textContent).toMatch(/40 does not fit in 5 bits \[63:59\]/));
    expect(fieldBox('steps[1].fields.S1CDMax').textContent).toContain('q0 [63:59]');
    fireEvent.change(input('steps[1].fields.S1CDMax'), { target: { value: '0x1f' } });
    await waitFor(() => expect(screen.getByTestId('editor-summary').textContent).toMatch(/No problems/));
    expect((selectDraft(useEditorStore.getState()).steps as { fields: Record<string, unknown> }[])[1]?.fields.S1CDMax).toBe('0x1f');
  });

  it('keeps JSON that does not parse as typed, with its line and column', async () => {
    await startSession();
    render(<EditorPage onRun={() => undefined} />);
    fireEvent.click(screen.getByRole('tab', { name: 'JSON' }));
    const text = '{\n  "format": "iommu-visualizer-scenario",\n  "version": 1,\n  "title": "T",\n  "steps": [],\n}';
    fireEvent.change(screen.getByTestId('editor-json'), { target: { value: text } });
    expect((screen.getByTestId('editor-json') as HTMLTextAreaElement).value).toBe(text);
    expect(screen.getByTestId('editor-json-errors').textContent).toMatch(/line 6, column 1/);
    fireEvent.change(screen.getByTestId('editor-json'), { target: { value: text.replace('[],', '[]') } });
    await waitFor(() => expect(screen.queryByTestId('editor-json-errors')).toBeNull());
    expect(selectDraft(useEditorStore.getState()).title).toBe('T');
  });

  it('restores unsaved work with its undo history after a reload, and says so', async () => {
    await startSession();
    const first = render(<EditorPage onRun={() => undefined} />);
    addStep('pgtable.create');
    fireEvent.change(input('steps[0].name'), { target: { value: 'restored' } });
    await act(() => flushWork());
    first.unmount();
    await stop?.();
    // A reload: a new store, the same browser storage.
    resetEditorStore();
    await startSession();
    render(<EditorPage onRun={() => undefined} />);
    expect(screen.getByTestId('editor-status').textContent).toMatch(/Restored your unsaved work/);
    expect(notices.some((n) => n.includes('was kept; press Edit'))).toBe(true);
    expect(input('steps[0].name').value).toBe('restored');
    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    expect(input('steps[0].name').value).toBe('t0');
  });

  it('saves under a name, lists it, and opens it again', async () => {
    await startSession();
    render(<EditorPage onRun={() => undefined} />);
    addStep('pgtable.create');
    fireEvent.click(screen.getByRole('button', { name: 'Save as…' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'My table' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Open My table' })).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'New' }));
    expect(screen.queryByTestId('editor-step-0')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Open My table' }));
    expect(screen.getByTestId('editor-step-0').textContent).toContain('pgtable.create t0');
  });

  it('says once that the browser\'s storage cannot be used, and keeps working in memory', async () => {
    stop = await startEditorSession({
      open: () => Promise.reject(new DOMException('The operation is insecure.', 'SecurityError')),
      notify: (_tone, text) => notices.push(text),
      autosaveDelayMs: 5,
    });
    render(<EditorPage onRun={() => undefined} />);
    expect(screen.getByTestId('editor-storage').textContent).toMatch(/IndexedDB\) cannot be used \(SecurityError: The operation is insecure\.\).*this tab only/);
    expect(notices).toHaveLength(1);
    addStep('walk');
    fireEvent.click(screen.getByRole('button', { name: 'Save as…' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'In memory' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Open In memory' })).toBeTruthy());
    expect(notices).toHaveLength(1);
  });
});
