/**
 * The CSS properties an exported diagram keeps, split by whether they
 * inherit: an inherited value is written only where it differs from the
 * parent's, any other only where it differs from what the element would have
 * with no page styles at all. Layout is frozen as laid out on screen
 * (widths, heights, grid tracks in px), so the file looks the same without
 * the page's stylesheets.
 */
export const INHERITED_PROPS: readonly string[] = [
  'color', 'font-family', 'font-size', 'font-weight', 'font-style', 'font-stretch', 'font-variant-numeric', 'font-variant-ligatures', 'font-feature-settings',
  'line-height', 'letter-spacing', 'word-spacing', 'text-align', 'text-transform', 'text-indent', 'text-shadow', 'white-space', 'overflow-wrap', 'word-break',
  'tab-size', 'visibility', 'list-style-type', 'list-style-position', 'border-collapse', 'border-spacing', 'caption-side', 'empty-cells', 'accent-color',
  'color-scheme', 'direction', 'fill', 'fill-opacity', 'fill-rule', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'stroke-dashoffset',
  'stroke-linecap', 'stroke-linejoin', 'stroke-miterlimit', 'text-anchor', 'dominant-baseline', 'paint-order', 'marker-start', 'marker-mid', 'marker-end',
  'shape-rendering', 'text-rendering',
];

export const OWN_PROPS: readonly string[] = [
  'display', 'position', 'top', 'right', 'bottom', 'left', 'z-index', 'float', 'clear', 'box-sizing', 'width', 'height', 'min-width', 'min-height',
  'margin-top', 'margin-right', 'margin-bottom', 'margin-left', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left',
  'border-top-width', 'border-right-width', 'border-bottom-width', 'border-left-width', 'border-top-style', 'border-right-style', 'border-bottom-style',
  'border-left-style', 'border-top-color', 'border-right-color', 'border-bottom-color', 'border-left-color', 'border-top-left-radius',
  'border-top-right-radius', 'border-bottom-right-radius', 'border-bottom-left-radius', 'background-color', 'background-image', 'background-size',
  'background-position', 'background-repeat', 'box-shadow', 'opacity', 'transform', 'transform-origin', 'overflow-x', 'overflow-y', 'text-overflow',
  'flex-direction', 'flex-wrap', 'justify-content', 'justify-items', 'align-items', 'align-self', 'align-content', 'justify-self', 'flex-grow', 'flex-shrink',
  'flex-basis', 'order', 'row-gap', 'column-gap', 'grid-template-columns', 'grid-template-rows', 'grid-template-areas', 'grid-auto-flow', 'grid-auto-columns', 'grid-auto-rows',
  'grid-column-start', 'grid-column-end', 'grid-row-start', 'grid-row-end', 'vertical-align', 'text-decoration-line', 'text-decoration-color',
  'text-decoration-style', 'text-decoration-thickness', 'text-underline-offset', 'table-layout', 'clip-path', 'filter', 'mix-blend-mode', 'object-fit',
  'vector-effect', 'stop-color', 'stop-opacity', 'isolation',
];

