// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppController } from '../../../src/app/controller.ts';
import { builtinScenarios } from '../../../src/scenario/index.ts';
import { resetAppStore, useAppStore } from '../../../src/store/appStore.ts';
import { Inspector } from '../../../src/ui/inspector/Inspector.tsx';
import { Timeline } from '../../../src/ui/shell/Timeline.tsx';
import { hexGrouped } from '../../../src/ui/format.ts';
import { WalkDiagram } from '../../../src/ui/walk/WalkDiagram.tsx';
import { InProcessHost } from '../../../src/worker/in-process-host.ts';
import { firstSuccessfulWalk, walksOf } from './realWalk.ts';

const hex = (text: string | null): bigint => BigInt((text ?? '').replace(/_/g, ''));

/** The inspector's row for one descriptor field; its header cell holds the name and the meaning. */
function fieldRow(name: string): HTMLElement {
  const row = screen.getByRole('table', { name: /^Fields of the level/ }).querySelector<HTMLElement>(`tr[data-field="${name}"]`);
  if (!row) throw new Error(`no row for ${name}`);
  expect(within(row).getByRole('rowheader').textContent).toMatch(new RegExp(`^${name.replace(/[()]/g, '\\$&')}`));
  return row;
}

beforeEach(() => resetAppStore());
afterEach(cleanup);

describe('WalkDiagram', () => {
  it.each(['walk-4k-page', 'walk-16k-page', 'walk-64k-page', 'block-2m'])(
    '%s: shows every index field and the PA the scenario mapping gives',
    (id) => {
      const { result, expectedPa } = firstSuccessfulWalk(id);
      const { container } = render(<WalkDiagram walk={result} table="dev0" replayKey={1} inspectedLevel={undefined} onInspect={() => undefined} />);
      const labels = [...container.querySelectorAll('.field-label')].map((e) => e.textContent);
      for (const step of result.steps) {
        const [msb, lsb] = step.indexBits;
        expect(labels).toContain(msb === lsb ? `L${step.level} [${msb}]` : `L${step.level} [${msb}:${lsb}]`);
      }
      expect(labels[labels.length - 1]).toMatch(/^Offset \[\d+:0\]$/);
      expect(hex(screen.getByTestId('walk-pa').textContent)).toBe(expectedPa);
      expect(hex(screen.getByTestId('walk-input').textContent)).toBe(result.input);
      expect(screen.getByTestId('walk-summary').textContent).toContain('Output address (PA)');
      // One table per level read, each with its base and the indexed entry highlighted.
      expect(container.querySelectorAll('.table-stage')).toHaveLength(result.steps.length);
      expect(screen.getByText('Levels numbered as in the Arm ARM', { exact: false })).toBeTruthy();
    },
  );

  it('says when a stage-1 walk is nested in stage 2: IPA from stage 1, PA from stage 2, and every stage-2 read', () => {
    const nested = walksOf('smmu-nested').find((w) => w.result.ipa !== undefined && w.result.output !== undefined);
    if (!nested) throw new Error('smmu-nested has a nested walk that reaches a PA');
    render(<WalkDiagram walk={nested.result} table="guest" nestedIn="vm0" replayKey={1} inspectedLevel={undefined} onInspect={() => undefined} />);
    // The stage-2 table vm0 maps the guest's RAM at IPA 0x8000_0000 to PA 0x2_0000_0000 (scenario step 3).
    const ipa = nested.address - 0x1000_0000n + 0x8000_0000n;
    expect(hex(screen.getByTestId('walk-ipa').textContent?.replace('IPA ', '') ?? '')).toBe(ipa);
    expect(hex(screen.getByTestId('walk-pa').textContent)).toBe(ipa - 0x8000_0000n + 0x2_0000_0000n);
    expect(screen.getByText(/Nested walk: every stage-1 table address/).textContent).toContain('vm0');
    // Stage 1 starts at level 1 (T0SZ = 25, 4KB): 3 levels. Each table page is a 4KB page of vm0, which starts at level 1
    // (S2SL0 = 1): 3 stage-2 reads per stage-1 read. The output IPA is in a 2MB block: 2 more reads.
    const expected = 3 * (3 + 1) + 2;
    expect(screen.getByTestId('walk-reads').textContent).toBe(`${expected} descriptor reads`);
    const table = screen.getByTestId('nested-reads');
    expect(table.querySelector('caption')?.textContent).toContain(`${expected} descriptor reads (3 stage 1 + ${expected - 3} stage 2)`);
    const rows = [...table.querySelectorAll('tbody tr')];
    expect(rows.map((r) => r.querySelector('th')?.textContent)).toEqual(['L1 descriptor', 'L2 descriptor', 'L3 descriptor', 'output']);
    // The last row is the output IPA's own stage-2 walk: L1 then the L2 block, to the PA.
    expect(rows[3]?.textContent).toMatch(/L1\[\d+\] → L2\[\d+\]/);
    expect(rows[3]?.textContent).toContain(hexGrouped(nested.result.output ?? 0n));
  });

  it('shows a permission fault at the level it arose, in place of the PA', () => {
    const fault = walksOf('permission-fault').find((w) => w.result.fault?.type === 'permission');
    if (!fault) throw new Error('permission-fault has a permission fault');
    const { container } = render(<WalkDiagram walk={fault.result} table="dev0" replayKey={1} inspectedLevel={undefined} onInspect={() => undefined} />);
    expect(screen.getByTestId('walk-fault').textContent).toBe('Permission fault');
    expect(container.querySelector('.fault-level')?.textContent).toBe(`at level ${fault.result.fault!.level}`);
    expect(screen.queryByTestId('walk-pa')).toBeNull();
    expect(container.querySelector(`.table-stage.faulted[data-level="${fault.result.fault!.level}"]`)).not.toBeNull();
  });

  it('selects a level when its table is clicked or activated from the keyboard', () => {
    const { result } = firstSuccessfulWalk('walk-4k-page');
    const picked: number[] = [];
    render(<WalkDiagram walk={result} table="dev0" replayKey={1} inspectedLevel={undefined} onInspect={(l) => picked.push(l)} />);
    fireEvent.click(screen.getByRole('button', { name: 'Inspect the level 1 descriptor' }));
    fireEvent.keyDown(screen.getByRole('button', { name: 'Inspect the level 2 descriptor' }), { key: 'Enter' });
    expect(picked).toEqual([1, 2]);
  });

  it('shows the final picture at once without matchMedia (no animation)', () => {
    const { result } = firstSuccessfulWalk('walk-4k-page');
    const { container } = render(<WalkDiagram walk={result} table="dev0" replayKey={1} inspectedLevel={undefined} onInspect={() => undefined} />);
    expect(container.querySelector('svg')?.getAttribute('data-reveal')).toBe('done');
  });
});

