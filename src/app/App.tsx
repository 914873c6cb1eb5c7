/**
 * The app shell: wires the engine host, the controller, the URL and the
 * store together and lays out the views. Everything it shows comes from the
 * store; everything it asks for goes through the controller.
 */
import { lazy, Suspense, useCallback, useEffect, useRef } from 'react';
import { parseEntryWords } from '../engine/hw/smmu/decoder.ts';
import type { Scenario } from '../scenario/index.ts';
import { addNotice, setCompareOpen, setMode, setPlaying, setTheme, useAppStore } from '../store/appStore.ts';
import { setDecoderKind, setDecoderText, useDecoderStore } from '../store/decoderStore.ts';
import { selectHasSmmu, selectMode, selectTheme } from '../store/selectors.ts';
import { runEdited } from '../ui/editor/runEdited.ts';
import { useEditorSession } from '../ui/editor/useEditorSession.ts';
import { InspectorArea } from '../ui/inspector/InspectorArea.tsx';
import { Header } from '../ui/shell/Header.tsx';
import { KeyHelp } from '../ui/shell/KeyHelp.tsx';
import { Narration } from '../ui/shell/Narration.tsx';
import { Notices } from '../ui/shell/Notices.tsx';
import { ProgressBar, showProgress } from '../ui/shell/ProgressBar.tsx';
import { StageView } from '../ui/shell/StageView.tsx';
import { Timeline } from '../ui/shell/Timeline.tsx';
import { openPayload } from '../ui/export/openPayload.ts';
import type { ExportPayload } from '../ui/export/payload.ts';
import { ClassroomTools } from '../ui/present/ClassroomTools.tsx';
import { useClassroom } from '../ui/present/useClassroom.ts';
import { LazyInProcessHost } from '../worker/lazy-in-process-host.ts';
import type { EngineHost } from '../worker/protocol.ts';
import { createEngineHost } from '../worker/worker-host.ts';
import { AppController, DEFAULT_SCENARIO_ID } from './controller.ts';
import { writeAddressSoon } from './addressBar.ts';
import { readUrl, withoutDecoder, writeDecoderUrl, writeUrl } from './url.ts';
import { KEY_ROWS, useKeys } from './useKeys.ts';
import { usePlayback } from './usePlayback.ts';
import { openFromAddress } from '../share/openFromAddress.ts';
import { builtinIdOf, ensureScenario, scenarioMenu } from '../lessons/menu.ts';
import { LessonPanel } from '../ui/lesson/LessonPanel.tsx';
import { PredictCard } from '../ui/lesson/PredictCard.tsx';
import { startOf, useScenarioChoices } from '../ui/lesson/scenarioChoices.ts';
import { usePredictGate } from '../ui/lesson/usePredictGate.ts';
import { ShareButton } from '../share/ShareButton.tsx';
import { useCompareUrl, wantsCompare } from '../ui/compare/compareUrl.ts';
import { useShareAddress } from '../share/useShareAddress.ts';
import '../ui/theme.css';
import './app.css';

// Views the first page does not show are fetched when first shown, keeping the initial JavaScript small.
const DecoderPage = lazy(() => import('../ui/decoder/DecoderPage.tsx').then((m) => ({ default: m.DecoderPage })));
const ImportPage = lazy(() => import('../ui/importer/ImportPage.tsx').then((m) => ({ default: m.ImportPage })));
const EditorPage = lazy(() => import('../ui/editor/EditorPage.tsx').then((m) => ({ default: m.EditorPage })));
const SmmuPanels = lazy(() => import('../ui/smmu/SmmuPanels.tsx').then((m) => ({ default: m.SmmuPanels })));
const Embed = lazy(() => import('../ui/present/Embed.tsx').then((m) => ({ default: m.Embed })));
const Presenter = lazy(() => import('../ui/present/Presenter.tsx').then((m) => ({ default: m.Presenter })));
const loadingView = <p className="panel-hint">Loading…</p>;

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

/** The supervised worker; its restarts and long runs are told to the page. */
const defaultHost = () => createEngineHost({ onNotice: addNotice, onProgress: showProgress });

