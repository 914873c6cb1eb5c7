/**
 * The diagram on screen as a standalone SVG file: a caption (scenario and
 * step) drawn as SVG text, the diagram itself as styled XHTML inside a
 * <foreignObject> (most views mix HTML and SVG), and the scenario in
 * <metadata> so the file can be opened again.
 */
import { StyledCloner, XHTML_NS } from './cloneStyled.ts';
import { embedSvgMetadata, SVG_NS } from './svgMetadata.ts';

export interface SnapshotInfo {
  /** First caption line: the scenario's title. */
  readonly title: string;
  /** Second caption line: the step. */
  readonly subtitle: string;
  /** The export payload's JSON, kept in <metadata>. */
  readonly metadata: string;
}

export interface Snapshot {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

const PAD = 16;
const CAPTION = 50;

export function snapshotSvg(target: HTMLElement, info: SnapshotInfo): Snapshot {
  const rect = target.getBoundingClientRect();
  const inner = { width: Math.ceil(rect.width), height: Math.ceil(rect.height) };
  const width = inner.width + 2 * PAD;
  const height = inner.height + 2 * PAD + CAPTION;
  const page = getComputedStyle(document.body);

  const doc = document.implementation.createDocument(SVG_NS, 'svg', null);
  const svg = doc.documentElement;
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const title = doc.createElementNS(SVG_NS, 'title');
  title.textContent = `${info.title} — ${info.subtitle}`;
  svg.appendChild(title);
  embedSvgMetadata(svg, info.metadata);

  const background = doc.createElementNS(SVG_NS, 'rect');
  for (const [k, v] of [['width', '100%'], ['height', '100%'], ['fill', page.backgroundColor]]) background.setAttribute(k!, v!);
  svg.appendChild(background);
  svg.appendChild(captionText(doc, info.title, PAD + 20, `font: 700 18px ${page.fontFamily}; fill: ${page.color}`));
  svg.appendChild(captionText(doc, info.subtitle, PAD + 42, `font: 400 15px ${page.fontFamily}; fill: ${page.color}; fill-opacity: 0.75`));

  const holder = doc.createElementNS(SVG_NS, 'foreignObject');
  for (const [k, v] of [['x', PAD], ['y', PAD + CAPTION], ['width', inner.width], ['height', inner.height]] as const) holder.setAttribute(k, String(v));
  const frame = doc.createElementNS(XHTML_NS, 'div');
  frame.setAttribute('style', `width: ${inner.width}px; height: ${inner.height}px; margin: 0; overflow: hidden;`);
  const cloner = new StyledCloner(doc);
  try {
    const copy = cloner.clone(target);
    if (copy) {
      // The copy sits at the frame's origin, whatever placed it on the page.
      copy.setAttribute('style', `${copy.getAttribute('style') ?? ''}; position: static; margin: 0px; top: auto; left: auto; transform: none`);
      frame.appendChild(copy);
    }
  } finally {
    cloner.dispose();
  }
  holder.appendChild(frame);
  svg.appendChild(holder);
  const text = new XMLSerializer().serializeToString(doc);
  return { svg: `<?xml version="1.0" encoding="UTF-8"?>\n${text}`, width, height };
}

function captionText(doc: XMLDocument, text: string, y: number, style: string): Element {
  const el = doc.createElementNS(SVG_NS, 'text');
  el.setAttribute('x', String(PAD));
  el.setAttribute('y', String(y));
  el.setAttribute('style', style);
  // One line: SVG text does not wrap.
  el.textContent = text.length > 160 ? `${text.slice(0, 157)}...` : text;
  return el;
}
