/**
 * The scenario inside an exported SVG: a <metadata> element (SVG 2 section
 * 5.11) holding one element in this app's namespace whose text is the JSON.
 * The DOM writes and reads it, so `<`, `&` and `]]>` in notes are escaped by
 * the serializer rather than by hand.
 */
export const SVG_NS = 'http://www.w3.org/2000/svg';
/** A URN, not a URL: nothing is ever fetched from it. */
export const METADATA_NS = 'urn:x-iommu-visualizer:export';
const METADATA_TAG = 'scenario';

export type SvgTextResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: string; readonly missing?: boolean };

/** Puts `text` in a <metadata> element as the SVG root's first child. */
export function embedSvgMetadata(svg: Element, text: string): void {
  const doc = svg.ownerDocument;
  const metadata = doc.createElementNS(SVG_NS, 'metadata');
  const holder = doc.createElementNS(METADATA_NS, `iv:${METADATA_TAG}`);
  holder.textContent = text;
  metadata.appendChild(holder);
  svg.insertBefore(metadata, svg.firstChild);
}

/** The text embed wrote, or what is wrong: not XML, not an SVG, or an SVG without it (`missing`). */
export function readSvgMetadata(source: string): SvgTextResult {
  const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
  const error = doc.getElementsByTagName('parsererror')[0];
  if (error) return { ok: false, problem: `it is not well-formed XML (${firstLine(error.textContent ?? '')})` };
  const root = doc.documentElement;
  if (root.namespaceURI !== SVG_NS || root.localName !== 'svg') return { ok: false, problem: `its root element is <${root.localName}>, not an SVG <svg>` };
  const holder = doc.getElementsByTagNameNS(METADATA_NS, METADATA_TAG)[0];
  if (!holder || holder.parentElement?.localName !== 'metadata') return { ok: false, missing: true, problem: 'it holds no IOMMU Visualizer scenario in its <metadata>' };
  return { ok: true, text: holder.textContent ?? '' };
}

function firstLine(text: string): string {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '' && !/^This page contains the following errors/i.test(l)) ?? 'a syntax error';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
