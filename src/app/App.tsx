/**
 * The app shell: wires the engine host, the controller, the URL and the
 * store together and lays out the views. Everything it shows comes from the
 * store; everything it asks for goes through the controller.
 */
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { builtinScenarios } from '../scenario/index.ts';
import { addNotice, selectLevel, setTheme, useAppStore } from '../store/appStore.ts';
import { selectCurrentWalk, selectInspectedStep, selectTheme } from '../store/selectors.ts';
import { Inspector } from '../ui/inspector/Inspector.tsx';
import { Header } from '../ui/shell/Header.tsx';
import { Narration } from '../ui/shell/Narration.tsx';
import { Notices } from '../ui/shell/Notices.tsx';
import { StageView } from '../ui/shell/StageView.tsx';
import { Timeline } from '../ui/shell/Timeline.tsx';
import { InProcessHost } from '../worker/in-process-host.ts';
import type { EngineHost } from '../worker/protocol.ts';
import { createEngineHost } from '../worker/worker-host.ts';
import { AppController, DEFAULT_SCENARIO_ID } from './controller.ts';
import { readUrl, writeUrl } from './url.ts';
import { useArrowKeys } from './useArrowKeys.ts';
import '../ui/theme.css';
import './app.css';

export interface AppProps {
  /** Tests pass an in-process host; the page uses a Web Worker when it can. */
  readonly createHost?: () => EngineHost;
}

function systemTheme(): 'light' | 'dark' {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function App({ createHost = createEngineHost }: AppProps) {
  const controller = useRef<AppController | undefined>(undefined);
  const theme = useAppStore(selectTheme);
  const walk = useAppStore(selectCurrentWalk);
  const inspected = useAppStore(selectInspectedStep);
  const choices = useMemo(() => builtinScenarios.map((s) => ({ id: s.id, title: s.scenario.title })), []);

  useEffect(() => {
    setTheme(systemTheme());
    const c = new AppController({
      host: createHost(),
      scenarios: builtinScenarios,
      fallbackHost: () => new InProcessHost(),
      onShown: (id, step) => window.history.replaceState(window.history.state, '', writeUrl(window.location.search, id, step)),
    });
    controller.current = c;
    const request = readUrl(window.location.search);
    for (const problem of request.problems) addNotice({ tone: 'warning', text: problem });
    void c.open(request.scenarioId ?? DEFAULT_SCENARIO_ID, request.startAt);
    return () => {
      c.dispose();
      if (controller.current === c) controller.current = undefined;
    };
  }, [createHost]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  const goTo = useCallback((step: number) => void controller.current?.goTo(step), []);
  const stepBy = useCallback((delta: -1 | 1) => void controller.current?.stepBy(delta), []);
  const pick = useCallback((id: string) => void controller.current?.open(id), []);
  useArrowKeys(stepBy);

  return (
    <div className="app">
      <Header scenarios={choices} onPickScenario={pick} />
      <Notices />
      <main className="workspace">
        <section className="card timeline-card" aria-label="Steps">
          <Timeline onGoTo={goTo} />
        </section>
        <section className="card narration-card" aria-label="Narration">
          <Narration />
        </section>
        <section className="panel stage" aria-label="Diagram">
          <StageView onGoTo={goTo} />
        </section>
        <div className="inspector-area">
          <Inspector walk={walk?.result} step={inspected} onSelectLevel={selectLevel} />
        </div>
      </main>
    </div>
  );
}
