/**
 * Keeps the address bar a share link of what is on screen: after every step
 * shown, tab picked or stream selected, the hash is rewritten in place
 * (replaceState: stepping does not fill the back button's history). A link
 * pasted into the address bar of the open page (only the hash changes, so
 * nothing reloads) opens too; a bad one leaves the current scenario as it is.
 */
import { type RefObject, useEffect, useRef } from 'react';
import { cancelAddressWrite, writeAddressSoon } from '../app/addressBar.ts';
import { writeShareUrl } from '../app/url.ts';
import { useAppStore } from '../store/appStore.ts';
import { afterFirstView } from '../ui/shell/afterFirstView.ts';
import { trackLoad } from '../ui/shell/lazyLoads.ts';
import type { EncodeResult } from './link.ts';
import { type ScenarioOpener, openShareHash } from './openFromAddress.ts';
import { SHARED_SCENARIO_ID } from './view.ts';

export interface ShareSource extends ScenarioOpener {
  shareLink(): Promise<EncodeResult | undefined>;
}

export function useShareAddress(source: RefObject<ShareSource | undefined>): void {
  const mode = useAppStore((s) => s.mode);
  const status = useAppStore((s) => s.status);
  const scenarioId = useAppStore((s) => s.scenarioId);
  const revision = useAppStore((s) => s.revision);
  const cursor = useAppStore((s) => s.cursor);
  const tab = useAppStore((s) => s.smmuTab);
  const stream = useAppStore((s) => s.viewRequest.stream);
  const written = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (mode !== 'scenario' || status !== 'ready') return;
    // The link is made asynchronously (the codec loads on first use); a step shown meanwhile makes its own.
    // Made once stepping pauses (src/app/addressBar.ts): encoding and replaceState cost the page's thread a few ms.
    let stale = false;
    writeAddressSoon('share', () => {
      void afterFirstView().then(() => (stale ? undefined : trackLoad(source.current?.shareLink() ?? Promise.resolve(undefined)))).then((result) => {
        if (stale || !result?.ok) return;
        const { pathname, search, hash } = window.location;
        const builtin = scenarioId === SHARED_SCENARIO_ID ? undefined : scenarioId;
        const next = writeShareUrl(search, builtin, cursor, result.link);
        written.current = result.link;
        if (next !== search + hash) window.history.replaceState(window.history.state, '', pathname + next);
      });
    });
    return () => {
      stale = true;
      cancelAddressWrite('share');
    };
  }, [source, mode, status, scenarioId, revision, cursor, tab, stream]);

  useEffect(() => {
    const onHashChange = () => {
      const opener = source.current;
      const hash = window.location.hash;
      if (!opener || hash.slice(1) === written.current) return;
      void openShareHash(opener, hash, () => Promise.resolve(), 'The scenario you had open stays as it was.');
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [source]);
}
