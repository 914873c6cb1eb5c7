import type { Arrow } from './walkLayout.ts';
import { levelClass } from '../format.ts';

/** Lines and heads are separate paths so the reveal can draw the line first and then show the head. */
export function Arrows({ arrows }: { arrows: readonly Arrow[] }) {
  return (
    <>
      {arrows.map((a) => {
        const colour = a.level === undefined ? a.tone : levelClass(a.level);
        return (
          <g key={a.key} className={`arrow arrow-${a.tone} ${colour}`} data-arrow={a.key}>
            <path className="arrow-line" d={a.d} pathLength={1} />
            <path className="arrow-head" d={a.head} />
          </g>
        );
      })}
    </>
  );
}
