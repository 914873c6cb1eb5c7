import { describe, expect, it } from 'vitest';
import { importDump } from '../../../src/importers/importDump.ts';
import { CONTEXT_LEGACY, CONTEXT_SCALABLE, PASID_ENTRY, ROOT_SCALABLE, decodeEntry, field } from '../../../src/importers/vtd-fields.ts';
import type { ContextRow, DmarUnit } from '../../../src/importers/vtd-dmar.ts';
import { fixture, linesWhere, sample } from './load.ts';

const ROW = /^[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]\t/;
const device = (unit: DmarUnit | undefined, bdf: string): ContextRow | undefined =>
  unit?.buses.flatMap((b) => b.devices).find((d) => `${d.bus.toString(16).padStart(2, '0')}:${d.device.toString(16).padStart(2, '0')}.${d.fn}` === bdf);

/** The words of a row as printed, for checking the decode against bits taken here. */
function printedWords(text: string, bdf: string, pasid = -1): bigint[][] {
  const line = text.split('\n').find((l) => l.startsWith(`${bdf}\t`) && Number(l.split(/\s+/)[3]) === pasid)!;
  return line.split(/\s+/).slice(1).filter((t) => t.startsWith('0x')).map((t) => t.split(':').map((w) => BigInt(w)));
}

describe('dmar_translation_struct, legacy mode', () => {
  const text = sample('vtd-legacy');
  const r = importDump(text);
  const units = r.vtd!.units;

  it('reads both units and every row, with no problems', () => {
    expect(r.problemCount).toBe(0);
    expect(r.kinds).toEqual(['vtd-dmar', 'vtd-domain']);
    expect(units.map((u) => [u.name, u.mode])).toEqual([['dmar0', 'legacy'], ['dmar1', 'legacy']]);
    expect(units[0]?.rootTable).toBe(0x10a5f4000n);
    const rows = units.flatMap((u) => u.buses.flatMap((b) => b.devices));
    expect(rows).toHaveLength(linesWhere(text, (l) => ROW.test(l)).length);
    expect(units[1]?.buses.map((b) => b.bus)).toEqual([0x00, 0x02, 0x03]);
  });

  it('decodes the context entry field by field from the printed hi:lo words', () => {
    const [, [hi, lo]] = printedWords(text, '00:14.0') as [bigint[], [bigint, bigint]];
    const d = device(units[1], '00:14.0')!;
    expect(d.context).toEqual([lo, hi]);
    expect(d.devfn).toBe((0x14 << 3) | 0);
    const fields = Object.fromEntries(decodeEntry(CONTEXT_LEGACY, d.context).map((f) => [f.name, f.value]));
    expect(fields.P).toBe(lo & 1n);
    expect(fields.TT).toBe((lo >> 2n) & 3n);
    expect(fields.SLPTPTR).toBe(lo & ~0xfffn);
    expect(fields.AW).toBe(hi & 7n);
    expect(fields.DID).toBe((hi >> 8n) & 0xffffn);
    expect(decodeEntry(CONTEXT_LEGACY, d.context).find((f) => f.name === 'AW')?.meaning).toBe('4-level table, 48-bit addresses');
  });

  it('reads a pass-through context entry (TT = 2) as such', () => {
    const d = device(units[1], '00:16.0')!;
    expect(field(CONTEXT_LEGACY, d.context, 'TT')).toBe(2n);
    expect(decodeEntry(CONTEXT_LEGACY, d.context).find((f) => f.name === 'TT')?.meaning).toMatch(/^pass-through/);
  });

  it('shows functions of one group sharing a domain ID and a table', () => {
    const did = (bdf: string) => field(CONTEXT_LEGACY, device(units[1], bdf)!.context, 'DID');
    const table = (bdf: string) => field(CONTEXT_LEGACY, device(units[1], bdf)!.context, 'SLPTPTR');
    expect(did('00:1f.3')).toBe(did('00:1f.6'));
    expect(table('00:1f.3')).toBe(table('00:1f.0'));
    expect(did('02:00.0')).not.toBe(did('03:00.0'));
  });
});

