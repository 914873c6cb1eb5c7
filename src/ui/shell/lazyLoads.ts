/**
 * Chunks the app loads on its own after the first view (the editor's
 * session, the share codec) are counted while in flight, so that whatever
 * tears the page down can wait for them: the component tests' environment
 * does, between tests, so an import never lands after it is gone.
 */
const inFlight = new Set<Promise<unknown>>();

/** Counts `load` until it settles; returns it. */
export function trackLoad<T>(load: Promise<T>): Promise<T> {
  inFlight.add(load);
  void load.then(
    () => inFlight.delete(load),
    () => inFlight.delete(load),
  );
  return load;
}

/** Resolves when every load counted so far has settled (fulfilled or not). */
export async function lazyLoadsSettled(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}
