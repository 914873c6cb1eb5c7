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
import type { EntryKind } from '../engine/hw/smmu/decoder.ts';
import type { LinuxView } from '../worker/linux-view.ts';
import type { CompareView } from '../worker/compare-types.ts';
import type { ScenarioOutline, StepState, ViewState } from '../worker/protocol.ts';
import { DEFAULT_VIEW_REQUEST, type SmmuView, type SmmuViewRequest } from '../worker/smmu-view-types.ts';

export type Theme = 'light' | 'dark';

export interface Notice {
  readonly tone: 'info' | 'warning' | 'error';
  readonly text: string;
}

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'invalid' | 'failed';

/** What the page shows: a scenario's timeline, or the STE/CD decoder on its own. */
export type PageMode = 'scenario' | 'decoder' | 'editor' | 'import';

export type SmmuTab = 'streams' | 'cds' | 'events' | 'commands' | 'caches';

/**
 * The STE or CD the inspector shows: one in the stream table or CD table (its
 * words follow the steps), or words a step carried (a DMA's fetched STE).
 */
export type InspectedEntry =
  | { readonly source: 'table'; readonly kind: 'STE'; readonly sid: number }
  | { readonly source: 'table'; readonly kind: 'CD'; readonly sid: number; readonly ssid: number }
  | { readonly source: 'words'; readonly kind: EntryKind; readonly title: string; readonly words: readonly bigint[] };

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
  readonly mode: PageMode;
  /** The SMMU after the current step, as the worker saw it through viewRequest; undefined without an SMMU. */
  readonly smmu: SmmuView | undefined;
  /** The stream-table window and the selected stream the worker is asked to show. */
  readonly viewRequest: SmmuViewRequest;
  readonly inspectedEntry: InspectedEntry | undefined;
  /** Position in the current step's STE/CD update plan: k = after its first k stores and syncs; undefined = all of it. */
  readonly updateStep: number | undefined;
  readonly smmuTab: SmmuTab;
  /** The Linux IOMMU core after the current step (the worker's topology view); undefined before linux.boot. */
  readonly linux: LinuxView | undefined;
  /** The checkpoint of the current step's domain switch being looked at; undefined = after the call. */
  readonly checkpoint: number | undefined;
  /** Steps that raised something worth jumping to (an SMMU event, a fault, a refusal, a finding), ascending. */
  readonly marks: readonly StepMark[];
  /** The timeline plays on its own, one step per (base interval / speed). */
  readonly playing: boolean;
  readonly speed: number;
  /** The keyboard help dialog is open. */
  readonly helpOpen: boolean;
  /** The side-by-side SMMUv3 / VT-d view is open (src/ui/compare): each step is then run on both IOMMUs. */
  readonly compareOpen: boolean;
  /** The current step on both IOMMUs, while the comparison is open. */
  readonly compare: CompareView | undefined;
}

export interface StepMark {
  readonly step: number;
  /** Why the step is marked, in a few words ("F_TRANSLATION event", "walk fault" ...). */
  readonly reason: string;
}

/** The playback speeds offered, as multiples of the base interval. */
export const PLAY_SPEEDS = [0.25, 0.5, 1, 2, 4] as const;

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
  mode: 'scenario',
  smmu: undefined,
  viewRequest: DEFAULT_VIEW_REQUEST,
  inspectedEntry: undefined,
  updateStep: undefined,
  smmuTab: 'streams',
  linux: undefined,
  checkpoint: undefined,
  marks: [],
  playing: false,
  speed: 1,
  helpOpen: false,
  compareOpen: false,
  compare: undefined,
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

const FRESH_SCENARIO = {
  cursor: 0, log: [], marks: [], playing: false, selectedLevel: undefined, smmu: undefined, viewRequest: DEFAULT_VIEW_REQUEST, inspectedEntry: undefined, updateStep: undefined, linux: undefined, checkpoint: undefined, compare: undefined,
} as const;

export function scenarioLoaded(id: string, outline: ScenarioOutline): void {
  set({ ...FRESH_SCENARIO, scenarioId: id, outline, status: 'ready', issues: [] });
}

export function scenarioInvalid(id: string, issues: readonly ScenarioIssue[]): void {
  set({ ...FRESH_SCENARIO, scenarioId: id, outline: undefined, status: 'invalid', issues });
}

export function engineFailed(message: string): void {
  set({ status: 'failed' });
  addNotice({ tone: 'error', text: `The engine failed: ${message}` });
}

export function stepShown(state: StepState): void {
  set((s) => {
    const same = s.cursor === state.step;
    return {
      cursor: state.step,
      log: state.log,
      revision: s.revision + 1,
      smmu: state.smmu,
      linux: state.linux,
      compare: state.compare,
      checkpoint: same ? s.checkpoint : undefined,
      // A new step has a new walk (or none): the inspector goes back to its default level.
      selectedLevel: same ? s.selectedLevel : undefined,
      updateStep: same ? s.updateStep : undefined,
      // Words a step carried belong to that step; an entry picked in a table follows the steps.
      inspectedEntry: same || s.inspectedEntry?.source === 'table' ? s.inspectedEntry : undefined,
    };
  });
}

/** The SMMU seen through a new window, for the step the engine is at; an answer for another step is stale. */
export function viewShown(view: ViewState): void {
  set((s) => (view.step === s.cursor ? { smmu: view.smmu } : s));
}

export function setStreamWindow(first: number, count: number): void {
  set((s) => ({ viewRequest: { ...s.viewRequest, streams: { first, count } } }));
}

/** Selects a stream (its CD table is then listed) and shows its STE in the inspector. */
export function selectStream(sid: number): void {
  set((s) => ({ viewRequest: { ...s.viewRequest, stream: sid }, inspectedEntry: { source: 'table', kind: 'STE', sid } }));
}

/** An entry from a table pins its stream, so the worker keeps sending that stream's STE and CDs as the steps move. */
export function inspectEntry(entry: InspectedEntry | undefined): void {
  set((s) => ({ inspectedEntry: entry, ...(entry?.source === 'table' ? { viewRequest: { ...s.viewRequest, stream: entry.sid } } : {}) }));
}

export function selectUpdateStep(step: number | undefined): void {
  set({ updateStep: step });
}

/** Moves the checkpoint scrubber of the current step's domain switch (undefined: after the call). */
export function selectCheckpoint(index: number | undefined): void {
  set({ checkpoint: index });
}

export function selectSmmuTab(tab: SmmuTab): void {
  set({ smmuTab: tab });
}

export function setMode(mode: PageMode): void {
  set({ mode });
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

export function setMarks(marks: readonly StepMark[]): void {
  set({ marks });
}

export function setPlaying(playing: boolean): void {
  set({ playing });
}

export function setSpeed(speed: number): void {
  set({ speed });
}

export function setHelpOpen(helpOpen: boolean): void {
  set({ helpOpen });
}

export function setCompareOpen(compareOpen: boolean): void {
  set({ compareOpen });
}
