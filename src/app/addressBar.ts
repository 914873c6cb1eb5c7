/**
 * Writes to the address bar, coalesced. history.replaceState is a
 * synchronous trip to Chromium's browser process (~2 ms a call with a
 * share-link-sized URL, measured by bench:ui's worker round trip): paid on
 * every step of someone stepping quickly, it held the page's thread just
 * when the worker's next answer arrived. The address now follows the screen
 * once stepping pauses for ADDRESS_DELAY_MS and the page is next idle (a
 * share link of a big scenario takes tens of ms to encode: not in the middle
 * of a scroll); a reload within that moment reopens the step before
 * (docs/performance.md).
 */
export const ADDRESS_DELAY_MS = 250;

/** Each key's write not yet made; a callback that finds another entry under its key was overtaken and does nothing. */
const pending = new Map<string, { timer: ReturnType<typeof setTimeout>; idle?: number }>();

/** A page that is never idle (an animation every frame) still gets its address this long after the pause. */
export const LONGEST_IDLE_WAIT_MS = 250;

function whenIdle(run: () => void): number | undefined {
  if (typeof requestIdleCallback === 'function') return requestIdleCallback(run, { timeout: LONGEST_IDLE_WAIT_MS });
  setTimeout(run, 0);
  return undefined;
}

/** Runs `write` once nothing has asked for `key` for ADDRESS_DELAY_MS, when the page is next idle: the newest request wins. */
export function writeAddressSoon(key: string, write: () => void): void {
  cancelAddressWrite(key);
  const entry: { timer: ReturnType<typeof setTimeout>; idle?: number } = {
    timer: setTimeout(() => {
      const idle = whenIdle(() => {
        if (pending.get(key) !== entry) return;
        pending.delete(key);
        write();
      });
      if (idle !== undefined) entry.idle = idle;
    }, ADDRESS_DELAY_MS),
  };
  pending.set(key, entry);
}

/** Drops a write not yet made (the view it was for is gone). */
export function cancelAddressWrite(key: string): void {
  const entry = pending.get(key);
  if (entry === undefined) return;
  clearTimeout(entry.timer);
  if (entry.idle !== undefined && typeof cancelIdleCallback === 'function') cancelIdleCallback(entry.idle);
  pending.delete(key);
}
