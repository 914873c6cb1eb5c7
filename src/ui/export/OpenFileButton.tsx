/**
 * "Open file": a scenario (.json) or a diagram exported by this app (.svg,
 * .png). A file that is not one, or is damaged, gives one message naming
 * it and the problem; what is open stays open.
 */
import { useRef } from 'react';
import { addNotice } from '../../store/appStore.ts';
import type { ExportPayload } from './payload.ts';
import { MAX_FILE_BYTES } from './fileLimit.ts';

export interface OpenFileButtonProps {
  readonly onOpen: (payload: ExportPayload, fileName: string) => void;
}

export function OpenFileButton({ onOpen }: OpenFileButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  const onChange = async () => {
    const file = input.current?.files?.[0];
    if (input.current) input.current.value = ''; // the same file can be picked again
    if (!file) return;
    // Checked before reading, so a huge file is never loaded.
    if (file.size > MAX_FILE_BYTES) {
      addNotice({ tone: 'error', text: `“${file.name}” is ${(file.size / 1048576).toFixed(1)} MB; a scenario or exported diagram is at most ${MAX_FILE_BYTES / 1048576} MB.` });
      return;
    }
    // The readers (PNG chunks, SVG metadata, the scenario validator) are fetched on the first file opened.
    const [{ readOpenedFile }, bytes] = await Promise.all([import('./readFile.ts'), file.arrayBuffer()]);
    const opened = readOpenedFile(file.name, new Uint8Array(bytes));
    if (!opened.ok) addNotice({ tone: 'error', text: opened.message });
    else onOpen(opened.payload, file.name);
  };
  return (
    <>
      <button type="button" className="button" onClick={() => input.current?.click()}>Open file</button>
      <input ref={input} type="file" className="visually-hidden" tabIndex={-1} aria-label="Open a scenario or an exported diagram"
        accept=".json,.svg,.png,application/json,image/svg+xml,image/png" data-testid="open-file-input" onChange={() => void onChange()} />
    </>
  );
}
