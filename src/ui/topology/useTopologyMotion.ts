/**
 * The topology's animation: the STE edges draw themselves, then each
 * in-flight DMA packet travels from its device to where the SMMU sent it,
 * whenever the step or the checkpoint changes. React renders every element
 * at its final place; d3 only sets an inline transform on the packet's body
 * and dash styles on edges (styles React never sets) and transitions them
 * back to nothing. Reduced motion shows the end at once. `data-motion` on
 * the svg reads "running" or "done" for browser tests.
 */
import { useEffect } from 'react';
import type { RefObject } from 'react';
import { easeCubicInOut, easeCubicOut, interrupt, select } from 'd3';
import { prefersReducedMotion } from '../walk/useReveal.ts';

export const PACKET_MS = 600;
const EDGE_MS = 300;
const PACKET_STAGGER_MS = 80;

export function useTopologyMotion(svgRef: RefObject<SVGSVGElement | null>, replayKey: unknown): void {
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const root = select(svg);
    const bodies = root.selectAll<SVGGElement, unknown>('g.packet > g.packet-body');
    const edges = root.selectAll<SVGPathElement, unknown>('path.edge-ste, path.edge-ste-moving');
    let live = true;
    const settle = () => {
      live = false;
      bodies.each(function () { interrupt(this, 'motion'); }).style('transform', null).style('opacity', null);
      edges.each(function () { interrupt(this, 'motion'); }).style('stroke-dasharray', null).style('stroke-dashoffset', null);
    };
    settle();
    live = true;
    if (prefersReducedMotion() || (bodies.empty() && edges.empty())) {
      root.attr('data-motion', 'done');
      return settle;
    }
    root.attr('data-motion', 'running');
    // pathLength="1" on every edge lets a dash of length 1 cover it, whatever its drawn length.
    const drawn = edges
      .style('stroke-dasharray', '1').style('stroke-dashoffset', '1')
      .transition('motion').duration(EDGE_MS).ease(easeCubicOut).style('stroke-dashoffset', '0')
      .on('end', function () {
        select(this).style('stroke-dasharray', null).style('stroke-dashoffset', null);
      });
    const moved = bodies
      .each(function () {
        const dx = Number(this.getAttribute('data-dx') ?? 0);
        const dy = Number(this.getAttribute('data-dy') ?? 0);
        select(this).style('transform', `translate(${dx}px, ${dy}px)`).style('opacity', '0.4');
      })
      .transition('motion').delay((_, i) => EDGE_MS + i * PACKET_STAGGER_MS).duration(PACKET_MS).ease(easeCubicInOut)
      .style('transform', 'translate(0px, 0px)').style('opacity', '1')
      .on('end', function () {
        select(this).style('transform', null).style('opacity', null);
      });
    // end() rejects when a transition is interrupted: the next run (or the cleanup) has taken over.
    Promise.all([edges.empty() ? undefined : drawn.end(), bodies.empty() ? undefined : moved.end()]).then(
      () => { if (live) root.attr('data-motion', 'done'); },
      () => undefined,
    );
    return settle;
  }, [svgRef, replayKey]);
}
