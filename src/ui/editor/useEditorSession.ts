/**
 * Mounted once by the app: opens the editor's storage at start-up (so
 * unsaved work is found even before the editor is opened), and keeps
 * `?edit` in the address bar while the editor is open, so that a reload
 * comes back to it with the work restored.
 */
import { useEffect, useRef } from 'react';
import type { WorkStore } from '../../persist/db.ts';
import { addNotice, setMode, useAppStore } from '../../store/appStore.ts';
import { selectMode } from '../../store/selectors.ts';
import { afterFirstView } from '../shell/afterFirstView.ts';
import { trackLoad } from '../shell/lazyLoads.ts';

export const EDIT_PARAM = 'edit';

export function useEditorSession(open?: () => Promise<WorkStore>): void {
  useEffect(() => {
    let stop: (() => Promise<void>) | undefined;
    let cancelled = false;
    const notify = (tone: 'info' | 'warning', text: string) => {
      const editing = useAppStore.getState().mode === 'editor';
      // "Your work was kept; press Edit" means nothing to someone already in the editor; a storage problem
      // matters only to someone editing (the editor shows it whenever it is opened).
      if (tone === 'info' ? !editing : editing) addNotice({ tone, text });
    };
    // Loaded apart from the page's first chunk, after the first view: the editor's code is not needed to show a scenario.
    void afterFirstView().then(() => {
      if (cancelled) return;
      void trackLoad(import('./session.ts').then(({ startEditorSession }) => startEditorSession({ notify, ...(open ? { open } : {}) }))).then((session) => {
        if (cancelled) void session();
        else stop = session;
      });
    });
    return () => {
      cancelled = true;
      void stop?.();
    };
  }, [open]);

  useEffect(() => {
    if (new URLSearchParams(window.location.search).has(EDIT_PARAM)) setMode('editor');
  }, []);

  const mode = useAppStore(selectMode);
  const opened = useRef(false);
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    if (mode === 'editor') {
      opened.current = true;
      if (params.has(EDIT_PARAM)) return;
      params.set(EDIT_PARAM, '');
    } else {
      if (!opened.current || !params.has(EDIT_PARAM)) return;
      params.delete(EDIT_PARAM);
    }
    const query = params.toString().replace(/(^|&)edit=(?=&|$)/, '$1edit');
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`);
  }, [mode]);
}
