/** Small statistics for the UI benchmark's JSON lines. */

/** The value below which `p` percent of the samples lie (nearest rank). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** One vsync at 60 Hz. */
export const FRAME_MS = 1000 / 60;

export interface FrameStats {
  readonly frames: number;
  readonly p50_ms: number;
  readonly p95_ms: number;
  readonly max_ms: number;
  /** Vsync intervals with no new frame: a 50 ms gap is 2 dropped frames. */
  readonly dropped: number;
  /** Frames that took longer than one vsync by more than a quarter of one (timer jitter is not a drop). */
  readonly long_frames: number;
}

/** The intervals between consecutive requestAnimationFrame timestamps. */
export function gapsOf(timestamps: readonly number[]): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < timestamps.length; i++) gaps.push(timestamps[i]! - timestamps[i - 1]!);
  return gaps;
}

/** Statistics of frame intervals, from one recording or several put together. */
export function statsOfGaps(gaps: readonly number[]): FrameStats {
  return {
    frames: gaps.length,
    p50_ms: round(percentile(gaps, 50)),
    p95_ms: round(percentile(gaps, 95)),
    max_ms: round(Math.max(...gaps)),
    dropped: gaps.reduce((n, g) => n + Math.max(0, Math.round(g / FRAME_MS) - 1), 0),
    long_frames: gaps.filter((g) => g > FRAME_MS * 1.25).length,
  };
}

export const frameStats = (timestamps: readonly number[]) => statsOfGaps(gapsOf(timestamps));
