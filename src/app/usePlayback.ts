import { useEffect } from 'react';
import { setPlaying, useAppStore } from '../store/appStore.ts';
import { selectCursor, selectPlaying, selectRevision, selectSpeed, selectStepCount } from '../store/selectors.ts';

/** At 1x a step stays up this long: long enough for a walk's reveal (4 levels x 250 ms) and a read of the narration. */
export const BASE_STEP_MS = 2000;

/**
 * While playing, asks for the next step once the current one has been shown
 * for BASE_STEP_MS / speed; stops at the last step. Each step waits for the
 * previous answer (the revision moves), so a slow engine never queues steps.
 */
export function usePlayback(onStep: (delta: 1) => void): void {
  const playing = useAppStore(selectPlaying);
  const speed = useAppStore(selectSpeed);
  const cursor = useAppStore(selectCursor);
  const count = useAppStore(selectStepCount);
  const revision = useAppStore(selectRevision);
  useEffect(() => {
    if (!playing) return;
    // The last step also stays up its full time before playing stops (and a restart from the end has time to land on step 0).
    const timer = window.setTimeout(() => (cursor >= count ? setPlaying(false) : onStep(1)), BASE_STEP_MS / speed);
    return () => window.clearTimeout(timer);
  }, [playing, speed, cursor, count, revision, onStep]);
}