describe('dmar_translation_struct, scalable mode', () => {
  const text = sample('vtd-scalable');
  const r = importDump(text);
  const units = r.vtd!.units;

  it('reads one row per PASID entry, under its device', () => {
    expect(r.problemCount).toBe(0);
    expect(units.every((u) => u.mode === 'scalable')).toBe(true);
    const pasidRows = units.flatMap((u) => u.buses.flatMap((b) => b.devices.flatMap((d) => d.pasids)));
    expect(pasidRows).toHaveLength(linesWhere(text, (l) => ROW.test(l)).length);
    expect(device(units[0], '6a:01.0')?.pasids.map((p) => p.pasid)).toEqual([0, 1, 2]);
  });

  it('decodes the root entry\'s lower and upper context tables', () => {
    const bus0 = units.find((u) => u.name === 'dmar8')!.buses[0]!;
    const [[hi, lo]] = printedWords(text, '00:14.0', 0) as [[bigint, bigint]];
    expect(field(ROOT_SCALABLE, bus0.root, 'LCTP')).toBe(lo & ~0xfffn);
    expect(field(ROOT_SCALABLE, bus0.root, 'UCTP')).toBe(hi & ~0xfffn);
    expect(field(ROOT_SCALABLE, bus0.root, 'UP')).toBe(1n);
  });

  it('decodes the scalable context entry: PDTS, PASIDDIRPTR, DTE, PRE', () => {
    const d = device(units[0], '6a:01.0')!;
    const lo = d.context[0];
    expect(field(CONTEXT_SCALABLE, d.context, 'PDTS')).toBe((lo >> 9n) & 7n);
    expect(field(CONTEXT_SCALABLE, d.context, 'PASIDDIRPTR')).toBe(lo & ~0xfffn);
    expect(field(CONTEXT_SCALABLE, d.context, 'PRE')).toBe((lo >> 4n) & 1n);
    expect(field(CONTEXT_SCALABLE, d.context, 'DTE')).toBe((lo >> 2n) & 1n);
    // PDTS = 7 is a 2^14-entry directory: the whole 20-bit PASID space.
    expect(decodeEntry(CONTEXT_SCALABLE, d.context).find((f) => f.name === 'PDTS')?.meaning).toContain('PASIDs 0 to 1048575');
  });

  it('decodes PASID entries: PGTT, DID and the table pointer the PGTT uses', () => {
    const [, , [v2, v1, v0]] = printedWords(text, '6a:01.0', 1) as [bigint[], bigint[], [bigint, bigint, bigint]];
    const sva = device(units[0], '6a:01.0')!.pasids.find((p) => p.pasid === 1)!;
    expect(sva.entry).toEqual([v0, v1, v2]);
    expect(field(PASID_ENTRY, sva.entry, 'PGTT')).toBe((v0 >> 6n) & 7n);
    expect(field(PASID_ENTRY, sva.entry, 'DID')).toBe(v1 & 0xffffn);
    expect(field(PASID_ENTRY, sva.entry, 'FLPTR')).toBe(v2 & ~0xfffn);
    const vm = device(units[1], '17:00.1')!.pasids[0]!;
    expect(decodeEntry(PASID_ENTRY, vm.entry).find((f) => f.name === 'PGTT')?.meaning).toMatch(/^second-stage/);
    expect(field(PASID_ENTRY, vm.entry, 'PGSNP')).toBe(1n);
    const passthrough = device(units[2], '00:17.0')!.pasids[0]!;
    expect(decodeEntry(PASID_ENTRY, passthrough.entry).find((f) => f.name === 'PGTT')?.meaning).toBe('pass-through');
  });
});

describe('dmar_translation_struct, malformed', () => {
  const text = fixture('vtd-malformed.txt');
  const r = importDump(text);
  const lines = text.split('\n');

  it('names the column that is wrong and keeps the good rows', () => {
    const byLine = new Map(r.problems.map((p) => [p.line, p]));
    expect(byLine.get(4)?.reason).toMatch(/^the Context_entry column "0x000000010a61100g" is not a 64-bit hex word/);
    expect(byLine.get(6)?.reason).toContain('this one has 6');
    expect(byLine.get(7)?.reason).toContain('legacy mode, this one is scalable (PASID 3)');
    expect(byLine.get(8)?.reason).toContain('inside dmar_translation_struct');
    for (const p of r.problems) expect(p.text).toBe(lines[p.line - 1]?.trim());
    const unit = r.vtd!.units[0]!;
    // 00:14.0 and the three-column 00:16.0 (as kernels before PASID support printed) survive.
    expect(unit.buses[0]?.devices.map((d) => d.devfn)).toEqual([0x14 << 3, 0x16 << 3]);
  });

  it('reports a unit that has translation off, and rows with no header', () => {
    const r2 = importDump('DMA Remapping is not enabled on dmar0\n00:02.0\t0x0:0x10a5f5001\t0x102:0x10a5f7001\t-1\t0x0:0x0:0x0\n');
    expect(r2.vtd!.units.map((u) => [u.name, u.enabled])).toEqual([['dmar0', false], ['unnamed', true]]);
    expect(r2.problems).toEqual([expect.objectContaining({ line: 2, reason: expect.stringContaining('before any "IOMMU dmarN: Root Table Address') })]);
  });
});
