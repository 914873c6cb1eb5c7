// @vitest-environment jsdom
/**
 * The SMMU state panels in the whole app, driven through the in-process
 * host: the stream table and its inspector, the CD table, the caches with
 * the stale lesson, and the event queue's jump to the step that raised a
 * record.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/app/App.tsx';
import { AppController } from '../../../src/app/controller.ts';
import { resetAppStore, useAppStore } from '../../../src/store/appStore.ts';
import { hexGrouped } from '../../../src/ui/format.ts';
import { SmmuPanels } from '../../../src/ui/smmu/SmmuPanels.tsx';
import { InProcessHost } from '../../../src/worker/in-process-host.ts';
import { hexOf, scenarioFrom, scenarioOf, stepsOfKind, TWO_LEVEL } from './smmuRun.ts';

beforeEach(() => resetAppStore());
afterEach(cleanup);

function openAt(search: string) {
  window.history.replaceState(null, '', `/${search}`);
  return render(<App createHost={() => new InProcessHost()} />);
}

const atStep = (n: number) => waitFor(() => expect(useAppStore.getState().cursor).toBe(n));

describe('SMMU panels in the app', () => {
  it('selects an STE in the stream table: the inspector shows it, the CD table lists its CD', async () => {
    const s = scenarioOf('smmu-stage1-dma');
    const step = stepsOfKind(s, 'smmu.writeCd')[0]!;
    const ste = s.steps[stepsOfKind(s, 'smmu.writeSte')[0]! - 1];
    const cd = s.steps[step - 1];
    if (ste?.kind !== 'smmu.writeSte' || cd?.kind !== 'smmu.writeCd') throw new Error('STE and CD steps');
    openAt(`?scenario=smmu-stage1-dma&step=${step}`);
    await atStep(step);
    const list = await screen.findByRole('listbox', { name: /Stream table entries, 256 StreamIDs/ });
    fireEvent.click(within(list).getAllByRole('option')[ste.sid]!);
    const inspector = await screen.findByTestId('entry-inspector');
    expect(within(inspector).getByRole('heading', { level: 3 }).textContent).toBe(`STE ${ste.sid} in the stream table`);
    expect(inspector.querySelector('tr[data-field="S1ContextPtr"] td.value-cell')?.textContent).toBe(hexGrouped(hexOf(String(ste.fields.S1ContextPtr))));
    expect(inspector.querySelector('tr[data-field="Config"]')?.textContent).toContain('stage 1 translate');
    // Arrow keys in the list move the selection, and the inspector follows.
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    await waitFor(() => expect(within(screen.getByTestId('entry-inspector')).getByRole('heading', { level: 3 }).textContent).toBe(`STE ${ste.sid + 1} in the stream table`));
    fireEvent.keyDown(list, { key: 'ArrowUp' });

    fireEvent.click(screen.getByRole('tab', { name: /CD table/ }));
    const cdTable = await screen.findByTestId('cd-table');
    const row = cdTable.querySelector('tr[data-ssid="0"]');
    expect(row?.textContent).toContain(hexGrouped(hexOf(String(cd.fields.TTB0))));
    fireEvent.click(within(cdTable).getByRole('button', { name: 'Inspect CD 0' }));
    await waitFor(() => expect(within(screen.getByTestId('entry-inspector')).getByRole('heading', { level: 3 }).textContent).toBe(`CD 0 of StreamID ${ste.sid}`));
    expect(screen.getByTestId('entry-inspector').querySelector('tr[data-field="ASID"] td.value-cell')?.textContent).toBe(String(cd.fields.ASID));
    // "Open in the decoder" carries the words across.
    fireEvent.click(screen.getByRole('button', { name: 'Open in the decoder' }));
    expect(useAppStore.getState().mode).toBe('decoder');
    expect(await screen.findByTestId('decoder-verdict')).toBeTruthy();
    expect((screen.getByTestId('decoder-input') as HTMLTextAreaElement).value.split('\n')[1]).toBe(`0x${hexOf(String(cd.fields.TTB0)).toString(16).padStart(16, '0')}`);
  });

  it('smmu-stale-iotlb: the caches tab marks the IOTLB entry stale after the remap and drops it after the TLBI', async () => {
    const s = scenarioOf('smmu-stale-iotlb');
    const tlbi = stepsOfKind(s, 'smmu.commands').at(-1)!;
    openAt(`?scenario=smmu-stale-iotlb&step=${tlbi - 1}`);
    await atStep(tlbi - 1);
    fireEvent.click(await screen.findByRole('tab', { name: /Caches/ }));
    expect(screen.getByRole('tab', { name: /Caches/ }).textContent).toContain('1 stale');
    const staleRows = () => screen.getByTestId('iotlb').querySelectorAll('tbody tr[data-stale="true"]');
    expect(staleRows()).toHaveLength(1);
    const remap = s.steps[stepsOfKind(s, 'pgtable.map').at(-1)! - 1];
    if (remap?.kind !== 'pgtable.map') throw new Error('a remap');
    expect(staleRows()[0]?.textContent).toContain(hexGrouped(hexOf(remap.paddr)));
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    await atStep(tlbi);
    await waitFor(() => expect(screen.getByTestId('iotlb').querySelector('caption')?.textContent).toMatch(/^IOTLB: 0 entries/));
    expect(screen.getByTestId('iotlb').querySelectorAll('tbody tr[data-stale="true"]')).toHaveLength(0);
  });

  it('scrolls a 65,536-entry 2-level stream table, rendering only the rows in view', async () => {
    const c = new AppController({ host: new InProcessHost(), scenarios: [{ id: 'two-level', scenario: TWO_LEVEL }] });
    await c.open('two-level', TWO_LEVEL.steps.length);
    render(<SmmuPanels onGoTo={(n) => void c.goTo(n)} onWindow={(f, n) => void c.showStreams(f, n)} onPickStream={(sid) => void c.pickStream(sid)} />);
    const list = screen.getByRole('listbox', { name: /65536 StreamIDs/ });
    expect(within(list).getAllByRole('option').length).toBeLessThan(20);
    expect(screen.getByTestId('l1-table').querySelectorAll('tbody tr')).toHaveLength(2);
    // The L1 descriptor's StreamID range jumps the list there; the worker is asked for those rows.
    fireEvent.click(within(screen.getByTestId('l1-table')).getByRole('button', { name: /4,608/ }));
    // The L2 table's other STEs are the abort STEs a new L2 table starts with (arm_smmu_init_initial_stes).
    await waitFor(() => expect(list.querySelector('[data-sid="4608"]')?.textContent).toContain('abort'));
    fireEvent.change(screen.getByLabelText('Go to StreamID'), { target: { value: '4660' } });
    fireEvent.keyDown(screen.getByLabelText('Go to StreamID'), { key: 'Enter' });
    await waitFor(() => expect(list.querySelector('[data-sid="4660"]')?.textContent).toContain('bypass'));
    expect(list.querySelector('[data-sid="4660"]')?.getAttribute('aria-selected')).toBe('true');
    expect(within(list).getAllByRole('option').length).toBeLessThan(20);
    expect(useAppStore.getState().viewRequest.streams.first).toBeGreaterThan(4000);
    c.dispose();
  });

  it('the event queue links each record to its step: the button takes the timeline there', async () => {
    const base = scenarioOf('smmu-stage1-dma');
    const faulting = stepsOfKind(base, 'smmu.dma').at(-1)!;
    // One more step after the fault, so the record is in the queue while another step is shown.
    const scenario = scenarioFrom({ ...base, steps: [...base.steps, base.steps[stepsOfKind(base, 'smmu.dma')[0]! - 1]] });
    const c = new AppController({ host: new InProcessHost(), scenarios: [{ id: 'longer', scenario }] });
    await c.open('longer', scenario.steps.length);
    render(<SmmuPanels onGoTo={(n) => void c.goTo(n)} onWindow={() => undefined} onPickStream={() => undefined} />);
    fireEvent.click(screen.getByRole('tab', { name: /Event queue/ }));
    const queue = screen.getByTestId('event-queue');
    expect(queue.querySelector('.record-name')?.textContent).toBe('F_TRANSLATION');
    fireEvent.click(within(queue).getByRole('button', { name: `Go to step ${faulting}, which raised this F_TRANSLATION` }));
    await atStep(faulting);
    c.dispose();
  });

  it('tabs move with the arrow keys without stepping the timeline', async () => {
    openAt('?scenario=smmu-stage1-dma&step=7');
    await atStep(7);
    const tab = await screen.findByRole('tab', { name: /Stream table/ });
    fireEvent.keyDown(tab, { key: 'ArrowRight' });
    expect(useAppStore.getState().smmuTab).toBe('cds');
    expect(useAppStore.getState().cursor).toBe(7);
  });
});
