/**
 * Drives the engine host on behalf of the page and feeds the answers into
 * the store. Components never talk to the host: they call these methods
 * (through props) and read the store.
 */
import type { Scenario } from '../scenario/index.ts';
import type { EncodeResult } from '../share/encode.ts';
import { LINK_TABS, type LinkView, SHARED_SCENARIO_ID } from '../share/view.ts';
import {
  addNotice, engineFailed, scenarioInvalid, scenarioLoaded, scenarioLoading, selectSmmuTab, selectStream, setCompareOpen, setMarks, setStreamWindow, stepShown, useAppStore, viewShown,
} from '../store/appStore.ts';
import { neighbourMark, stepMarks } from '../store/marks.ts';
import type { EngineHost, ScenarioOutline, StepViewRequest } from '../worker/protocol.ts';

export const DEFAULT_SCENARIO_ID = 'walk-4k-page';
export { SHARED_SCENARIO_ID };

/** Where a freshly opened scenario starts: a step number, or its first walk (the default). */
export type StartAt = number | 'first-walk';

export interface ControllerOptions {
  readonly host: EngineHost;
  readonly scenarios: readonly ScenarioEntry[];
  /**
   * The built-in a scenario from outside (a link, a file, the editor) is equal to, when `scenarios` holds only
   * loaders: it opens under that name. Without it only the entries that hold their scenario are compared.
   */
  readonly identify?: (scenario: Scenario) => Promise<string | undefined>;
  /** Used once if the first host fails (a worker that cannot start). */
  readonly fallbackHost?: () => EngineHost;
  /** Called after each step of a built-in is shown: the app mirrors it into the URL. */
  readonly onShown?: (scenarioId: string, step: number) => void;
}

/**
 * A scenario the page can open by id: the validated document itself, or a loader of the document as written
 * (the page's registry, src/lessons/menu.ts, fetches one scenario's chunk when it is opened; the engine host
 * validates it and answers with the validated document).
 */
export interface ScenarioEntry {
  readonly id: string;
  readonly scenario?: Scenario;
  readonly load?: () => Promise<unknown>;
}

export function firstWalkStep(outline: ScenarioOutline): number {
  const index = outline.steps.findIndex((step) => step.kind === 'walk');
  return index < 0 ? 0 : index + 1;
}

export class AppController {
  private host: EngineHost;
  private fallback: (() => EngineHost) | undefined;
  /** Only the answer to the latest request is shown; older ones are stale. */
  private ticket = 0;
  /** The step last asked for, so repeated key presses add up before answers arrive. */
  private target = 0;
  /** One view request at a time; a change made meanwhile is asked for when it returns (scrolling sends many). */
  private viewBusy = false;
  private viewDirty = false;
  /** The document open now (or being opened), so a share link can carry it whole. */
  private current: { readonly id: string; readonly scenario: Scenario } | undefined;
  /** Counts opens, so an open that waited (for the built-ins to compare with) yields to a later one. */
  private opens = 0;

  constructor(private readonly options: ControllerOptions) {
    this.host = options.host;
    this.fallback = options.fallbackHost;
  }

  get hostMode(): EngineHost['mode'] {
    return this.host.mode;
  }

  async open(requestedId: string, startAt: StartAt = 'first-walk'): Promise<void> {
    let entry = this.options.scenarios.find((s) => s.id === requestedId);
    if (!entry) {
      entry = this.options.scenarios.find((s) => s.id === DEFAULT_SCENARIO_ID) ?? this.options.scenarios[0];
      if (!entry) return engineFailed('no built-in scenarios are available');
      addNotice({ tone: 'warning', text: `There is no built-in scenario "${requestedId}"; opened "${entry.id}" instead.` });
    }
    const { id, scenario, load } = entry;
    return this.load(id, scenario ?? load ?? (() => Promise.reject(new Error(`the scenario "${id}" has no document`))), startAt);
  }

  /**
   * Opens a scenario that is not (necessarily) built in: a share link's, an
   * edited one, a file's; at a step, in a view. One equal to a built-in opens
   * as that built-in, so the picker names it.
   */
  async openScenario(scenario: Scenario, startAt: StartAt = 'first-walk', view?: Partial<LinkView>): Promise<void> {
    const text = JSON.stringify(scenario);
    const builtin = this.options.scenarios.find((s) => s.scenario !== undefined && JSON.stringify(s.scenario) === text)?.id;
    const opening = ++this.opens;
    const identified = builtin ?? (await this.options.identify?.(scenario).catch(() => undefined));
    // Something else was opened while the built-ins were being compared: that one wins.
    if (opening !== this.opens) return;
    return this.load(identified ?? SHARED_SCENARIO_ID, scenario, startAt, view);
  }

  /** The scenario document open now, exactly as opened. */
  get currentScenario(): Scenario | undefined {
    return this.current?.scenario;
  }

  /** The share link (the fragment, without "#") for what is shown now: scenario, step, SMMU tab and selected stream. */
  async shareLink(): Promise<EncodeResult | undefined> {
    const state = useAppStore.getState();
    const current = this.current;
    if (!current || state.status !== 'ready') return undefined;
    const stream = state.viewRequest.stream;
    const view: LinkView = typeof stream === 'number' ? { tab: state.smmuTab, stream } : { tab: state.smmuTab };
    // The codec (DEFLATE and its dictionary) is fetched the first time a link is made, not with the page.
    const { encodeShareLink } = await import('../share/encode.ts');
    return encodeShareLink({ scenario: current.scenario, step: state.cursor, view });
  }

