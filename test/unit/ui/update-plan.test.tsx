// @vitest-environment jsdom
/**
 * The live STE update as a sequence the user steps through: the stores and
 * syncs of the engine's plan, the qword each store writes, what the SMMU
 * would see at each point, and the hitless verdict — for the built-in lesson
 * and for an update that has to clear V.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetAppStore, useAppStore } from '../../../src/store/appStore.ts';
import { selectUpdateStep } from '../../../src/store/selectors.ts';
import { UpdatePlan } from '../../../src/ui/update/UpdatePlan.tsx';
import { hex64 } from '../../../src/ui/format.ts';
import { runTo, scenarioFrom, scenarioOf, stepsOfKind, updateAt, type UpdateEvent } from './smmuRun.ts';

beforeEach(() => resetAppStore());
afterEach(cleanup);

/** Renders the plan and re-renders it as the store's sub-step moves, as StageView does. */
function Harness({ event }: { event: UpdateEvent }) {
  return <UpdatePlan event={event} features={undefined} position={useAppStore(selectUpdateStep)} />;
}

const position = () => screen.getByTestId('update-position').textContent;
const seen = () => screen.getByTestId('update-seen').textContent ?? '';

describe('UpdatePlan', () => {
  it('smmu-hitless-update, abort to bypass: every store and sync, stepped through, V never cleared', () => {
    const s = scenarioOf('smmu-hitless-update');
    const step = stepsOfKind(s, 'smmu.updateSte')[0]!;
    const event = updateAt(runTo(s, step));
    const plan = event.update.plan;
    render(<Harness event={event} />);
    expect(screen.getByRole('heading', { level: 3 }).textContent).toBe(`STE ${event.sid} updated: abort → bypass`);
    expect(screen.getByTestId('update-hitless').textContent).toBe('hitless: V never cleared');
    // One list entry per store or sync, plus "before".
    expect(screen.getByRole('list', { name: "The driver's stores and syncs" }).querySelectorAll('li')).toHaveLength(plan.steps.length + 1);
    // By default the whole update has run: the SMMU sees the new bypass STE.
    expect(position()).toBe(`Sync: step ${plan.steps.length} of ${plan.steps.length}`);
    expect(seen()).toMatch(/bypass/);

    fireEvent.click(screen.getByRole('button', { name: /^Step 0|before/ }));
    expect(position()).toBe('Before the first store');
    expect(seen()).toMatch(/abort/);
    // Forward through the plan: each store highlights its qword with the value the plan stores.
    for (const [i, planned] of plan.steps.entries()) {
      fireEvent.click(screen.getByRole('button', { name: 'Next store or sync' }));
      expect(position()).toMatch(new RegExp(`step ${i + 1} of`));
      const written = document.querySelector('tr.is-written');
      if (planned.kind === 'write') {
        expect(written?.getAttribute('data-qword')).toBe(String(planned.qword));
        expect(written?.querySelector('td.new')?.textContent).toBe(hex64(planned.value));
      } else {
        expect(written).toBeNull();
        expect(screen.getByText(/^Sync: CMD_CFGI_STE \+ CMD_SYNC/)).toBeTruthy();
      }
      // Hitless: at every point the SMMU sees a valid STE, the old one or the new one.
      expect(seen()).toMatch(/abort|bypass/);
    }
    expect(screen.getByRole('button', { name: 'Next store or sync' }).hasAttribute('disabled')).toBe(true);
  });

  it('an update that changes the CD table pointer and S1DSS together clears V first: not hitless, and the SMMU sees C_BAD_STE in between', () => {
    const s = scenarioFrom({
      format: 'iommu-visualizer-scenario', version: 1, title: 'a breaking update', steps: [
        { kind: 'smmu.probe', preset: 'full', streamTable: 'linear' },
        { kind: 'smmu.updateSte', sid: 1, fields: { V: 1, Config: 5, S1ContextPtr: '0x9000_0000', S1CDMax: 0, S1DSS: 0, S1CIR: 1, S1COR: 1, S1CSH: 3 } },
        { kind: 'smmu.updateSte', sid: 1, fields: { V: 1, Config: 5, S1ContextPtr: '0x9100_0000', S1CDMax: 4, S1DSS: 1, S1CIR: 1, S1COR: 1, S1CSH: 3 } },
      ],
    });
    const event = updateAt(runTo(s, 3));
    render(<Harness event={event} />);
    expect(screen.getByTestId('update-hitless').textContent).toBe('not hitless: V cleared first');
    act(() => useAppStore.setState({ updateStep: 1 }));
    // The first store is qword 0 = 0: V cleared.
    expect(document.querySelector('tr.is-written')?.getAttribute('data-qword')).toBe('0');
    expect(document.querySelector('tr.is-written td.new')?.textContent).toBe(hex64(0n));
    expect(seen()).toMatch(/C_BAD_STE: V = 0/);
    expect(screen.getAllByText('invalid').length).toBeGreaterThan(0);
  });
});
