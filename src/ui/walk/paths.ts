/**
 * SVG path strings for the diagram's arrows. Pure functions of coordinates,
 * so the geometry is unit-tested and React only pastes the strings in.
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

const round = (n: number): number => Math.round(n * 10) / 10;
const pt = (p: Point): string => `${round(p.x)},${round(p.y)}`;

/** A curve that leaves `from` downwards and arrives at `to` downwards (index field -> table). */
export function verticalCurve(from: Point, to: Point): string {
  const mid = (from.y + to.y) / 2;
  return `M${pt(from)} C${pt({ x: from.x, y: mid })} ${pt({ x: to.x, y: mid })} ${pt(to)}`;
}

/** A curve that leaves `from` rightwards and arrives at `to` rightwards (descriptor -> next table). */
export function horizontalCurve(from: Point, to: Point): string {
  const mid = (from.x + to.x) / 2;
  return `M${pt(from)} C${pt({ x: mid, y: from.y })} ${pt({ x: mid, y: to.y })} ${pt(to)}`;
}

/** Straight segments through the given points. */
export function polyline(points: readonly Point[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${pt(p)}`).join(' ');
}

/**
 * A filled triangle whose tip is at `tip`, pointing along `direction`
 * (radians; 0 = right, PI/2 = down, in SVG's y-down space).
 */
export function arrowHead(tip: Point, direction: number, size = 9): string {
  const back = { x: tip.x - size * Math.cos(direction), y: tip.y - size * Math.sin(direction) };
  const half = size * 0.55;
  const left = { x: back.x + half * Math.sin(direction), y: back.y - half * Math.cos(direction) };
  const right = { x: back.x - half * Math.sin(direction), y: back.y + half * Math.cos(direction) };
  return `M${pt(tip)} L${pt(left)} L${pt(right)} Z`;
}

export const DOWN = Math.PI / 2;
export const RIGHT = 0;
