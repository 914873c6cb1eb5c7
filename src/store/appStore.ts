/**
 * The page's projection of the engine: what scenario is open, which step is
 * current and the events that step produced, plus UI flags. The engine state
 * itself lives in the engine host; nothing here is computed from it except by
 * the engine. Actions are plain functions so any module can call them and
 * tests can drive them without React.
 */
import { create } from 'zustand';
import type { EngineEvent } from '../engine/events.ts';
import type { ScenarioIssue } from '../scenario/index.ts';
import type { ScenarioOutline, StepState } from '../worker/protocol.ts';

export type Theme = 'light' | 'dark';

export interface Notice {
  readonly tone: 'info' | 'warning' | 'error';
  readonly text: string;
}

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'invalid' | 'failed';

export interface AppState {
  /** Built-in id of the open scenario. */
  readonly scenarioId: string | undefined;
  readonly outline: ScenarioOutline | undefined;
  readonly status: LoadStatus;
  /** Validation problems when status is 'invalid'. */
  readonly issues: readonly ScenarioIssue[];
  /** Steps applied so far: 0 = none, outline.stepCount = all. */
  readonly cursor: number;
  /** log[k - 1] holds the events of step k, for k up to the cursor. */
  readonly log: readonly (readonly EngineEvent[])[];
  /** Counts every time a step becomes current, so the diagram replays its animation even for the same step. */
  readonly revision: number;
  /** Walk level picked for the inspector; undefined = the walk's last level. */
  readonly selectedLevel: number | undefined;
  readonly theme: Theme;
  readonly notices: readonly Notice[];
}

export const initialAppState: AppState = {
  scenarioId: undefined,
  outline: undefined,
  status: 'idle',
  issues: [],
  cursor: 0,
  log: [],
  revision: 0,
  selectedLevel: undefined,
  theme: 'light',
  notices: [],
};

export const useAppStore = create<AppState>()(() => initialAppState);

const set = useAppStore.setState;

/** Back to the initial state (tests, and nothing else, need this). */
export function resetAppStore(overrides: Partial<AppState> = {}): void {
  set({ ...initialAppState, ...overrides }, true);
}

export function scenarioLoading(id: string): void {
  set({ scenarioId: id, status: 'loading', issues: [] });
}

export function scenarioLoaded(id: string, outline: ScenarioOutline): void {
  set({ scenarioId: id, outline, status: 'ready', issues: [], cursor: 0, log: [], selectedLevel: undefined });
}

export function scenarioInvalid(id: string, issues: readonly ScenarioIssue[]): void {
  set({ scenarioId: id, outline: undefined, status: 'invalid', issues, cursor: 0, log: [], selectedLevel: undefined });
}

export function engineFailed(message: string): void {
  set({ status: 'failed' });
  addNotice({ tone: 'error', text: `The engine failed: ${message}` });
}

export function stepShown(state: StepState): void {
  set((s) => ({
    cursor: state.step,
    log: state.log,
    revision: s.revision + 1,
    // A new step has a new walk (or none): the inspector goes back to its default level.
    selectedLevel: s.cursor === state.step ? s.selectedLevel : undefined,
  }));
}

export function selectLevel(level: number | undefined): void {
  set({ selectedLevel: level });
}

export function setTheme(theme: Theme): void {
  set({ theme });
}

export function toggleTheme(): void {
  set((s) => ({ theme: s.theme === 'dark' ? 'light' : 'dark' }));
}

/** The same message twice (a link read again on remount) shows once. */
export function addNotice(notice: Notice): void {
  set((s) => (s.notices.some((n) => n.text === notice.text) ? s : { notices: [...s.notices, notice] }));
}

export function dismissNotice(index: number): void {
  set((s) => ({ notices: s.notices.filter((_, i) => i !== index) }));
}
