// @vitest-environment jsdom
/**
 * The DMA path with the engine's real outcomes: each row must say what the
 * scenario file says the SMMU does (the PA its mapping gives, the hit, the
 * event record with the access of the step), not what the UI imagines.
 */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetAppStore, useAppStore } from '../../../src/store/appStore.ts';
import { DmaPath } from '../../../src/ui/dma/DmaPath.tsx';
import { hexGrouped } from '../../../src/ui/format.ts';
import { dmaAt, hexOf, runTo, scenarioFrom, scenarioOf, stepsOfKind, type Shown } from './smmuRun.ts';

beforeEach(() => resetAppStore());
afterEach(cleanup);

function renderDma(shown: Shown) {
  const e = dmaAt(shown);
  return render(<DmaPath outcome={e.outcome} features={shown.smmu?.features} tlbRows={shown.smmu?.iotlb.rows} replayKey={1} inspectedLevel={undefined} />);
}

/** paddr + offset of the scenario's map step covering the address. */
function mappedPa(id: string, address: bigint): bigint {
  for (const step of scenarioOf(id).steps) {
    if (step.kind !== 'pgtable.map') continue;
    const iova = hexOf(step.iova);
    if (address >= iova && address < iova + hexOf(step.size)) return hexOf(step.paddr) + (address - iova);
  }
  throw new Error(`${address} is not mapped`);
}

