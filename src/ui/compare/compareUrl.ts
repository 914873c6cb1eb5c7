/**
 * `?view=compare`: a link that opens the scenario in the SMMUv3 / VT-d
 * comparison. The address follows the toggle, so the link always reopens
 * what is on screen.
 */
import { useEffect, useRef } from 'react';
import { useAppStore } from '../../store/appStore.ts';

export const COMPARE_VIEW = 'compare';

export function wantsCompare(search: string): boolean {
  return new URLSearchParams(search).get('view')?.trim() === COMPARE_VIEW;
}

/** The query string with `view=compare` set or dropped, other parameters kept. */
export function withCompare(search: string, open: boolean): string {
  const params = new URLSearchParams(search);
  if (open) params.set('view', COMPARE_VIEW);
  else if (params.get('view') === COMPARE_VIEW) params.delete('view');
  const rest = params.toString();
  return rest === '' ? '' : `?${rest}`;
}

/** Keeps `view=compare` in the address bar while the comparison is open. */
export function useCompareUrl(): void {
  const open = useAppStore((s) => s.compareOpen);
  const seen = useRef(false);
  useEffect(() => {
    if (!open && !seen.current) return;
    seen.current = true;
    const { pathname, search, hash } = window.location;
    const next = withCompare(search, open);
    if (next !== search) window.history.replaceState(window.history.state, '', pathname + next + hash);
  }, [open]);
}
