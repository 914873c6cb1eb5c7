/**
 * The in-process fallback, fetched only when it is needed: it carries the
 * whole engine and the scenario validator, which the page otherwise never
 * loads (they live in the worker's own bundle).
 */
import type { EngineHost, LoadOutcome, StepState, ViewState } from './protocol.ts';
import type { SmmuViewRequest } from './smmu-view-types.ts';

export class LazyInProcessHost implements EngineHost {
  readonly mode = 'in-process' as const;
  private readonly host: Promise<EngineHost> = import('./in-process-host.ts').then((m) => new m.InProcessHost());
  private disposed = false;

  load(scenario: unknown): Promise<LoadOutcome> {
    return this.host.then((h) => h.load(scenario));
  }

  goTo(step: number, view?: SmmuViewRequest): Promise<StepState> {
    return this.host.then((h) => h.goTo(step, view));
  }

  view(view: SmmuViewRequest): Promise<ViewState> {
    return this.host.then((h) => h.view(view));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    void this.host.then((h) => h.dispose(), () => undefined);
  }
}
