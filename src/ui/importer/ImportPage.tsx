/**
 * "Real machines": paste (or load) what a running Linux system prints about
 * its IOMMU, and see it. The importers are pure functions over the text and
 * run here on the page's thread, as the user types; what cannot be read is
 * listed by line, and what can is drawn.
 */
import { useDeferredValue, useEffect, useId, useMemo, useState, type ChangeEvent } from 'react';
import { importDump } from '../../importers/importDump.ts';
import { MAX_INPUT_CHARS } from '../../importers/limits.ts';
import { SAMPLES, sampleForParam } from '../../importers/samples/index.ts';
import { DUMP_KIND_LABELS } from '../../importers/types.ts';
import { DomainTables } from './DomainTables.tsx';
import { GroupsView } from './GroupsView.tsx';
import { ProblemList } from './ProblemList.tsx';
import { VtdTables } from './VtdTables.tsx';
import './importer.css';

/** The text the page opens with: a sample named by ?import=<sample>, else empty. */
function initialText(): string {
  if (typeof window === 'undefined') return '';
  return sampleForParam(new URLSearchParams(window.location.search).get('import'))?.text ?? '';
}

/** Keeps "?import" in the address bar while the page is open, so a reload comes back here; drops it on leaving. */
function useImportUrl(): void {
  useEffect(() => {
    const { pathname, search } = window.location;
    const params = new URLSearchParams(search);
    if (!params.has('import')) {
      params.set('import', '');
      window.history.replaceState(window.history.state, '', `${pathname}?${params.toString().replace(/import=(&|$)/, 'import$1')}`);
    }
    return () => {
      const now = new URLSearchParams(window.location.search);
      now.delete('import');
      const rest = now.toString();
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${rest === '' ? '' : `?${rest}`}`);
    };
  }, []);
}

export function ImportPage() {
  const [text, setText] = useState(initialText);
  const [fileMessage, setFileMessage] = useState<string | undefined>(undefined);
  const deferred = useDeferredValue(text);
  const result = useMemo(() => importDump(deferred), [deferred]);
  const ids = { text: useId(), help: useId(), file: useId(), status: useId() };
  useImportUrl();

  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    // Bytes are at least characters: a file over the limit in bytes may still fit, so only refuse what certainly does not.
    if (file.size > MAX_INPUT_CHARS * 4) {
      setFileMessage(`${file.name} is ${(file.size / (1024 * 1024)).toFixed(1)} MB; the importer reads at most ${MAX_INPUT_CHARS / (1024 * 1024)} MB of text. The text area is unchanged.`);
      return;
    }
    file.text().then(
      (content) => {
        setFileMessage(`Loaded ${file.name}.`);
        setText(content);
      },
      (error: unknown) => setFileMessage(`${file.name} could not be read: ${error instanceof Error ? error.message : String(error)}. The text area is unchanged.`),
    );
  };

  const status = statusText(result, deferred);
  return (
    <section className="panel importer" aria-labelledby="import-heading">
      <h2 id="import-heading" className="import-title">Import from a real machine</h2>
      <p className="panel-hint" id={ids.help}>
        Paste what these print on a Linux machine, one or several at once: <code>find /sys/kernel/iommu_groups/ -type l</code> (or{' '}
        <code>ls -l /sys/kernel/iommu_groups/*/devices</code>), <code>lspci -nn</code>, and with VT-d, as root,{' '}
        <code>cat /sys/kernel/debug/iommu/intel/dmar_translation_struct</code> and <code>domain_translation_struct</code>. Nothing leaves this page.
      </p>
      <div className="import-samples" role="group" aria-label="Try a sample">
        <span className="muted">Try a sample:</span>
        {SAMPLES.map((s) => (
          <button key={s.id} type="button" className="button" title={s.description} onClick={() => { setText(s.text); setFileMessage(undefined); }}>
            {s.label}
          </button>
        ))}
        <input id={ids.file} className="visually-hidden" type="file" accept=".txt,.log,text/plain" onChange={onFile} />
        <label className="button import-file" htmlFor={ids.file}>Load a file…</label>
        {text !== '' && <button type="button" className="button" onClick={() => { setText(''); setFileMessage(undefined); }}>Clear</button>}
      </div>
      {fileMessage && <p className="import-file-message" role="status">{fileMessage}</p>}
      <label className="import-label" htmlFor={ids.text}>The dump</label>
      <textarea id={ids.text} className="import-text mono" rows={12} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)}
        aria-describedby={`${ids.status} ${ids.help}`} data-testid="import-input" placeholder="/sys/kernel/iommu_groups/12/devices/0000:00:1f.3" />
      <p id={ids.status} className={result.refused ? 'import-status is-refused' : 'import-status'} role="status" data-testid="import-detected">{status}</p>
      <ProblemList problems={result.problems} count={result.problemCount} />
      {result.groups && result.consequences && <GroupsView model={result.groups} consequences={result.consequences} />}
      {result.vtd && result.vtd.units.length > 0 && <VtdTables units={result.vtd.units} />}
      {result.vtd && result.vtd.domains.length > 0 && <DomainTables domains={result.vtd.domains} />}
    </section>
  );
}

function statusText(result: ReturnType<typeof importDump>, text: string): string {
  if (result.refused) return result.refused;
  if (text.trim() === '') return 'Nothing pasted yet.';
  if (result.kinds.length === 0) return `None of the ${result.lineCount} lines is in an accepted format.`;
  const kinds = result.kinds.map((k) => DUMP_KIND_LABELS[k]).join(', ');
  const read = `${result.parsedLines} of ${result.nonBlankLines} non-blank lines read`;
  return `Recognised: ${kinds}. ${read}${result.problemCount > 0 ? `; ${result.problemCount} could not be read` : ''}.`;
}
