/**
 * The page side of the protocol, shared by both hosts: numbering requests,
 * pairing responses with their requests, and turning responses into the
 * EngineHost results.
 */
import { EngineHostError } from './protocol.ts';
import type { HostRequest, HostResponse, LoadOutcome, RequestId, StepState, ViewState } from './protocol.ts';
import type { SmmuViewRequest } from './smmu-view-types.ts';

type Pending = { resolve(response: HostResponse): void; reject(error: Error): void };

/** Distributes over the union, so each request kind keeps its own fields. */
export type RequestBody = HostRequest extends infer R ? (R extends HostRequest ? Omit<R, 'id'> : never) : never;

/** load, goTo and view over one `call`: what every host answers the same way, whatever carries its requests. */
export abstract class CallingHost {
  protected abstract call(body: RequestBody): Promise<HostResponse>;

  load(scenario: unknown): Promise<LoadOutcome> {
    return this.call({ kind: 'load', scenario }).then(toLoadOutcome);
  }

  goTo(step: number, view?: SmmuViewRequest): Promise<StepState> {
    return this.call({ kind: 'goTo', step, ...(view ? { view } : {}) }).then(toStepState);
  }

  view(view: SmmuViewRequest): Promise<ViewState> {
    return this.call({ kind: 'view', view }).then(toViewState);
  }
}

export class RequestTracker {
  private nextId: RequestId = 1;
  private readonly pending = new Map<RequestId, Pending>();

  /** Registers a request; `send` delivers it to the engine side. */
  issue(body: RequestBody, send: (request: HostRequest) => void): Promise<HostResponse> {
    const id = this.nextId++;
    const request = { ...body, id } as HostRequest;
    return new Promise<HostResponse>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        send(request);
      } catch (error) {
        this.pending.delete(id);
        reject(error instanceof Error ? error : new EngineHostError(String(error)));
      }
    });
  }

  settle(response: HostResponse): void {
    const waiting = this.pending.get(response.id);
    if (!waiting) return; // an answer nobody waits for any more (after dispose)
    this.pending.delete(response.id);
    waiting.resolve(response);
  }

  failAll(message: string): void {
    for (const waiting of this.pending.values()) waiting.reject(new EngineHostError(message));
    this.pending.clear();
  }
}

export function toLoadOutcome(response: HostResponse): LoadOutcome {
  switch (response.kind) {
    case 'loaded':
      return { ok: true, outline: response.outline, ...(response.scenario ? { scenario: response.scenario } : {}) };
    case 'invalid':
      return { ok: false, issues: response.issues };
    case 'failed':
      throw new EngineHostError(response.message);
    case 'state':
    case 'view':
      throw new EngineHostError(`expected an answer to 'load', got '${response.kind}'`);
  }
}

export function toStepState(response: HostResponse): StepState {
  switch (response.kind) {
    case 'state':
      return { step: response.step, log: response.log, ...(response.smmu ? { smmu: response.smmu } : {}), ...(response.linux ? { linux: response.linux } : {}), ...(response.compare ? { compare: response.compare } : {}) };
    case 'failed':
      throw new EngineHostError(response.message);
    case 'loaded':
    case 'invalid':
    case 'view':
      throw new EngineHostError(`expected an answer to 'goTo', got '${response.kind}'`);
  }
}

export function toViewState(response: HostResponse): ViewState {
  switch (response.kind) {
    case 'view':
      return { step: response.step, ...(response.smmu ? { smmu: response.smmu } : {}) };
    case 'failed':
      throw new EngineHostError(response.message);
    case 'loaded':
    case 'invalid':
    case 'state':
      throw new EngineHostError(`expected an answer to 'view', got '${response.kind}'`);
  }
}
