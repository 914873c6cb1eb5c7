/** Messages about the page itself: an unknown scenario in the link, an engine failure. */
import { dismissNotice, useAppStore } from '../../store/appStore.ts';
import { selectNotices } from '../../store/selectors.ts';

export function Notices() {
  const notices = useAppStore(selectNotices);
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((notice, i) => (
        <div key={i} className={`notice notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          <p>{notice.text}</p>
          <button type="button" className="button notice-dismiss" aria-label="Dismiss this message" onClick={() => dismissNotice(i)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