  /** `source`: the scenario, or a loader of its document (validated by the host, which answers with the result). */
  private async load(id: string, source: Scenario | (() => Promise<unknown>), startAt: StartAt, view?: Partial<LinkView>): Promise<void> {
    const ticket = ++this.ticket;
    const opened = ++this.opens;
    this.current = typeof source === 'function' ? undefined : { id, scenario: source };
    scenarioLoading(id);
    try {
      const doc: unknown = typeof source === 'function' ? await source() : source;
      if (ticket !== this.ticket) return;
      const outcome = await this.withFallback((host) => host.load(doc));
      if (ticket !== this.ticket) return;
      // The document as the host validated it: what a share link, an export or the editor carries.
      if (typeof source === 'function') this.current = { id, scenario: outcome.ok && outcome.scenario ? outcome.scenario : (doc as Scenario) };
      if (!outcome.ok) return scenarioInvalid(id, outcome.issues);
      scenarioLoaded(id, outcome.outline);
      if (view) applyView(view);
      // One run to the end tells the timeline which steps raise events; the step shown next replays from a snapshot.
      const survey = await this.host.goTo(outcome.outline.stepCount);
      if (opened !== this.opens) return;
      // The marks belong to the scenario, whatever the user did while the survey ran.
      setMarks(stepMarks(survey.log));
      // A step taken meanwhile (a key, a click) wins over the start step.
      if (ticket !== this.ticket) return;
      let step = startAt === 'first-walk' ? firstWalkStep(outcome.outline) : startAt;
      if (step > outcome.outline.stepCount) {
        addNotice({ tone: 'warning', text: `"${id === SHARED_SCENARIO_ID ? outcome.outline.title : id}" has ${outcome.outline.stepCount} steps; there is no step ${step}, so the last step is shown.` });
        step = outcome.outline.stepCount;
      }
      await this.goTo(step);
    } catch (error) {
      if (ticket === this.ticket) engineFailed(messageOf(error));
    }
  }

  async goTo(step: number): Promise<void> {
    const state = useAppStore.getState();
    if (state.status !== 'ready' || !state.outline) return;
    const ticket = ++this.ticket;
    this.target = Math.min(Math.max(Math.trunc(step), 0), state.outline.stepCount);
    try {
      const view: StepViewRequest = state.compareOpen ? { ...state.viewRequest, compare: true } : state.viewRequest;
      const shown = await this.host.goTo(this.target, view);
      if (ticket !== this.ticket) return;
      stepShown(shown);
      // The engine may answer with another step than asked (a cancelled long run replays to the one before).
      this.target = shown.step;
      const id = useAppStore.getState().scenarioId;
      if (id !== undefined && id !== SHARED_SCENARIO_ID) this.options.onShown?.(id, shown.step);
    } catch (error) {
      if (ticket === this.ticket) {
        this.target = useAppStore.getState().cursor;
        engineFailed(messageOf(error));
      }
    }
  }

  /** The stream table scrolled: ask for the StreamIDs now in view. */
  showStreams(first: number, count: number): Promise<void> {
    const current = useAppStore.getState().viewRequest.streams;
    if (current.first === first && current.count === count) return Promise.resolve();
    setStreamWindow(first, count);
    return this.refreshView();
  }

  /** A stream picked in the stream table (or the DMA path): its STE in the inspector, its CD table listed. */
  pickStream(sid: number): Promise<void> {
    selectStream(sid);
    return this.refreshView();
  }

  async refreshView(): Promise<void> {
    if (this.viewBusy) {
      this.viewDirty = true;
      return;
    }
    const state = useAppStore.getState();
    if (state.status !== 'ready') return;
    this.viewBusy = true;
    try {
      viewShown(await this.host.view(state.viewRequest));
    } catch (error) {
      engineFailed(messageOf(error));
    } finally {
      this.viewBusy = false;
    }
    if (this.viewDirty) {
      this.viewDirty = false;
      await this.refreshView();
    }
  }

  /** Opens or closes the SMMUv3 / VT-d comparison; the current step is asked for again, with both IOMMUs or without. */
  showCompare(open: boolean): Promise<void> {
    setCompareOpen(open);
    return this.goTo(useAppStore.getState().cursor);
  }

  stepBy(delta: number): Promise<void> {
    const state = useAppStore.getState();
    // Between a request and its answer, count from the step asked for, not the one shown.
    const from = this.ticket > 0 && state.status === 'ready' ? this.target : state.cursor;
    return this.goTo(from + delta);
  }

  /** The previous (-1) or next (+1) step that raised an event; stays put when there is none. */
  jumpToMark(direction: -1 | 1): Promise<void> {
    const state = useAppStore.getState();
    const step = neighbourMark(state.marks, state.cursor, direction);
    return step === undefined ? Promise.resolve() : this.goTo(step);
  }

  dispose(): void {
    this.ticket++;
    this.host.dispose();
  }

  private async withFallback<T>(run: (host: EngineHost) => Promise<T>): Promise<T> {
    try {
      return await run(this.host);
    } catch (error) {
      const fallback = this.fallback;
      if (!fallback) throw error;
      this.fallback = undefined;
      this.host.dispose();
      this.host = fallback();
      addNotice({ tone: 'info', text: `The engine runs on the page because its worker failed (${messageOf(error)}).` });
      return run(this.host);
    }
  }
}

/** A link's tab and stream, after the scenario loaded (which resets the stream) and before its first step is asked for. */
function applyView(view: Partial<LinkView>): void {
  if (view.tab !== undefined && (LINK_TABS as readonly string[]).includes(view.tab)) selectSmmuTab(view.tab);
  if (typeof view.stream === 'number') selectStream(view.stream);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
