// @vitest-environment jsdom
/**
 * The comparison on the page: opened from the stage through the controller
 * and the in-process engine host, one table row per device and PASID with
 * the SMMU's CD and the VT-d PASID entry side by side, stepping updates both
 * sides, and closing it goes back to the diagram.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppController } from '../../../src/app/controller.ts';
import { builtinScenarios } from '../../../src/scenario/index.ts';
import { resetAppStore, useAppStore } from '../../../src/store/appStore.ts';
import { withCompare, wantsCompare } from '../../../src/ui/compare/compareUrl.ts';
import { StageView } from '../../../src/ui/shell/StageView.tsx';
import { InProcessHost } from '../../../src/worker/in-process-host.ts';

beforeEach(() => resetAppStore());
afterEach(cleanup);

async function opened(id: string, step: number) {
  const c = new AppController({ host: new InProcessHost(), scenarios: builtinScenarios });
  await act(() => c.open(id, step));
  render(<StageView onGoTo={(n) => void c.goTo(n)} onCompare={(open) => void c.showCompare(open)} />);
  return c;
}

/** The comparison is loaded on demand (a lazy chunk): give it time on a busy machine. */
const find = (id: string) => screen.findByTestId(id, undefined, { timeout: 10_000 });

/** The row of a device and PASID, once the page shows it (the store can be ahead of the render). */
async function row(device: string, pasid: number): Promise<HTMLElement> {
  await find('compare');
  return waitFor(() => {
    const el = screen.getByTestId('compare').querySelector<HTMLElement>(`tbody[data-device="${device}"] tr[data-pasid="${pasid}"]`);
    if (!el) throw new Error(`no row for ${device} PASID ${pasid}`);
    return el;
  }, { timeout: 10_000 });
}

describe('the SMMUv3 / VT-d comparison', () => {
  it('opens from the stage and puts CD 1 and PASID entry 1 of the bound device in one row', async () => {
    const c = await opened('compare-smmu-vtd', 9);
    fireEvent.click(await find('compare-open'));
    await waitFor(() => expect(useAppStore.getState().compare?.available).toBe(true), { timeout: 10_000 });
    const cells = within(await row('acc', 1)).getAllByRole('cell');
    expect(cells).toHaveLength(2);
    expect(within(cells[0]!).getByTestId('smmu-cd-512-1').textContent).toMatch(/CD 1.*ASID.*TTB0/);
    expect(within(cells[1]!).getByTestId('vtd-pasid-512-1').textContent).toMatch(/PASID entry 1first-stage.*PGTT1.*FLPTR.*DID1/);
    expect(within(cells[1]!).getByText("mm1's address space, through sva:mm1 (SVA)")).toBeTruthy();
    expect(within(screen.getByTestId('compare-differences')).getByRole('rowheader', { name: 'Where SVA attaches' })).toBeTruthy();
    expect(screen.getByTestId('compare-kernel-same').textContent).toMatch(/^The same on both IOMMUs: 6 groups/);

    // Stepping moves both sides: after the unbind, PASID 1 is gone from both columns and from the rows.
    await act(() => c.goTo(17));
    await waitFor(() => expect(useAppStore.getState().compare?.step).toBe(17), { timeout: 10_000 });
    await waitFor(() => expect(screen.getByTestId('compare').querySelector('tbody[data-device="acc"] tr[data-pasid="1"]')).toBeNull(), { timeout: 10_000 });
    expect(within(screen.getByTestId('compare-differences')).getByRole('rowheader', { name: 'The invalidations this step needed' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Back to the diagram' }));
    await waitFor(() => expect(screen.queryByTestId('compare')).toBeNull());
    expect(useAppStore.getState().compareOpen).toBe(false);
  });

  it('shows the findings where the two kernels part (linux-nested-iommufd)', async () => {
    const c = await opened('linux-nested-iommufd', 0);
    await act(() => c.showCompare(true));
    await act(() => c.goTo(15));
    await waitFor(() => expect(useAppStore.getState().compare?.step).toBe(15), { timeout: 10_000 });
    const findings = await find('compare-findings');
    expect(within(findings).getByText(/^Where the two runs part/).textContent).toMatch(/\(\d+\)/);
    // The vIOMMU calls are arm-smmu-v3's uAPI: the VT-d side skips them, and then has no domain "nested" to attach.
    expect(findings.textContent).toMatch(/iommu_attach_group returned 0.*refused: no domain named "nested"/);
    expect((await row('vf0', 0)).textContent).toMatch(/the guest, through nested \(NESTED\)/);
  });

  it('offers no comparison button for a scenario that does not boot Linux, and says why when asked anyway', async () => {
    const c = await opened('walk-4k-page', 1);
    await waitFor(() => expect(document.querySelector('.stage-body')).not.toBeNull());
    expect(screen.queryByTestId('compare-open')).toBeNull();
    await act(() => c.showCompare(true));
    expect((await find('compare-unavailable')).textContent).toMatch(/does not boot Linux/);
  });
});

describe('?view=compare', () => {
  it('is read from the query and written back with the other parameters kept', () => {
    expect(wantsCompare('?scenario=compare-smmu-vtd&view=compare')).toBe(true);
    expect(wantsCompare('?scenario=compare-smmu-vtd&view=stage')).toBe(false);
    expect(withCompare('?scenario=x&step=3', true)).toBe('?scenario=x&step=3&view=compare');
    expect(withCompare('?scenario=x&view=compare&step=3', false)).toBe('?scenario=x&step=3');
    expect(withCompare('?view=other', false)).toBe('?view=other');
  });
});
