/**
 * Embed mode, for an <iframe> in slides or a course page: one view with its
 * timeline, no header, and a link that opens the same scenario and step in
 * the full app.
 */
import { useEffect } from 'react';
import { selectSmmuTab, useAppStore } from '../../store/appStore.ts';
import { selectCursor, selectHasLinux, selectHasSmmu, selectOutline } from '../../store/selectors.ts';
import { DecoderPage } from '../decoder/DecoderPage.tsx';
import { InspectorArea } from '../inspector/InspectorArea.tsx';
import { LinuxStage } from '../linux/LinuxStage.tsx';
import { Notices } from '../shell/Notices.tsx';
import { StageView } from '../shell/StageView.tsx';
import { Timeline, type TimelineProps } from '../shell/Timeline.tsx';
import { SmmuPanels } from '../smmu/SmmuPanels.tsx';
import { Captions } from './Captions.tsx';
import { type EmbedView as EmbedViewSpec, fullAppSearch } from './classroomParams.ts';
import './embed.css';

export interface EmbedProps extends TimelineProps {
  readonly view: EmbedViewSpec;
  readonly captions: boolean;
  readonly onWindow: (first: number, count: number) => void;
  readonly onPickStream: (sid: number) => void;
}

function ViewBody({ view, onGoTo, onWindow, onPickStream }: Pick<EmbedProps, 'view' | 'onGoTo' | 'onWindow' | 'onPickStream'>) {
  const hasSmmu = useAppStore(selectHasSmmu);
  const hasLinux = useAppStore(selectHasLinux);
  if (view.smmuTab) {
    return hasSmmu ? <SmmuPanels onGoTo={onGoTo} onWindow={onWindow} onPickStream={onPickStream} /> : <p className="panel-hint">This scenario has no SMMU, so there is no {view.name.toLowerCase()}.</p>;
  }
  switch (view.id) {
    case 'topology':
      return hasLinux ? <LinuxStage /> : <p className="panel-hint">The Linux topology appears once the scenario has booted Linux (linux.boot).</p>;
    case 'inspector':
      return <InspectorArea />;
    default:
      return <StageView onGoTo={onGoTo} />;
  }
}

export function Embed({ view, captions, onGoTo, onJumpToMark, onTogglePlay, onWindow, onPickStream }: EmbedProps) {
  const outline = useAppStore(selectOutline);
  const cursor = useAppStore(selectCursor);
  useEffect(() => {
    if (view.smmuTab) selectSmmuTab(view.smmuTab);
  }, [view]);
  // Recomputed as the steps move. The step comes from the store: the address follows a moment later
  // (src/app/addressBar.ts), after this render.
  const fullApp = `${window.location.pathname}${fullAppSearch(window.location.search, cursor)}${window.location.hash}`;
  return (
    <div className={`embed embed-${view.id}`} data-testid="embed" data-view={view.id} data-step={cursor}>
      <Notices />
      {view.id === 'decoder' ? (
        <main className="embed-view"><DecoderPage /></main>
      ) : (
        <>
          <section className="embed-timeline" aria-label="Steps">
            <Timeline onGoTo={onGoTo} onJumpToMark={onJumpToMark} onTogglePlay={onTogglePlay} />
          </section>
          {captions && <Captions className="embed-captions" />}
          <main className="embed-view" id="stage-panel" aria-label={view.name}>
            <ViewBody view={view} onGoTo={onGoTo} onWindow={onWindow} onPickStream={onPickStream} />
          </main>
        </>
      )}
      <footer className="embed-footer">
        <span className="embed-title">{outline?.title ?? 'IOMMU Visualizer'}</span>
        <a href={fullApp} target="_blank" rel="noopener">Open in the IOMMU Visualizer ↗</a>
      </footer>
    </div>
  );
}
