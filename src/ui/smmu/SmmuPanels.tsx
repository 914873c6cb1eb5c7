/**
 * The SMMU's state after the current step, one tab per structure: the
 * stream table, the selected stream's CD table, the event queue, the
 * command queue and the caches. Shown whenever the scenario has an SMMU.
 */
import { useRef, type KeyboardEvent } from 'react';
import { selectSmmuTab, useAppStore, type SmmuTab } from '../../store/appStore.ts';
import { selectCurrentDma, selectCurrentEvents, selectCursor, selectInspectedEntry, selectSmmu, selectSmmuTab as readTab } from '../../store/selectors.ts';
import { CachesPanel } from './CachesPanel.tsx';
import { CdTablePanel } from './CdTablePanel.tsx';
import { CommandQueuePanel } from './CommandQueuePanel.tsx';
import { EventQueuePanel } from './EventQueuePanel.tsx';
import { StreamTablePanel } from './StreamTablePanel.tsx';
import './smmu.css';

interface Props {
  readonly onGoTo: (step: number) => void;
  readonly onWindow: (first: number, count: number) => void;
  readonly onPickStream: (sid: number) => void;
}

const TABS: readonly { id: SmmuTab; label: string }[] = [
  { id: 'streams', label: 'Stream table' },
  { id: 'cds', label: 'CD table' },
  { id: 'events', label: 'Event queue' },
  { id: 'commands', label: 'Command queue' },
  { id: 'caches', label: 'Caches' },
];

export function SmmuPanels({ onGoTo, onWindow, onPickStream }: Props) {
  const smmu = useAppStore(selectSmmu);
  const tab = useAppStore(readTab);
  const cursor = useAppStore(selectCursor);
  const dma = useAppStore(selectCurrentDma);
  const events = useAppStore(selectCurrentEvents);
  const inspected = useAppStore(selectInspectedEntry);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  if (!smmu) {
    return (
      <section className="panel smmu-panels" aria-label="SMMU state">
        <h2 className="panel-title">SMMU</h2>
        <p className="panel-hint">The SMMU is not probed yet at this step; its stream table, queues and caches appear once it is.</p>
      </section>
    );
  }
  const touched = events.find((e) => e.kind === 'smmu.steWritten' || e.kind === 'smmu.steUpdated' || e.kind === 'smmu.cdWritten' || e.kind === 'smmu.cdUpdated');
  const current = dma?.outcome.tx.sid ?? (touched && 'sid' in touched ? touched.sid : undefined);
  const selectedSid = inspected?.source === 'table' ? inspected.sid : undefined;
  const stale = smmu.iotlb.rows.filter((r) => r.stale).length + smmu.configCache.stes.filter((e) => e.stale).length + smmu.configCache.cds.filter((e) => e.stale).length;
  const counts: Partial<Record<SmmuTab, string>> = {
    events: String(smmu.eventQueue.length),
    caches: stale > 0 ? `${stale} stale` : String(smmu.iotlb.total + smmu.configCache.stes.length + smmu.configCache.cds.length),
    ...(smmu.stream ? { cds: `SID ${smmu.stream.sid}` } : {}),
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const i = TABS.findIndex((t) => t.id === tab);
    const to = event.key === 'ArrowRight' ? i + 1 : event.key === 'ArrowLeft' ? i - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? TABS.length - 1 : undefined;
    if (to === undefined) return;
    // Handled here, so the page's arrow keys (which step the timeline) leave it alone.
    event.preventDefault();
    const next = TABS[(to + TABS.length) % TABS.length];
    if (!next) return;
    selectSmmuTab(next.id);
    tabs.current[(to + TABS.length) % TABS.length]?.focus();
  };

  return (
    <section className="panel smmu-panels" aria-labelledby="smmu-heading" data-testid="smmu-panels">
      <div className="smmu-head">
        <h2 id="smmu-heading" className="panel-title">SMMU after step {cursor}{smmu.enabled ? '' : ' (CR0.SMMUEN = 0)'}</h2>
        <div className="smmu-tabs" role="tablist" aria-label="SMMU structures" onKeyDown={onKeyDown}>
          {TABS.map((t, i) => (
            <button key={t.id} ref={(el) => { tabs.current[i] = el; }} type="button" role="tab" id={`smmu-tab-${t.id}`} aria-controls="smmu-tabpanel"
              aria-selected={t.id === tab} tabIndex={t.id === tab ? 0 : -1} className={`smmu-tab${t.id === 'caches' && stale > 0 ? ' has-stale' : ''}`}
              onClick={() => selectSmmuTab(t.id)}>
              {t.label}{counts[t.id] !== undefined && <span className="tab-count">{counts[t.id]}</span>}
            </button>
          ))}
        </div>
      </div>
      <div className="smmu-tabpanel" role="tabpanel" id="smmu-tabpanel" aria-labelledby={`smmu-tab-${tab}`}>
        {tab === 'streams' && <StreamTablePanel table={smmu.streamTable} selected={selectedSid} current={current} onWindow={onWindow} onPick={onPickStream} />}
        {tab === 'cds' && <CdTablePanel stream={smmu.stream} selectedSsid={inspected?.source === 'table' && inspected.kind === 'CD' ? inspected.ssid : undefined} onPickStream={onPickStream} />}
        {tab === 'events' && <EventQueuePanel records={smmu.eventQueue} cursor={cursor} onGoTo={onGoTo} />}
        {tab === 'commands' && <CommandQueuePanel commands={smmu.commandQueue} cursor={cursor} onGoTo={onGoTo} />}
        {tab === 'caches' && <CachesPanel smmu={smmu} />}
      </div>
    </section>
  );
}
