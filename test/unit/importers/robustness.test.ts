/**
 * The importers never throw, never hang, and refuse what is too large with
 * a message. Property tests feed random text and mutations of the
 * realistic samples (bounded sizes); examples cover the classic pastes gone
 * wrong: empty, binary, CRLF, trailing spaces, a huge file.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importDump, type ImportResult } from '../../../src/importers/importDump.ts';
import { MAX_INPUT_CHARS, MAX_LINES, MAX_LINE_CHARS, MAX_PROBLEMS_KEPT } from '../../../src/importers/limits.ts';
import { fixture, sample } from './load.ts';

const SAMPLES = [sample('groups-desktop'), sample('vtd-legacy'), sample('vtd-scalable'), fixture('groups-ls-server.txt'), fixture('groups-arch-script.txt')];

/** What must hold for any result: counts agree, every problem names a real line. */
function wellFormed(r: ImportResult, text: string): void {
  if (r.refused !== undefined) return;
  const lineCount = text.split(/\r\n|\r|\n/).length;
  expect(r.lineCount).toBe(lineCount);
  expect(r.problemCount).toBeGreaterThanOrEqual(r.problems.length);
  expect(r.problems.length).toBeLessThanOrEqual(MAX_PROBLEMS_KEPT);
  // Each non-blank line is either read or reported; a line may carry more than one problem.
  expect(r.parsedLines).toBeGreaterThanOrEqual(0);
  expect(r.parsedLines).toBeLessThanOrEqual(r.nonBlankLines);
  expect(r.nonBlankLines - r.parsedLines).toBeLessThanOrEqual(r.problemCount);
  for (const p of r.problems) {
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.line).toBeLessThanOrEqual(lineCount);
    expect(p.reason.length).toBeGreaterThan(0);
  }
}

describe('edge cases', () => {
  it('reads empty and blank input as nothing, without problems', () => {
    for (const text of ['', '\n\n', '   \t \r\n']) {
      const r = importDump(text);
      expect(r.refused).toBeUndefined();
      expect(r.kinds).toEqual([]);
      expect(r.problemCount).toBe(0);
      expect(r.groups).toBeUndefined();
      expect(r.vtd).toBeUndefined();
    }
  });

  it('reads CRLF and CR line endings and trailing spaces the same as LF', () => {
    for (const text of SAMPLES) {
      const plain = importDump(text);
      const crlf = importDump(text.replace(/\n/g, '  \r\n'));
      const cr = importDump(text.replace(/\n/g, '\t\r'));
      for (const other of [crlf, cr]) {
        expect(other.problemCount).toBe(plain.problemCount);
        expect(other.kinds).toEqual(plain.kinds);
        expect(JSON.stringify(other.groups)).toBe(JSON.stringify(plain.groups));
        expect(other.vtd?.units.length).toBe(plain.vtd?.units.length);
        expect(other.vtd?.domains.map((d) => d.dump.rows.length)).toEqual(plain.vtd?.domains.map((d) => d.dump.rows.length));
      }
    }
  });

  it('refuses text over the size limit with a message naming both sizes', () => {
    const r = importDump('x'.repeat(MAX_INPUT_CHARS + 1));
    expect(r.refused).toMatch(/^The text is 2\.0 MB long; the importer reads at most 2\.0 MB/);
    expect(r.problems).toEqual([]);
  });

  it('refuses text with too many lines', () => {
    const r = importDump('\n'.repeat(MAX_LINES));
    expect(r.refused).toContain(`at most ${MAX_LINES}`);
  });

  it('reports binary junk by line, and still reads the good lines around it', () => {
    const junk = 'ELF\u0000\u0001\u0002\u0000\u0000\u00ff\u0007binary\u001b[31m';
    const text = `/sys/kernel/iommu_groups/1/devices/0000:00:01.0\n${junk}\n/sys/kernel/iommu_groups/2/devices/0000:00:02.0\n`;
    const r = importDump(text);
    expect(r.problems).toEqual([{ line: 2, text: expect.stringContaining('\\x00'), reason: expect.stringContaining('binary data') }]);
    expect(r.groups!.groups.map((g) => g.id)).toEqual([1, 2]);
  });

  it('reports an over-long line without reading it, and cuts it for display', () => {
    const long = `/sys/kernel/iommu_groups/1/devices/${'a'.repeat(MAX_LINE_CHARS)}`;
    const r = importDump(long);
    expect(r.problems[0]?.reason).toContain(`longer than ${MAX_LINE_CHARS}`);
    expect(r.problems[0]!.text.length).toBeLessThan(200);
  });

  it('keeps the first problems and counts the rest', () => {
    const lines = Array.from({ length: MAX_PROBLEMS_KEPT + 37 }, (_, i) => `garbage ${i}`);
    const r = importDump(lines.join('\n'));
    expect(r.problems).toHaveLength(MAX_PROBLEMS_KEPT);
    expect(r.problemCount).toBe(MAX_PROBLEMS_KEPT + 37);
    expect(r.problems[0]).toEqual({ line: 1, text: 'garbage 0', reason: expect.any(String) });
  });

  it('interleaves garbage with a real dump: every garbage line is reported, every real line still read', () => {
    const text = sample('vtd-scalable');
    const lines = text.split('\n');
    const mixed = lines.flatMap((l, i) => (i % 7 === 3 ? [l, `%% noise ${i} %%`] : [l]));
    const r = importDump(mixed.join('\n'));
    const noise = mixed.flatMap((l, i) => (l.startsWith('%% noise') ? [i + 1] : []));
    expect(r.problems.map((p) => p.line)).toEqual(noise);
    const clean = importDump(text);
    expect(r.vtd?.domains.map((d) => d.dump.rows.length)).toEqual(clean.vtd?.domains.map((d) => d.dump.rows.length));
  });
});

