/**
 * A copy of part of the page for an SVG <foreignObject>: each element in the
 * XHTML or SVG namespace with the styles it has on screen written inline,
 * ::before / ::after turned into spans (a still copy has no stylesheet to
 * generate them), and form controls showing their current values. What is
 * not rendered (display: none) is left out.
 */
import { INHERITED_PROPS, OWN_PROPS } from './styleProps.ts';
import { SVG_NS } from './svgMetadata.ts';

export const XHTML_NS = 'http://www.w3.org/1999/xhtml';
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'link', 'meta']);

type Values = Readonly<Record<string, string>>;

/** What a tag looks like with no page styles: its own properties, and the inherited ones its UA style sets (a button's font-size, an h4's weight). */
interface TagDefaults {
  readonly own: Values;
  readonly uaInherited: ReadonlySet<string>;
}

export class StyledCloner {
  private readonly defaults = new Map<string, TagDefaults>();
  private readonly host: HTMLElement;
  private readonly sandbox: ShadowRoot;
  private readonly svgSandbox: SVGSVGElement;

  constructor(private readonly out: XMLDocument) {
    // Each tag's defaults are read inside a shadow root, where none of the page's rules (not even `*`) apply:
    // only the browser's own styles, as in the exported file. Hidden, but rendered so sizes resolve.
    this.host = document.createElement('div');
    this.host.setAttribute('style', 'all: initial; position: absolute; left: -10000px; top: 0; contain: strict; width: 10px; height: 10px;');
    this.sandbox = this.host.attachShadow({ mode: 'open' });
    this.svgSandbox = document.createElementNS(SVG_NS, 'svg');
    this.sandbox.appendChild(this.svgSandbox);
    document.body.appendChild(this.host);
  }

  dispose(): void {
    this.host.remove();
  }

  /** The copy of `source` and everything under it; the root writes every inherited property. */
  clone(source: Element): Element | undefined {
    return this.cloneElement(source, undefined);
  }

  private cloneElement(source: Element, parent: Values | undefined): Element | undefined {
    if (SKIPPED.has(source.localName)) return undefined;
    const style = getComputedStyle(source);
    if (style.display === 'none') return undefined;
    const isSvg = source.namespaceURI === SVG_NS;
    const copy = this.out.createElementNS(isSvg ? SVG_NS : XHTML_NS, source.localName);
    for (const attr of source.attributes) {
      if (attr.name === 'style' || attr.name.startsWith('on')) continue;
      copy.setAttributeNS(attr.namespaceURI, attr.name, attr.value);
    }
    const inherited = readProps(style, INHERITED_PROPS);
    const text = styleText(inherited, parent, readProps(style, OWN_PROPS), this.defaultsOf(source.namespaceURI, source.localName));
    if (text !== '') copy.setAttribute('style', text);
    copyFormState(source, copy);
    if (!isSvg) this.pseudo(source, '::before', inherited, copy);
    // A textarea's children are its default text; copyFormState wrote what it holds now.
    for (const child of source instanceof HTMLTextAreaElement ? [] : source.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) copy.appendChild(this.out.createTextNode(child.nodeValue ?? ''));
      else if (child instanceof Element) {
        const inner = this.cloneElement(child, inherited);
        if (inner) copy.appendChild(inner);
      }
    }
    if (!isSvg) this.pseudo(source, '::after', inherited, copy);
    return copy;
  }

  private pseudo(source: Element, which: '::before' | '::after', parent: Values, copy: Element): void {
    const style = getComputedStyle(source, which);
    const text = contentText(style.content);
    if (text === undefined || style.display === 'none') return;
    const span = this.out.createElementNS(XHTML_NS, 'span');
    const css = styleText(readProps(style, INHERITED_PROPS), parent, readProps(style, OWN_PROPS), this.defaultsOf(XHTML_NS, 'span'));
    if (css !== '') span.setAttribute('style', css);
    span.appendChild(this.out.createTextNode(text));
    if (which === '::before') copy.insertBefore(span, copy.firstChild);
    else copy.appendChild(span);
  }

  private defaultsOf(namespace: string | null, tag: string): TagDefaults {
    const key = `${namespace ?? ''} ${tag}`;
    let values = this.defaults.get(key);
    if (!values) {
      const probe = namespace === SVG_NS ? document.createElementNS(SVG_NS, tag) : document.createElement(tag);
      const parent = namespace === SVG_NS ? this.svgSandbox : this.host;
      (namespace === SVG_NS ? this.svgSandbox : this.sandbox).appendChild(probe);
      const style = getComputedStyle(probe);
      const around = getComputedStyle(parent);
      values = {
        own: readProps(style, OWN_PROPS),
        uaInherited: new Set(INHERITED_PROPS.filter((prop) => style.getPropertyValue(prop) !== around.getPropertyValue(prop))),
      };
      probe.remove();
      this.defaults.set(key, values);
    }
    return values;
  }
}

function readProps(style: CSSStyleDeclaration, props: readonly string[]): Values {
  const out: Record<string, string> = {};
  for (const prop of props) out[prop] = localUrls(style.getPropertyValue(prop));
  return out;
}

/** Computed url(...) values name the page's address; in the file they must point inside it (markers, gradients). */
function localUrls(value: string): string {
  return value.includes('url(') ? value.replace(/url\((["']?)[^"')]*?(#[^"')]+)\1\)/g, 'url("$2")') : value;
}

/** An inherited value is written where it differs from the parent's or where the tag's UA style would set another; any other where it is not the tag's default. */
function styleText(inherited: Values, parent: Values | undefined, own: Values, defaults: TagDefaults): string {
  const parts: string[] = [];
  for (const [prop, value] of Object.entries(inherited)) {
    if (value !== '' && (!parent || parent[prop] !== value || defaults.uaInherited.has(prop))) parts.push(`${prop}: ${value}`);
  }
  for (const [prop, value] of Object.entries(own)) if (value !== '' && value !== defaults.own[prop]) parts.push(`${prop}: ${value}`);
  return parts.join('; ');
}

/** The text of a computed `content` value made of quoted strings; undefined when it generates nothing. */
export function contentText(content: string): string | undefined {
  if (content === '' || content === 'none' || content === 'normal') return undefined;
  const strings = [...content.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? '');
  return strings
    .join('')
    .replace(/\\([0-9a-fA-F]{1,6})\s?/g, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/\\(.)/g, '$1');
}

function copyFormState(source: Element, copy: Element): void {
  if (source instanceof HTMLInputElement) {
    copy.setAttribute('value', source.value);
    if (source.checked) copy.setAttribute('checked', 'checked');
    else copy.removeAttribute('checked');
  } else if (source instanceof HTMLOptionElement) {
    if (source.selected) copy.setAttribute('selected', 'selected');
    else copy.removeAttribute('selected');
  } else if (source instanceof HTMLTextAreaElement) {
    copy.textContent = source.value;
  }
}
