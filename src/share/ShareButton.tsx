/**
 * "Share": copies a link to what is on screen (scenario, step, tab, selected
 * stream) and shows it in a small dialog with its length, so it can also be
 * copied by hand where the clipboard is not allowed. Modal like the keyboard
 * help: focus moves in, Escape or Close shuts it, focus returns.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useAppStore } from '../store/appStore.ts';
import type { EncodeResult } from './link.ts';
import './share.css';

interface Shown {
  readonly url?: string;
  readonly error?: string;
  readonly copied?: 'yes' | 'no';
  /** What the link shows, for the sentence above it. */
  readonly what?: string;
}

const TAB_NAMES: Readonly<Record<string, string>> = { streams: 'Stream table', cds: 'CD table', events: 'Event queue', commands: 'Command queue', caches: 'Caches' };

export function ShareButton({ makeLink }: { readonly makeLink: () => Promise<EncodeResult | undefined> | EncodeResult | undefined }) {
  const [shown, setShown] = useState<Shown | undefined>(undefined);
  const button = useRef<HTMLButtonElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const titleId = useId();

  useEffect(() => {
    if (!shown) return;
    field.current?.focus();
    field.current?.select();
  }, [shown]);

  const close = () => {
    setShown(undefined);
    button.current?.focus();
  };

  const share = async () => {
    const result = await makeLink();
    if (!result) return setShown({ error: 'The scenario is still loading; try again in a moment.' });
    if (!result.ok) return setShown({ error: result.message });
    const { origin, pathname } = window.location;
    const url = `${origin}${pathname}#${result.link}`;
    const s = useAppStore.getState();
    const stream = typeof s.viewRequest.stream === 'number' ? `, StreamID ${s.viewRequest.stream} selected` : '';
    const what = `“${s.outline?.title ?? 'this scenario'}” at step ${s.cursor} of ${s.outline?.stepCount ?? 0}${s.smmu ? `, ${TAB_NAMES[s.smmuTab] ?? s.smmuTab} tab${stream}` : ''}`;
    setShown({ url, what });
    copy(url);
  };

  const copy = (url: string) => {
    const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard;
    if (!clipboard) return setShown((s) => (s ? { ...s, copied: 'no' } : s));
    clipboard.writeText(url).then(
      () => setShown((s) => (s?.url === url ? { ...s, copied: 'yes' } : s)),
      () => setShown((s) => (s?.url === url ? { ...s, copied: 'no' } : s)),
    );
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    // The page's own keys (arrows step, digits switch views) stay quiet while the dialog is up.
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  };

  return (
    <>
      <button ref={button} type="button" className="button share-button" onClick={() => void share()} aria-haspopup="dialog">
        Share
      </button>
      {shown && (
        <div className="share-backdrop" onClick={close}>
          <div className="share-dialog card" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="share-dialog" onKeyDown={onKeyDown} onClick={(e) => e.stopPropagation()}>
            <h2 id={titleId}>Share this view</h2>
            {shown.error !== undefined ? (
              <p className="share-error" role="alert">{shown.error}</p>
            ) : (
              <>
                <p>This link opens {shown.what}. It holds the whole scenario, so edits travel with it; nothing is stored on a server.</p>
                <label className="share-field">
                  <span>Link</span>
                  <input ref={field} type="text" readOnly value={shown.url} data-testid="share-link" onFocus={(e) => e.currentTarget.select()} />
                </label>
                <p className="share-meta">
                  <span data-testid="share-length">{(shown.url ?? '').length.toLocaleString('en-US')} characters</span>
                  <span role="status" data-testid="share-copied">
                    {shown.copied === 'yes' ? 'Copied to the clipboard.' : shown.copied === 'no' ? 'Could not copy automatically: select the link and copy it (Ctrl+C).' : ''}
                  </span>
                </p>
              </>
            )}
            <div className="share-actions">
              {shown.url !== undefined && (
                <button type="button" className="button" onClick={() => copy(shown.url as string)}>Copy again</button>
              )}
              <button type="button" className="button button-primary" onClick={close}>Close</button>
            </div>
          </div>
        </div>
      )}
    </>
  );
}
