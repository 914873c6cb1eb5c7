/**
 * Drives the engine host on behalf of the page and feeds the answers into
 * the store. Components never talk to the host: they call these methods
 * (through props) and read the store.
 */
import type { Scenario } from '../scenario/index.ts';
import {
  addNotice, engineFailed, scenarioInvalid, scenarioLoaded, scenarioLoading, selectStream, setMarks, setStreamWindow, stepShown, useAppStore, viewShown,
} from '../store/appStore.ts';
import { neighbourMark, stepMarks } from '../store/marks.ts';
import type { EngineHost, ScenarioOutline } from '../worker/protocol.ts';

export const DEFAULT_SCENARIO_ID = 'walk-4k-page';

/** Where a freshly opened scenario starts: a step number, or its first walk (the default). */
export type StartAt = number | 'first-walk';

export interface ControllerOptions {
  readonly host: EngineHost;
  readonly scenarios: readonly { readonly id: string; readonly scenario: Scenario }[];
  /** Used once if the first host fails (a worker that cannot start). */
  readonly fallbackHost?: () => EngineHost;
  /** Called after each step is shown: the app mirrors it into the URL. */
  readonly onShown?: (scenarioId: string, step: number) => void;
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
    const ticket = ++this.ticket;
    const id = entry.id;
    scenarioLoading(id);
    try {
      const outcome = await this.withFallback((host) => host.load(entry.scenario));
      if (ticket !== this.ticket) return;
      if (!outcome.ok) return scenarioInvalid(id, outcome.issues);
      scenarioLoaded(id, outcome.outline);
      // One run to the end tells the timeline which steps raise events; the step shown next replays from a snapshot.
      const survey = await this.host.goTo(outcome.outline.stepCount);
      if (ticket !== this.ticket) return;
      setMarks(stepMarks(survey.log));
      let step = startAt === 'first-walk' ? firstWalkStep(outcome.outline) : startAt;
      if (step > outcome.outline.stepCount) {
        addNotice({ tone: 'warning', text: `"${id}" has ${outcome.outline.stepCount} steps; there is no step ${step}, so the last step is shown.` });
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
      const shown = await this.host.goTo(this.target, state.viewRequest);
      if (ticket !== this.ticket) return;
      stepShown(shown);
      const id = useAppStore.getState().scenarioId;
      if (id !== undefined) this.options.onShown?.(id, shown.step);
    } catch (error) {
      if (ticket === this.ticket) engineFailed(messageOf(error));
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
