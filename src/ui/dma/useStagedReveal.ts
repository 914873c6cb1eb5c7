/**
 * Reveals the rows of an HTML diagram one after another, each at its own
 * delay (the DMA path: STE, CD, IOTLB, then the walk's own reveal, then the
 * result). d3 transitions set inline opacity and transform on elements React
 * rendered and never styles itself; with prefers-reduced-motion the final
 * picture shows at once. The container's `data-reveal` reads "running" or
 * "done" for browser tests.
 */
import { useEffect } from 'react';
import type { RefObject } from 'react';
import { easeCubicOut, interrupt, select, selectAll } from 'd3';
import { prefersReducedMotion, STAGE_MS } from '../walk/useReveal.ts';

/** delays[i]: when the element with data-reveal-stage="i" starts to appear, in ms. */
export function useStagedReveal(ref: RefObject<HTMLElement | null>, replayKey: unknown, delays: readonly number[]): void {
  const key = delays.join(',');
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const items = selectAll<HTMLElement, unknown>(root.querySelectorAll<HTMLElement>('[data-reveal-stage]'));
    const settle = () => {
      items.each(function () {
        interrupt(this, 'reveal');
      });
      items.style('opacity', null).style('transform', null);
    };
    settle();
    if (prefersReducedMotion() || items.empty()) {
      root.dataset.reveal = 'done';
      return settle;
    }
    root.dataset.reveal = 'running';
    const stageDelays = key.split(',').map(Number);
    let last = 0;
    items.each(function () {
      last = Math.max(last, stageDelays[Number(this.dataset.revealStage)] ?? 0);
    });
    items.each(function () {
      const delay = stageDelays[Number(this.dataset.revealStage)] ?? 0;
      const t = select(this).style('opacity', '0').style('transform', 'translateY(6px)')
        .transition('reveal').delay(delay).duration(STAGE_MS).ease(easeCubicOut)
        .style('opacity', '1').style('transform', 'translateY(0px)');
      if (delay === last) t.on('end', () => (root.dataset.reveal = 'done'));
    });
    return settle;
  }, [ref, replayKey, key]);
}