describe('DmaPath', () => {
  it('smmu-stage1-dma, first DMA: STE and CD fetched, IOTLB miss, the 4-level walk, the PA the mapping gives', () => {
    const s = scenarioOf('smmu-stage1-dma');
    const step = stepsOfKind(s, 'smmu.dma')[0]!;
    const spec = s.steps[step - 1];
    if (spec?.kind !== 'smmu.dma') throw new Error('a DMA step');
    renderDma(runTo(s, step));
    expect(hexOf(screen.getByTestId('dma-pa').textContent ?? '')).toBe(mappedPa('smmu-stage1-dma', hexOf(spec.address)));
    expect(within(screen.getByTestId('dma-ste')).getByText('fetched from memory')).toBeTruthy();
    expect(screen.getByTestId('dma-ste').textContent).toContain('Config = stage 1');
    expect(screen.getByTestId('dma-ste').textContent).toContain(`STRTAB_BASE + ${spec.sid} × 64`);
    expect(within(screen.getByTestId('dma-cd')).getByText('fetched from memory')).toBeTruthy();
    expect(within(screen.getByTestId('dma-tlb')).getByText('miss')).toBeTruthy();
    // The walk row is the walk diagram: one table per level (48-bit, 4KB: levels 0 to 3).
    expect(screen.getByTestId('dma-walk').querySelectorAll('.table-stage')).toHaveLength(4);
    expect(screen.getByTestId('dma-reads').textContent).toMatch(/^6 reads of translation structures: 1 STE \+ 1 CD \+ 4 walk descriptors/);
    expect(screen.getByTestId('dma-summary').textContent).toContain('translated to PA');
    // Without matchMedia (jsdom) the final picture shows at once.
    expect(screen.getByTestId('dma-path').dataset.reveal).toBe('done');
  });

  it('smmu-stage1-dma, second DMA: STE and CD from the configuration cache, an IOTLB hit, no walk', () => {
    const s = scenarioOf('smmu-stage1-dma');
    const step = stepsOfKind(s, 'smmu.dma')[1]!;
    const spec = s.steps[step - 1];
    if (spec?.kind !== 'smmu.dma') throw new Error('a DMA step');
    renderDma(runTo(s, step));
    expect(within(screen.getByTestId('dma-ste')).getByText('from the configuration cache')).toBeTruthy();
    expect(within(screen.getByTestId('dma-tlb')).getByText('hit')).toBeTruthy();
    expect(screen.getByTestId('dma-walk').textContent).toContain('not needed: the IOTLB hit');
    expect(hexOf(screen.getByTestId('dma-pa').textContent ?? '')).toBe(mappedPa('smmu-stage1-dma', hexOf(spec.address)));
    expect(screen.getByTestId('dma-reads').textContent).toMatch(/No table was read/);
  });

  it('smmu-stage1-dma, the unmapped write: F_TRANSLATION with the step\'s access, recorded in the event queue, the device aborted', () => {
    const s = scenarioOf('smmu-stage1-dma');
    const step = stepsOfKind(s, 'smmu.dma').at(-1)!;
    const spec = s.steps[step - 1];
    if (spec?.kind !== 'smmu.dma') throw new Error('a DMA step');
    renderDma(runTo(s, step));
    expect(screen.getByTestId('dma-event').textContent).toBe('F_TRANSLATION');
    expect(screen.getByTestId('dma-response').textContent).toMatch(/abort/);
    const record = screen.getByRole('table', { name: 'F_TRANSLATION event record' });
    const value = (field: string) => record.querySelector(`tr[data-field="${field}"] td`)?.textContent;
    expect(value('EventID')).toBe('0x10');
    expect(value('StreamID')).toBe(String(spec.sid));
    expect(value('SSV')).toBe('0');
    expect(value('RnW')).toBe(spec.access === 'write' ? '0' : '1');
    expect(value('InD')).toBe('0');
    expect(value('PnU')).toBe('1');
    expect(value('S2')).toBe('0');
    expect(hexOf(value('InputAddr') ?? '')).toBe(hexOf(spec.address));
    expect(screen.getByTestId('dma-recorded').textContent).toMatch(/^Written to the event queue at index 0/);
    // "Show the event queue" switches the SMMU panels to it.
    fireEvent.click(screen.getByRole('button', { name: 'Show the event queue' }));
    expect(useAppStore.getState().smmuTab).toBe('events');
  });

  it('smmu-stale-iotlb, the DMA after the remap: a hit on a stale entry, which the path says, with where memory now points', () => {
    const s = scenarioOf('smmu-stale-iotlb');
    const dmas = stepsOfKind(s, 'smmu.dma');
    const remap = s.steps[stepsOfKind(s, 'pgtable.map').at(-1)! - 1];
    const first = s.steps[dmas[0]! - 1];
    if (remap?.kind !== 'pgtable.map' || first?.kind !== 'smmu.dma') throw new Error('a remap and a DMA');
    renderDma(runTo(s, dmas[1]!));
    const oldPa = mappedPa('smmu-stale-iotlb', hexOf(first.address));
    const newPa = hexOf(remap.paddr) + (hexOf(first.address) - hexOf(remap.iova));
    expect(hexOf(screen.getByTestId('dma-pa').textContent ?? '')).toBe(oldPa);
    expect(screen.getByTestId('dma-tlb-stale').textContent).toContain(hexGrouped(hexOf(remap.paddr)));
    expect(screen.getByTestId('dma-stale-result').textContent).toContain(hexGrouped(newPa));
    cleanup();
    // After the TLBI the same read walks again and reaches the new page; nothing is stale.
    renderDma(runTo(s, dmas[2]!));
    expect(hexOf(screen.getByTestId('dma-pa').textContent ?? '')).toBe(newPa);
    expect(screen.queryByTestId('dma-stale-result')).toBeNull();
  });

  it('smmu-nested: the CD found through stage 2, the nested walk and its reads, the PA', () => {
    const s = scenarioOf('smmu-nested');
    const step = stepsOfKind(s, 'smmu.dma')[0]!;
    const spec = s.steps[step - 1];
    if (spec?.kind !== 'smmu.dma') throw new Error('a DMA step');
    renderDma(runTo(s, step));
    const cd = screen.getByTestId('dma-cd').textContent ?? '';
    // CD table at IPA 0x8010_0000 (the STE step); guest RAM IPA 0x8000_0000 is PA 0x2_0000_0000 (the vm0 map step).
    expect(cd).toContain(`IPA ${hexGrouped(0x8010_0000n)}`);
    expect(cd).toContain(`PA ${hexGrouped(0x2_0010_0000n)}`);
    expect(screen.getByTestId('dma-walk').querySelector('h4')?.textContent).toMatch(/^Nested walk/);
    expect(screen.getByTestId('nested-reads')).toBeTruthy();
    // IOVA -> IPA by the guest's map step, IPA -> PA by vm0's.
    expect(hexOf(screen.getByTestId('dma-pa').textContent ?? '')).toBe(mappedPa('smmu-nested', mappedPa('smmu-nested', hexOf(spec.address))));
  });

  it('smmu-nested: the write to an IPA stage 2 does not map is a stage-2 F_TRANSLATION with S2 = 1, CLASS = input, and its IPA', () => {
    const s = scenarioOf('smmu-nested');
    const step = stepsOfKind(s, 'smmu.dma').at(-1)!;
    const spec = s.steps[step - 1];
    if (spec?.kind !== 'smmu.dma') throw new Error('a DMA step');
    renderDma(runTo(s, step));
    const record = screen.getByRole('table', { name: 'F_TRANSLATION event record' });
    const value = (field: string) => record.querySelector(`tr[data-field="${field}"] td`)?.textContent;
    expect(value('S2')).toBe('1');
    expect(record.querySelector('tr[data-field="CLASS"]')?.textContent).toContain('input address');
    // The guest mapped IOVA 0x1000_1000 to IPA 0x9000_0000 (a guest map step); the record carries the page's IPA.
    expect(hexOf(value('IPA') ?? '')).toBe(0x9000_0000n);
    expect(hexOf(value('InputAddr') ?? '')).toBe(hexOf(spec.address));
  });

  it('opens the STE it fetched in the inspector', () => {
    const s = scenarioOf('smmu-stage1-dma');
    renderDma(runTo(s, stepsOfKind(s, 'smmu.dma')[0]!));
    fireEvent.click(screen.getByRole('button', { name: 'Inspect STE 3' }));
    const entry = useAppStore.getState().inspectedEntry;
    expect(entry?.source === 'words' && entry.kind).toBe('STE');
    expect(entry?.source === 'words' && entry.words[0]).toBe(dmaAt(runTo(s, stepsOfKind(s, 'smmu.dma')[0]!)).outcome.trace.ste?.words?.[0]);
  });
});

