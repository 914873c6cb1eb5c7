/**
 * Writes the current work a moment after each change (so typing is one
 * write, not one per key), and at once when the page is hidden or unloaded:
 * a tab switched away from may be killed without another event, and
 * `pagehide` is the last one a closing or reloading page gets.
 */

export interface Autosave<T> {
  /** Remember `value` as the latest; it is written after the delay unless another comes first. */
  schedule(value: T): void;
  /** Write the pending value now (if any); resolves when the write has. */
  flush(): Promise<void>;
  /** Stop listening to the page; a pending value is written first. */
  dispose(): Promise<void>;
}

export interface AutosaveOptions {
  readonly delayMs?: number;
  /** Where pagehide arrives (window); undefined outside a page. */
  readonly window?: Pick<Window, 'addEventListener' | 'removeEventListener'>;
  /** Where visibilitychange arrives, and whether the page is hidden now. */
  readonly document?: Pick<Document, 'addEventListener' | 'removeEventListener' | 'visibilityState'>;
}

export const AUTOSAVE_DELAY_MS = 250;

export function createAutosave<T>(write: (value: T) => Promise<void>, options: AutosaveOptions = {}): Autosave<T> {
  const delay = options.delayMs ?? AUTOSAVE_DELAY_MS;
  const win = options.window ?? (typeof window === 'undefined' ? undefined : window);
  const doc = options.document ?? (typeof document === 'undefined' ? undefined : document);
  let pending: { value: T } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Writes run one after another, so an older value never lands after a newer one. */
  let chain: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const next = pending;
    pending = undefined;
    if (next) chain = chain.then(() => write(next.value)).catch(() => undefined);
    return chain;
  };
  const onPageHide = () => void flush();
  const onVisibility = () => {
    if (doc?.visibilityState === 'hidden') void flush();
  };
  win?.addEventListener('pagehide', onPageHide);
  doc?.addEventListener('visibilitychange', onVisibility);

  return {
    schedule(value) {
      pending = { value };
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => void flush(), delay);
    },
    flush,
    dispose() {
      win?.removeEventListener('pagehide', onPageHide);
      doc?.removeEventListener('visibilitychange', onVisibility);
      return flush();
    },
  };
}
