/**
 * The app shell: wires the engine host, the controller, the URL and the
 * store together and lays out the views. Everything it shows comes from the
 * store; everything it asks for goes through the controller.
 */
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { parseEntryWords } from '../engine/hw/smmu/decoder.ts';
import { builtinScenarios } from '../scenario/index.ts';
import { addNotice, setMode, setPlaying, setTheme, useAppStore } from '../store/appStore.ts';
import { setDecoderKind, setDecoderText, useDecoderStore } from '../store/decoderStore.ts';
import { selectHasSmmu, selectMode, selectTheme } from '../store/selectors.ts';
import { DecoderPage } from '../ui/decoder/DecoderPage.tsx';
import { InspectorArea } from '../ui/inspector/InspectorArea.tsx';
import { Header } from '../ui/shell/Header.tsx';
import { KeyHelp } from '../ui/shell/KeyHelp.tsx';
import { Narration } from '../ui/shell/Narration.tsx';
import { Notices } from '../ui/shell/Notices.tsx';
import { StageView } from '../ui/shell/StageView.tsx';
import { Timeline } from '../ui/shell/Timeline.tsx';
import { SmmuPanels } from '../ui/smmu/SmmuPanels.tsx';
import { InProcessHost } from '../worker/in-process-host.ts';
import type { EngineHost } from '../worker/protocol.ts';
import { createEngineHost } from '../worker/worker-host.ts';
import { AppController, DEFAULT_SCENARIO_ID } from './controller.ts';
import { readUrl, withoutDecoder, writeDecoderUrl, writeUrl } from './url.ts';
import { KEY_ROWS, useKeys } from './useKeys.ts';
import { usePlayback } from './usePlayback.ts';
import '../ui/theme.css';
import './app.css';

export interface AppProps {
  /** Tests pass an in-process host; the page uses a Web Worker when it can. */
  readonly createHost?: () => EngineHost;
}

function systemTheme(): 'light' | 'dark' {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Keeps the address bar a link to the decoder's current words while it is open, and drops them when it closes. */
function useDecoderUrl(): void {
  const mode = useAppStore(selectMode);
  const kind = useDecoderStore((s) => s.kind);
  const text = useDecoderStore((s) => s.text);
  const opened = useRef(false);
  useEffect(() => {
    const { pathname, search } = window.location;
    if (mode === 'decoder') {
      opened.current = true;
      const parsed = parseEntryWords(text);
      window.history.replaceState(window.history.state, '', pathname + writeDecoderUrl(search, kind, parsed.ok ? parsed.words : undefined));
    } else if (opened.current) {
      window.history.replaceState(window.history.state, '', pathname + withoutDecoder(search));
    }
  }, [mode, kind, text]);
}

export function App({ createHost = createEngineHost }: AppProps) {
  const controller = useRef<AppController | undefined>(undefined);
  const theme = useAppStore(selectTheme);
  const mode = useAppStore(selectMode);
  const hasSmmu = useAppStore(selectHasSmmu);
  const choices = useMemo(() => builtinScenarios.map((s) => ({ id: s.id, title: s.scenario.title })), []);

  useEffect(() => {
    setTheme(systemTheme());
    const c = new AppController({
      host: createHost(),
      scenarios: builtinScenarios,
      fallbackHost: () => new InProcessHost(),
      onShown: (id, step) => {
        if (useAppStore.getState().mode === 'scenario') window.history.replaceState(window.history.state, '', writeUrl(window.location.search, id, step));
      },
    });
    controller.current = c;
    const request = readUrl(window.location.search);
    for (const problem of request.problems) addNotice({ tone: 'warning', text: problem });
    if (request.decode) {
      setDecoderKind(request.decode);
      if (request.words) setDecoderText(request.words);
      setMode('decoder');
    }
    // The scenario loads behind the decoder too, so "Scenarios" shows it at once.
    void c.open(request.scenarioId ?? DEFAULT_SCENARIO_ID, request.startAt);
    return () => {
      c.dispose();
      if (controller.current === c) controller.current = undefined;
    };
  }, [createHost]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useDecoderUrl();

  const goTo = useCallback((step: number) => void controller.current?.goTo(step), []);
  const stepBy = useCallback((delta: -1 | 1) => {
    if (useAppStore.getState().mode === 'scenario') void controller.current?.stepBy(delta);
  }, []);
  const pick = useCallback((id: string) => void controller.current?.open(id), []);
  const showStreams = useCallback((first: number, count: number) => void controller.current?.showStreams(first, count), []);
  const pickStream = useCallback((sid: number) => void controller.current?.pickStream(sid), []);
  const jumpToMark = useCallback((direction: -1 | 1) => void controller.current?.jumpToMark(direction), []);
  const togglePlay = useCallback(() => {
    const { playing, cursor, outline } = useAppStore.getState();
    // Play at the last step starts again from the start.
    if (!playing && outline && cursor >= outline.stepCount) void controller.current?.goTo(0);
    setPlaying(!playing);
  }, []);
  useKeys({ onStep: stepBy, onTogglePlay: togglePlay });
  usePlayback(stepBy);

  return (
    <div className="app">
      <Header scenarios={choices} onPickScenario={pick} />
      <Notices />
      <KeyHelp rows={KEY_ROWS} />
      {mode === 'decoder' ? (
        <main className="workspace workspace-decoder">
          <DecoderPage />
        </main>
      ) : (
        <main className={hasSmmu ? 'workspace has-smmu' : 'workspace'}>
          <section className="card timeline-card" aria-label="Steps">
            <Timeline onGoTo={goTo} onJumpToMark={jumpToMark} onTogglePlay={togglePlay} />
          </section>
          <section className="card narration-card" aria-label="Narration">
            <Narration />
          </section>
          <section className="panel stage" id="stage-panel" aria-label="Diagram">
            <StageView onGoTo={goTo} />
          </section>
          {hasSmmu && (
            <div className="smmu-area">
              <SmmuPanels onGoTo={goTo} onWindow={showStreams} onPickStream={pickStream} />
            </div>
          )}
          <div className="inspector-area" id="inspector-area">
            <InspectorArea />
          </div>
        </main>
      )}
    </div>
  );
}
