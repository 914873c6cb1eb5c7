/**
 * The walk's reveal animation: d3 transitions on elements React rendered.
 * React owns the structure; d3 only sets inline opacity and dash styles on
 * the `g.stage` groups and their arrows (styles React never sets), so the
 * two never fight. Stages appear one after another, STAGE_MS apart: the
 * levels in walk order, then the result. With prefers-reduced-motion (or no
 * matchMedia at all, as in jsdom) the final state shows at once.
 */
import { useEffect } from 'react';
import type { RefObject } from 'react';
// Importing interrupt from d3 also keeps d3-transition in the bundle, whose module
// adds .transition() to selections (d3 itself is marked side-effect free).
import { easeCubicOut, interrupt, select } from 'd3';
import type { Selection } from 'd3';

export const STAGE_MS = 250;

export function prefersReducedMotion(): boolean {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return true;
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * Replays the reveal whenever `replayKey` changes. `data-reveal` on the svg
 * reads "running" or "done", so browser tests can wait for the final picture.
 */
export function useReveal(svgRef: RefObject<SVGSVGElement | null>, replayKey: unknown, startDelay = 0): void {
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const root = select(svg);
    const stages = root.selectAll<SVGGElement, unknown>('g.stage');
    const lines = stages.selectAll<SVGPathElement, unknown>('.arrow-line');
    const heads = stages.selectAll<SVGPathElement, unknown>('.arrow-head');
    const settle = () => {
      stop(stages).style('opacity', null);
      stop(lines).style('stroke-dasharray', null).style('stroke-dashoffset', null);
      stop(heads).style('opacity', null);
    };
    settle();
    if (prefersReducedMotion() || stages.empty()) {
      root.attr('data-reveal', 'done');
      return settle;
    }
    root.attr('data-reveal', 'running');
    const last = stages.size() - 1;
    stages.each(function (_, i) {
      const delay = startDelay + i * STAGE_MS;
      const stage = select(this);
      // pathLength="1" on every arrow line lets a dash of length 1 cover it, whatever its drawn length.
      stage.selectAll<SVGPathElement, unknown>('.arrow-line')
        .style('stroke-dasharray', '1').style('stroke-dashoffset', '1')
        .transition('reveal').delay(delay).duration(STAGE_MS * 0.8).ease(easeCubicOut).style('stroke-dashoffset', '0')
        .on('end', function () {
          select(this).style('stroke-dasharray', null).style('stroke-dashoffset', null);
        });
      stage.selectAll<SVGPathElement, unknown>('.arrow-head').style('opacity', 0)
        .transition('reveal').delay(delay + STAGE_MS * 0.6).duration(STAGE_MS * 0.4).style('opacity', 1);
      const fade = stage.style('opacity', 0).transition('reveal').delay(delay).duration(STAGE_MS).ease(easeCubicOut).style('opacity', 1);
      if (i === last) fade.on('end', () => root.attr('data-reveal', 'done'));
    });
    return settle;
  }, [svgRef, replayKey, startDelay]);
}

function stop<E extends Element>(selection: Selection<E, unknown, Element | null, unknown>): Selection<E, unknown, Element | null, unknown> {
  return selection.each(function () {
    interrupt(this, 'reveal');
  });
}
