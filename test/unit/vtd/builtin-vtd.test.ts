/**
 * The two VT-d lessons, run on the real engine through the scenario runner,
 * against results worked out by hand from their steps: the addresses each
 * DMA reaches, the fault reasons and where they were recorded.
 */
import { describe, expect, it } from 'vitest';
import { builtinScenario, runScenario, type StepResult } from '../../../src/scenario/index.ts';

function run(id: string): StepResult[] {
  const s = builtinScenario(id);
  if (!s) throw new Error(`no built-in ${id}`);
  return [...runScenario(s)];
}

const at = (rs: StepResult[], i: number) => rs[i] as Record<string, unknown>;

describe('vtd-first-stage-dma', () => {
  const rs = run('vtd-first-stage-dma');
  it('runs every step', () => {
    expect(rs.filter((r) => 'error' in r)).toEqual([]);
  });
  it('places the root table, queue and first-stage table where the notes say', () => {
    expect(at(rs, 0)).toMatchObject({ mode: 'scalable', rootTable: '0x40000000', queue: { address: '0x40001000', descBytes: 32 } });
    expect(at(rs, 1)).toMatchObject({ root: '0x40003000' });
  });
  it('translates the mapped page through a 4-level first-stage walk', () => {
    expect(at(rs, 6)).toMatchObject({ result: 'translated', output: '0x880000010', translation: 'first-stage', did: 1, levels: 4, iotlb: 'miss' });
  });
  it('records the write to the read-only page as 0x85, collapses the next fault, and records PASID 5\'s 0x59 once cleared', () => {
    expect(at(rs, 7)).toMatchObject({ result: 'blocked', fault: { reason: '0x85', name: 'SM_WRITE', condition: 'SGN.6', recorded: 'fault recording register 0' } });
    expect((at(rs, 8).fault as { reason: string; recorded: string })).toMatchObject({ reason: '0x71', recorded: expect.stringContaining('collapsed') });
    expect(at(rs, 9)).toMatchObject({ wasPending: true });
    expect(at(rs, 10)).toMatchObject({ pasid: 5, fault: { reason: '0x59', recorded: 'fault recording register 1' } });
  });
});

describe('vtd-stale-iotlb', () => {
  const rs = run('vtd-stale-iotlb');
  it('runs every step', () => {
    expect(rs.filter((r) => 'error' in r)).toEqual([]);
  });
  it('keeps reaching the unmapped page until the IOTLB invalidation for the right DID', () => {
    expect(at(rs, 5)).toMatchObject({ output: '0x890000040', iotlb: 'miss', translation: 'second-stage', did: 7 });
    expect(at(rs, 7)).toMatchObject({ output: '0x890000040', iotlb: 'hit' });
    expect(at(rs, 8)).toMatchObject({ processed: [{ invalidated: 0 }, { summary: 'Invalidation wait (status 0x1 -> 0x40002000)' }] });
    expect(at(rs, 9)).toMatchObject({ output: '0x890000040', iotlb: 'hit' });
    expect(at(rs, 10)).toMatchObject({ processed: [{ invalidated: 1 }, { invalidated: 0 }] });
    expect(at(rs, 11)).toMatchObject({ result: 'blocked', fault: { reason: '0x79', name: 'SS_PAGING_ENTRY_P' } });
  });
});
