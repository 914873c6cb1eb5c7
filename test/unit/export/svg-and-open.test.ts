// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { builtinScenario } from '../../../src/scenario/index.ts';
import { encodePayload } from '../../../src/ui/export/payload.ts';
import { readOpenedFile } from '../../../src/ui/export/readFile.ts';
import { withPngText } from '../../../src/ui/export/pngText.ts';
import { writePngChunks } from '../../../src/ui/export/pngChunks.ts';
import { embedSvgMetadata, readSvgMetadata, SVG_NS } from '../../../src/ui/export/svgMetadata.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

function svgWith(text: string | undefined): string {
  const doc = document.implementation.createDocument(SVG_NS, 'svg', null);
  const svg = doc.documentElement;
  const rect = doc.createElementNS(SVG_NS, 'rect');
  rect.setAttribute('width', '10');
  svg.appendChild(rect);
  if (text !== undefined) embedSvgMetadata(svg, text);
  return new XMLSerializer().serializeToString(doc);
}

function tinyPng(): Uint8Array {
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, 1);
  new DataView(ihdr.buffer).setUint32(4, 1);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return writePngChunks([{ type: 'IHDR', data: ihdr }, { type: 'IEND', data: new Uint8Array(0) }]);
}

const walk = builtinScenario('walk-4k-page');
if (!walk) throw new Error('the walk-4k-page built-in is missing');
const nasty = { ...walk, description: 'Notes with markup: </metadata><script>alert(1)</script> & ]]> -- “quotes” \u2028' };

describe('SVG metadata', () => {
  it('round-trips text that would break hand-written XML', () => {
    const text = JSON.stringify(nasty);
    const svg = svgWith(text);
    expect(svg).not.toContain('<script>');
    expect(readSvgMetadata(svg)).toEqual({ ok: true, text });
  });

  it('names the problem with other XML and other SVGs', () => {
    expect(readSvgMetadata(svgWith(undefined))).toEqual({ ok: false, missing: true, problem: 'it holds no IOMMU Visualizer scenario in its <metadata>' });
    expect(readSvgMetadata('<html xmlns="http://www.w3.org/1999/xhtml"/>')).toEqual({ ok: false, problem: 'its root element is <html>, not an SVG <svg>' });
    const broken = readSvgMetadata(svgWith('{}').slice(0, -20));
    expect(broken.ok).toBe(false);
    expect(broken.ok ? '' : broken.problem).toMatch(/^it is not well-formed XML/);
  });
});

describe('opening a file', () => {
  const payload = { scenario: nasty, step: 3, view: { smmuTab: 'events' as const }, scenarioId: 'walk-4k-page' };

  it('opens an exported SVG, an exported PNG and the export JSON at the same step and view', () => {
    for (const [name, file] of [
      ['d.svg', bytes(svgWith(encodePayload(payload)))],
      ['d.png', withPngText(tinyPng(), 'iommu-visualizer', encodePayload(payload))],
      ['d.json', bytes(encodePayload(payload))],
    ] as const) {
      const opened = readOpenedFile(name, file);
      if (!opened.ok) throw new Error(opened.message);
      expect(opened.payload).toEqual(payload);
    }
  });

  it('opens a plain scenario file (with a byte-order mark) at its first walk', () => {
    const opened = readOpenedFile('s.json', bytes(`\uFEFF${JSON.stringify(walk, null, 2)}`));
    expect(opened).toEqual({ ok: true, kind: 'json', payload: { scenario: walk, step: undefined, view: {} } });
  });

  it('says which file is wrong and why', () => {
    const cases: [string, Uint8Array, RegExp][] = [
      ['empty.json', new Uint8Array(0), /^“empty.json” is empty\.$/],
      ['photo.png', tinyPng(), /^“photo.png” is a PNG image, but not one exported by the IOMMU Visualizer: it has no "iommu-visualizer" text chunk\.$/],
      ['cut.png', withPngText(tinyPng(), 'iommu-visualizer', encodePayload(payload)).subarray(0, 60), /^“cut.png” is a damaged PNG: it is cut short/],
      ['logo.svg', bytes(svgWith(undefined)), /^“logo.svg” is an SVG image, but not one exported by the IOMMU Visualizer/],
      ['half.svg', bytes(svgWith(encodePayload(payload)).slice(0, 200)), /^“half.svg” is not a readable SVG: it is not well-formed XML/],
      ['junk.svg', bytes(svgWith('{not json')), /^“junk.svg” is a damaged SVG export: the scenario inside is not valid JSON\.$/],
      ['new.svg', bytes(svgWith(JSON.stringify({ format: 'iommu-visualizer-export', version: 9, step: 0, scenario: walk }))), /newer version of the app \(export version 9/],
      ['step.svg', bytes(svgWith(JSON.stringify({ format: 'iommu-visualizer-export', version: 1, step: -1, scenario: walk }))), /"step" of the embedded data must be a whole number from 0 \(got -1\)/],
      ['bad.json', bytes(JSON.stringify({ ...walk, steps: [{ kind: 'warp' }] })), /^“bad.json” is not a valid scenario: steps\[0\]/],
      ['bad.svg', bytes(svgWith(encodePayload({ ...payload, scenario: { ...walk, title: '' } }))), /^“bad.svg” cannot be opened: its scenario is not valid: scenario\.title: /],
      ['syntax.json', bytes('{"format": "iommu-visualizer-scenario",\n  "version": 1,,}'), /^“syntax.json” is not a valid scenario: invalid JSON at line 2/],
      ['notes.txt', bytes('just some notes'), /^“notes.txt” is neither a scenario \(\.json\) nor a diagram exported by this app/],
      ['blob.bin', Uint8Array.of(0xff, 0xfe, 0x00, 0xd8, 0x80), /it is a binary file that is not a PNG\.$/],
    ];
    for (const [name, file, message] of cases) {
      const opened = readOpenedFile(name, file);
      expect(opened.ok, name).toBe(false);
      expect(opened.ok ? '' : opened.message, name).toMatch(message);
    }
  });
});