describe('DmaPath, ways to be terminated', () => {
  const s = scenarioFrom({
    format: 'iommu-visualizer-scenario', version: 1, title: 'terminations', steps: [
      { kind: 'smmu.probe', preset: 'full', streamTable: 'linear' },
      { kind: 'pgtable.create', name: 'dev0', TG0: 0, T0SZ: 16, IPS: 5 },
      { kind: 'smmu.writeSte', sid: 3, fields: { V: 1, Config: 5, S1ContextPtr: '0x9000_0000', S1CDMax: 0 } },
      // A = 0: a faulting transaction is answered with RAZ/WI, not aborted.
      { kind: 'smmu.writeCd', sid: 3, ssid: 0, fields: { T0SZ: 16, TG0: 0, EPD1: 1, V: 1, IPS: 5, AA64: 1, R: 1, A: 0, ASID: 1, TTB0: '0x4000_6000' } },
      { kind: 'smmu.dma', sid: 3, ssid: 1, address: '0x1000', access: 'read' },
      { kind: 'smmu.dma', sid: 0, address: '0x1000', access: 'read' },
      { kind: 'smmu.dma', sid: 300, address: '0x1000', access: 'read' },
      { kind: 'smmu.dma', sid: 3, address: '0x1000', access: 'write' },
    ],
  });

  it('a SubstreamID on a stream with S1CDMax = 0 is C_BAD_SUBSTREAMID, before any CD is read', () => {
    renderDma(runTo(s, 5));
    expect(screen.getByTestId('dma-event').textContent).toBe('C_BAD_SUBSTREAMID');
    expect(screen.getByTestId('dma-cd').textContent).toContain('not reached');
    const record = screen.getByRole('table', { name: 'C_BAD_SUBSTREAMID event record' });
    expect(record.querySelector('tr[data-field="SubstreamID"] td')?.textContent).toBe('1');
    // A configuration error carries no access fields.
    expect(record.querySelector('tr[data-field="RnW"]')).toBeNull();
  });

  it('an abort STE terminates silently: no event record', () => {
    renderDma(runTo(s, 6));
    expect(screen.getByTestId('dma-ste').textContent).toContain('Config = abort');
    expect(screen.queryByTestId('dma-event')).toBeNull();
    expect(screen.getByTestId('dma-recorded').textContent).toMatch(/Config = abort terminates every transaction/);
  });

  it('a StreamID beyond the stream table is C_BAD_STREAMID, and no STE is read', () => {
    renderDma(runTo(s, 7));
    expect(screen.getByTestId('dma-event').textContent).toBe('C_BAD_STREAMID');
    expect(screen.getByTestId('dma-ste').textContent).toContain('not found');
  });

  it('with CD.A = 0 the device sees RAZ/WI for the translation fault', () => {
    renderDma(runTo(s, 8));
    expect(screen.getByTestId('dma-event').textContent).toBe('F_TRANSLATION');
    expect(screen.getByTestId('dma-response').textContent).toMatch(/RAZ\/WI/);
  });
});
