/**
 * The worked example of docs/ste-update.md, value for value: if the model
 * changes, this test says the document is now wrong.
 */
import { describe, expect, it } from 'vitest';
import { makeBypassSte, makeCdTableSte, makeS2DomainSte, planSteUpdate, S1DSS_VALUES, type UpdateStep } from '../../../../src/engine/hw/smmu/update/index.ts';

const bypass = makeBypassSte();
const s1 = makeCdTableSte({ cdTable: 0x4000_0000n, s1Fmt: 0, s1CdMax: 0, s1dss: S1DSS_VALUES.ssid0 });

function row(s: UpdateStep): string {
  if (s.kind === 'sync') return s.commands.join(', ');
  return `q${s.qword}=${s.value.toString(16)} entry=${s.entry[0]?.toString(16)},${s.entry[1]?.toString(16)} used=${s.used[0]?.toString(16)},${s.used[1]?.toString(16)},${s.used[2]?.toString(16)}`;
}

describe('docs/ste-update.md worked example: bypass to stage 1', () => {
  it('has the qwords the document shows', () => {
    expect(bypass.slice(0, 2)).toEqual([0x9n, 0x0000_1000_0000_0000n]);
    expect(s1.slice(0, 3)).toEqual([0x4000_000bn, 0x0800_00d6n, 0n]);
  });

  it('runs the six steps of the table, with the used bits of each moment', () => {
    const plan = planSteUpdate(bypass, s1);
    expect(plan.steps.map(row)).toEqual([
      'q1=1000080000d6 entry=9,1000080000d6 used=f,300000000000,0',
      'CMD_CFGI_STE, CMD_SYNC',
      'q0=4000000b entry=4000000b,1000080000d6 used=f80fffffffffffff,f80800ff,ffff',
      'CMD_CFGI_STE, CMD_SYNC',
      'q1=80000d6 entry=4000000b,80000d6 used=f80fffffffffffff,f80800ff,ffff',
      'CMD_CFGI_STE, CMD_SYNC',
    ]);
    expect(plan).toMatchObject({ hitless: true, syncs: 3, writes: 3, criticalQwords: [0] });
  });

  it('and the breaking stage 1 -> stage 2 (VMID 5) of the table: V=0, qwords 1-3, qword 0', () => {
    const s2 = makeS2DomainSte({ vmid: 5, vtcr: { S2T0SZ: 24, S2SL0: 1, S2IR0: 1, S2OR0: 1, S2SH0: 3, S2TG: 0, S2PS: 2 }, s2ttb: 0x8000_0000n });
    const plan = planSteUpdate(s1, s2);
    expect(plan.steps.map((s) => (s.kind === 'write' ? `q${s.qword}` : 'sync'))).toEqual(['q0', 'sync', 'q1', 'q2', 'q3', 'sync', 'q0', 'sync']);
    expect(plan.hitless).toBe(false);
  });
});
