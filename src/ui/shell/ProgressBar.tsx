/**
 * How far a long engine run has got, with a way out. The supervisor reports
 * progress straight here (a tiny store of its own, so a report every 100 ms
 * re-renders this bar and nothing else); Cancel restarts the engine at the
 * step shown before the run.
 */
import { useSyncExternalStore } from 'react';
import type { Progress } from '../../worker/supervised-host.ts';

let current: Progress | undefined;
const listeners = new Set<() => void>();

/** The supervisor's onProgress: a report, or undefined when the run is over. */
export function showProgress(progress: Progress | undefined): void {
  current = progress;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const read = () => current;

export function ProgressBar() {
  const progress = useSyncExternalStore(subscribe, read, read);
  if (!progress) return null;
  const { done, total, replay, dmas } = progress;
  const what = replay ? 'Replaying the scenario after a restart' : 'Running steps';
  const steps = `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`;
  // Inside a million-DMA step the step count stands still; the DMAs made so far move the bar instead.
  const count = dmas ? `${steps}; step ${(done + 1).toLocaleString('en-US')}: ${dmas.done.toLocaleString('en-US')} of ${dmas.total.toLocaleString('en-US')} DMAs` : steps;
  const value = dmas && dmas.total > 0 ? done + dmas.done / dmas.total : done;
  return (
    <div className="notices">
      <div className="notice notice-progress" role="status" data-testid="engine-progress">
        <p>
          {what}: <span data-testid="engine-progress-count">{count}</span>
        </p>
        <progress max={total} value={value} aria-label={`${what}, ${count}`} style={{ flex: 2, height: 12 }} />
        <button type="button" className="button" onClick={() => progress.cancel()}>
          Cancel
        </button>
      </div>
    </div>
  );
}