describe('properties', () => {
  it('never throws on random text, and what it returns is well formed', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.constantFrom('IOMMU dmar9: Root Table Address: 0x', 'Device 0000:00:02.0 @0x', '0x00000000fffff |\t0x1', 'IOMMU Group 1:', '/sys/kernel/iommu_groups/', '00:1f.3 Audio device [0403]: '),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.constantFrom('\n', '\r\n', '\r'), (lines, eol) => {
        const text = lines.join(eol);
        wellFormed(importDump(text), text);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on mutated real dumps (characters replaced, deleted, duplicated; lines swapped)', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), ch: fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
      fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLES), fc.array(mutation, { minLength: 1, maxLength: 12 }), (base, mutations) => {
        let text = base;
        for (const m of mutations) {
          if (m.kind === 'swap') {
            const lines = text.split('\n');
            const a = m.a % lines.length;
            const b = m.b % lines.length;
            [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
            text = lines.join('\n');
            continue;
          }
          const at = m.at % (text.length + 1);
          if (m.kind === 'replace') text = text.slice(0, at) + m.ch + text.slice(at + 1);
          else if (m.kind === 'delete') text = text.slice(0, at) + text.slice(at + m.length);
          else text = text.slice(0, at) + text.slice(at, at + m.length) + text.slice(at);
        }
        wellFormed(importDump(text), text);
      }),
      { numRuns: 300 },
    );
  });

  it('a line that parsed alone parses the same among garbage (problems never swallow good lines)', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z %]{1,30}$/), { minLength: 1, maxLength: 10 }), (garbage) => {
        const good = '/sys/kernel/iommu_groups/4/devices/0000:00:14.0';
        const text = [...garbage.map((g) => `%${g}`), good].join('\n');
        const r = importDump(text);
        expect(r.groups?.groups[0]?.devices[0]?.name).toBe('0000:00:14.0');
        expect(r.problemCount).toBe(garbage.length);
      }),
      { numRuns: 100 },
    );
  });
});
