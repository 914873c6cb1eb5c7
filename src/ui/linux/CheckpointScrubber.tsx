/**
 * The points of a domain switch, one at a time: before the first device
 * moves, after every store and sync of every STE/CD write, after each device
 * is on its new domain, and after the call (group->domain updated). A slider
 * and Previous / Next move through them; the topology and the packets follow.
 */
import type { Checkpoint } from '../../engine/index.ts';

interface Props {
  readonly checkpoints: readonly Checkpoint[];
  /** 0 .. checkpoints.length; checkpoints.length = after the call. */
  readonly position: number;
  readonly onMove: (position: number) => void;
}

/** The PASID a checkpoint's switch is about (a PASID switch leaves group->domain alone), if any. */
export function checkpointPasid(c: Checkpoint | undefined): number | undefined {
  const pasid = (c as { readonly pasid?: unknown } | undefined)?.pasid;
  return typeof pasid === 'number' ? pasid : undefined;
}

export function positionText(checkpoints: readonly Checkpoint[], position: number): string {
  const c = checkpoints[position];
  if (c) return `Checkpoint ${position} of ${checkpoints.length - 1}: ${c.label}`;
  const last = checkpoints[checkpoints.length - 1];
  const pasid = checkpointPasid(last);
  if (!last) return 'After the call';
  return pasid === undefined ? `After the call: group->domain of group ${last.group} is ${last.new}` : `After the call: PASID ${pasid} of group ${last.group} is on ${last.new}`;
}

export function CheckpointScrubber({ checkpoints, position, onMove }: Props) {
  const last = checkpoints.length;
  const go = (to: number) => onMove(Math.min(Math.max(to, 0), last));
  return (
    <div className="scrubber" role="group" aria-label="Checkpoints of the domain switch">
      <button type="button" className="button button-small" onClick={() => go(position - 1)} disabled={position === 0} aria-label="Previous checkpoint">← Previous</button>
      <input type="range" className="scrubber-range" min={0} max={last} step={1} value={position} aria-label="Checkpoint"
        aria-valuetext={positionText(checkpoints, position)} onChange={(e) => go(Number(e.currentTarget.value))} data-testid="checkpoint-range" />
      <button type="button" className="button button-small" onClick={() => go(position + 1)} disabled={position === last} aria-label="Next checkpoint">Next →</button>
      <p className="scrubber-label" aria-live="polite" data-testid="checkpoint-label">{positionText(checkpoints, position)}</p>
    </div>
  );
}