describe('Inspector', () => {
  it('decodes a table descriptor with the bit positions of its fields', () => {
    const { result } = firstSuccessfulWalk('walk-4k-page');
    const table = result.steps[0]!;
    render(<Inspector walk={result} step={table} onSelectLevel={() => undefined} />);
    const row = fieldRow;
    expect(within(row('Next-level table address')).getByText('[47:12]')).toBeTruthy();
    expect(hex(within(row('Next-level table address')).getAllByRole('cell')[1]!.textContent)).toBe(table.decoded!.address);
    for (const [name, bits] of [['NSTable', '[63]'], ['APTable', '[62:61]'], ['UXNTable', '[60]'], ['PXNTable', '[59]']]) {
      expect(within(row(name!)).getByText(bits!)).toBeTruthy();
    }
    expect(hex(screen.getByTestId('inspector-value').textContent)).toBe(table.descriptor);
  });

  it('decodes a page descriptor: OA, AttrIndx, NS, AP, SH, AF, nG, Contiguous, PXN, UXN', () => {
    const { result } = firstSuccessfulWalk('walk-4k-page');
    const page = result.steps[result.steps.length - 1]!;
    const picked: number[] = [];
    render(<Inspector walk={result} step={page} onSelectLevel={(l) => picked.push(l)} />);
    const expected: [string, string, string][] = [
      ['Output address (OA)', '[47:12]', ''],
      ['AttrIndx', '[4:2]', String(page.decoded!.AttrIndx)],
      ['NS', '[5]', String(page.decoded!.NS)],
      ['AP', '[7:6]', `0b${page.decoded!.AP!.toString(2).padStart(2, '0')}`],
      ['SH', '[9:8]', `0b${page.decoded!.SH!.toString(2).padStart(2, '0')}`],
      ['AF', '[10]', String(page.decoded!.AF)],
      ['nG', '[11]', String(page.decoded!.nG)],
      ['Contiguous', '[52]', String(page.decoded!.Contiguous)],
      ['PXN', '[53]', String(page.decoded!.PXN)],
      ['UXN', '[54]', String(page.decoded!.UXN)],
    ];
    for (const [name, bits, value] of expected) {
      const cells = within(fieldRow(name)).getAllByRole('cell');
      expect(cells[0]!.textContent).toBe(bits);
      if (value) expect(cells[1]!.textContent).toBe(value);
    }
    expect(hex(within(fieldRow('Output address (OA)')).getAllByRole('cell')[1]!.textContent)).toBe(page.decoded!.address);
    fireEvent.click(screen.getByRole('button', { name: 'L0: inspect the level 0 descriptor' }));
    expect(picked).toEqual([0]);
  });
});

describe('Timeline', () => {
  it('moves the cursor with the step buttons and the step list, through the engine host', async () => {
    const c = new AppController({ host: new InProcessHost(), scenarios: builtinScenarios });
    await act(() => c.open('walk-4k-page', 0));
    render(<Timeline onGoTo={(n) => void c.goTo(n)} onJumpToMark={(d) => void c.jumpToMark(d)} onTogglePlay={() => undefined} />);
    const counter = () => screen.getByTestId('step-counter').textContent;
    const count = useAppStore.getState().outline!.stepCount;
    expect(counter()).toBe(`Step 0 of ${count}`);
    expect((screen.getByRole('button', { name: 'Step back' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Step forward' }));
    await waitFor(() => expect(counter()).toBe(`Step 1 of ${count}`));
    fireEvent.click(screen.getByRole('button', { name: 'Step forward' }));
    await waitFor(() => expect(counter()).toBe(`Step 2 of ${count}`));
    fireEvent.click(screen.getByRole('button', { name: 'Step back' }));
    await waitFor(() => expect(counter()).toBe(`Step 1 of ${count}`));
    fireEvent.click(screen.getByRole('button', { name: new RegExp(`^Go to step ${count}:`) }));
    await waitFor(() => expect(counter()).toBe(`Step ${count} of ${count}`));
    expect((screen.getByRole('button', { name: 'Step forward' }) as HTMLButtonElement).disabled).toBe(true);
    expect(useAppStore.getState().cursor).toBe(count);
    c.dispose();
  });
});
