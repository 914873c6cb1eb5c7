/**
 * The CD table of the selected stream: per SubstreamID, where the CD is
 * (through stage 2 when the STE nests), whether it is valid, its ASID and
 * TTB0. A row opens the CD in the inspector.
 */
import { useId, useState } from 'react';
import { inspectEntry } from '../../store/appStore.ts';
import type { StreamView } from '../../worker/smmu-view-types.ts';
import { hexGrouped } from '../format.ts';
import { configShort, steFieldsText } from './smmuText.ts';

interface Props {
  readonly stream: StreamView | undefined;
  readonly selectedSsid: number | undefined;
  readonly onPickStream: (sid: number) => void;
}

export function CdTablePanel({ stream, selectedSsid, onPickStream }: Props) {
  const [sidText, setSidText] = useState('');
  const id = useId();
  const submit = () => {
    if (/^\s*(0x[0-9a-f]+|\d+)\s*$/i.test(sidText)) onPickStream(Number(sidText.trim()));
  };
  return (
    <div className="cd-table" data-testid="cd-table">
      <div className="stream-tools">
        <label htmlFor={id}>StreamID</label>
        <input id={id} className="sid-input mono" inputMode="numeric" value={sidText} placeholder={stream ? String(stream.sid) : ''}
          onChange={(e) => setSidText(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter') submit(); }} />
        <button type="button" className="button button-small" onClick={submit}>Show its CD table</button>
      </div>
      {!stream ? <p className="panel-hint">Select a stream in the stream table to list its context descriptors.</p> : (
        <>
          {stream.ste && (
            <p className="panel-lead">
              STE {stream.sid}: <strong>{configShort(stream.ste.config)}</strong> <span className="mono">{steFieldsText(stream.ste)}</span>
            </p>
          )}
          {stream.note && <p className="panel-hint">{stream.note}</p>}
          {stream.cdTable && (
            <table className="data-table cd-rows">
              <caption>
                {stream.cdTable.fmt} CD table at {stream.cdTable.nested ? 'IPA' : 'PA'} {hexGrouped(stream.cdTable.address)}: {stream.cdTable.size.toLocaleString('en-US')}{' '}
                {stream.cdTable.size === 1 ? 'CD (S1CDMax = 0: no SubstreamIDs)' : 'CDs, one per SubstreamID'}
              </caption>
              <thead>
                <tr>
                  <th scope="col">SubstreamID</th>
                  <th scope="col">At</th>
                  <th scope="col">V</th>
                  <th scope="col">ASID</th>
                  <th scope="col">TTB0</th>
                  <th scope="col">Verdict</th>
                </tr>
              </thead>
              <tbody>
                {stream.cdTable.rows.map((r) => (
                  <tr key={r.ssid} className={`${r.ok ? '' : 'is-bad'}${r.ssid === selectedSsid ? ' is-selected' : ''}`} data-ssid={r.ssid}>
                    <th scope="row">
                      <button type="button" className="link-button" disabled={!r.words} aria-label={`Inspect CD ${r.ssid}`}
                        onClick={() => inspectEntry({ source: 'table', kind: 'CD', sid: stream.sid, ssid: r.ssid })}>CD {r.ssid}</button>
                    </th>
                    <td className="mono">
                      {r.ipa !== undefined && stream.cdTable?.nested ? <>IPA {hexGrouped(r.ipa)}{r.address !== undefined && <> → {hexGrouped(r.address)}</>}</> : r.address !== undefined ? hexGrouped(r.address) : '—'}
                    </td>
                    <td>{r.key?.V ?? '—'}</td>
                    <td>{r.key?.ASID ?? '—'}</td>
                    <td className="mono">{r.key ? hexGrouped(r.key.TTB0 ?? 0n) : '—'}</td>
                    <td className="verdict-cell">{r.verdict}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
