/**
 * Opening what a file held through the app's controller (openScenario, as
 * share links do), and which scenario document is open (for "Scenario as
 * JSON" and the exports). Typed by shape, so the UI does not import the app.
 */
import type { Scenario } from '../../scenario/index.ts';
import type { SmmuTab } from '../../store/appStore.ts';
import type { ExportPayload } from './payload.ts';

export interface ScenarioOpener {
  openScenario(scenario: Scenario, startAt?: number | 'first-walk', view?: { readonly tab?: SmmuTab; readonly stream?: number }): Promise<void>;
  readonly currentScenario: Scenario | undefined;
}

export function openPayload(opener: ScenarioOpener | undefined, payload: ExportPayload): void {
  const { smmuTab, stream } = payload.view;
  void opener?.openScenario(payload.scenario, payload.step ?? 'first-walk', {
    ...(smmuTab ? { tab: smmuTab } : {}),
    ...(stream !== undefined ? { stream } : {}),
  });
}
