/**
 * Writes to the address bar, coalesced. history.replaceState is a
 * synchronous trip to Chromium's browser process (~2 ms a call with a
 * share-link-sized URL, measured by bench:ui's worker round trip): paid on
 * every step of someone stepping quickly, it held the page's thread just
 * when the worker's next answer arrived. The address now follows the screen
 * once stepping pauses for ADDRESS_DELAY_MS; a reload within that moment
 * reopens the step before (docs/performance.md).
 */
export const ADDRESS_DELAY_MS = 250;

const pending = new Map<string, ReturnType<typeof setTimeout>>();

/** Runs `write` once nothing has asked for `key` for ADDRESS_DELAY_MS: the newest request wins. */
export function writeAddressSoon(key: string, write: () => void): void {
  cancelAddressWrite(key);
  pending.set(
    key,
    setTimeout(() => {
      pending.delete(key);
      write();
    }, ADDRESS_DELAY_MS),
  );
}

/** Drops a write not yet made (the view it was for is gone). */
export function cancelAddressWrite(key: string): void {
  const timer = pending.get(key);
  if (timer === undefined) return;
  clearTimeout(timer);
  pending.delete(key);
}