export function App({ createHost = defaultHost }: AppProps) {
  const controller = useRef<AppController | undefined>(undefined);
  const theme = useAppStore(selectTheme);
  const mode = useAppStore(selectMode);
  const hasSmmu = useAppStore(selectHasSmmu);
  const comparing = useAppStore((s) => s.compareOpen);
  const choices = useScenarioChoices();

  useEffect(() => {
    setTheme(systemTheme());
    const c = new AppController({
      host: createHost(),
      scenarios: scenarioMenu,
      identify: builtinIdOf,
      fallbackHost: () => new LazyInProcessHost(),
      onShown: (id, step) => {
        writeAddressSoon('step', () => {
          if (useAppStore.getState().mode === 'scenario') window.history.replaceState(window.history.state, '', writeUrl(window.location.search, id, step));
        });
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
    if (request.importDump) setMode('import');
    if (wantsCompare(window.location.search)) setCompareOpen(true);
    // The scenario loads behind the decoder too, so "Scenarios" shows it at once.
    const startId = request.scenarioId ?? DEFAULT_SCENARIO_ID;
    ensureScenario(startId); // an exercise's id ("lesson-01-stage1-dma~42") is generated again from its seed
    void openFromAddress(c, window.location.hash, startId, request.startAt === 'first-walk' ? startOf(startId) : request.startAt);
    return () => {
      c.dispose();
      if (controller.current === c) controller.current = undefined;
    };
  }, [createHost]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useDecoderUrl();
  useCompareUrl();
  useShareAddress(controller);
  const makeShareLink = useCallback(() => controller.current?.shareLink(), []);

  const goToRaw = useCallback((step: number) => void controller.current?.goTo(step), []);
  const stepByRaw = useCallback((delta: -1 | 1) => {
    if (useAppStore.getState().mode === 'scenario') void controller.current?.stepBy(delta);
  }, []);
  // A lesson's predict questions hold stepping forward until answered (src/ui/lesson).
  const { stepBy, goTo } = usePredictGate(stepByRaw, goToRaw);
  const pick = useCallback((id: string) => void controller.current?.open(id, startOf(id)), []);
  const showStreams = useCallback((first: number, count: number) => void controller.current?.showStreams(first, count), []);
  const pickStream = useCallback((sid: number) => void controller.current?.pickStream(sid), []);
  const showCompare = useCallback((open: boolean) => void controller.current?.showCompare(open), []);
  const jumpToMark = useCallback((direction: -1 | 1) => void controller.current?.jumpToMark(direction), []);
  const togglePlay = useCallback(() => {
    const { playing, cursor, outline } = useAppStore.getState();
    // Play at the last step starts again from the start.
    if (!playing && outline && cursor >= outline.stepCount) void controller.current?.goTo(0);
    setPlaying(!playing);
  }, []);
  useKeys({ onStep: stepBy, onTogglePlay: togglePlay });
  usePlayback(stepBy);
  useEditorSession();
  const runScenario = useCallback((scenario: Scenario) => runEdited(controller.current, scenario), []);
  const classroom = useClassroom();
  const openFile = useCallback((payload: ExportPayload) => openPayload(controller.current, payload), []);
  const getScenario = useCallback(() => controller.current?.currentScenario, []);
  if (classroom.embed) {
    return <Suspense fallback={loadingView}><Embed view={classroom.embed} captions={classroom.captions} onGoTo={goTo} onJumpToMark={jumpToMark} onTogglePlay={togglePlay} onWindow={showStreams} onPickStream={pickStream} /></Suspense>;
  }
  if (classroom.presenting) return <Suspense fallback={loadingView}><Presenter onGoTo={goTo} onStep={stepBy} /></Suspense>;

  return (
    <div className="app">
      <Header scenarios={choices} onPickScenario={pick} share={<ShareButton makeLink={makeShareLink} />} tools={<ClassroomTools getScenario={getScenario} onOpen={openFile} />} />
      <Notices />
      <ProgressBar />
      <KeyHelp rows={KEY_ROWS} />
      {mode === 'editor' ? (
        <main className="workspace workspace-editor">
          <Suspense fallback={loadingView}><EditorPage onRun={runScenario} /></Suspense>
        </main>
      ) : mode === 'import' ? (
        <main className="workspace workspace-decoder">
          <Suspense fallback={loadingView}><ImportPage /></Suspense>
        </main>
      ) : mode === 'decoder' ? (
        <main className="workspace workspace-decoder">
          <Suspense fallback={loadingView}><DecoderPage /></Suspense>
        </main>
      ) : (
        <main className={`${hasSmmu ? 'workspace has-smmu' : 'workspace'}${comparing ? ' is-comparing' : ''}`}>
          <section className="card timeline-card" aria-label="Steps">
            <Timeline onGoTo={goTo} onJumpToMark={jumpToMark} onTogglePlay={togglePlay} />
          </section>
          <section className="card narration-card" aria-label="Narration">
            <LessonPanel onOpen={pick} />
            <PredictCard onRun={goToRaw} />
            <Narration />
          </section>
          <section className="panel stage" id="stage-panel" aria-label="Diagram">
            <StageView onGoTo={goTo} onCompare={showCompare} />
          </section>
          {hasSmmu && (
            <div className="smmu-area">
              <Suspense fallback={loadingView}><SmmuPanels onGoTo={goTo} onWindow={showStreams} onPickStream={pickStream} /></Suspense>
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
