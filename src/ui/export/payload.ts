/**
 * What an exported diagram carries so it can be opened again: the whole
 * scenario, the step on screen and the view around it, as one JSON object.
 * Reading it checks every part and validates the scenario with the same
 * parser as a scenario file.
 */
import { parseScenario, type Scenario, type ScenarioIssue } from '../../scenario/index.ts';
import type { SmmuTab } from '../../store/appStore.ts';

export const EXPORT_FORMAT = 'iommu-visualizer-export';
export const EXPORT_VERSION = 1;
/** The PNG iTXt keyword; an SVG keeps the same JSON in its <metadata>. */
export const PNG_KEYWORD = 'iommu-visualizer';

const SMMU_TABS: readonly SmmuTab[] = ['streams', 'cds', 'events', 'commands', 'caches'];

/** The view around the step: which SMMU structure was on show, and the StreamID picked in the stream table. */
export interface SavedView {
  readonly smmuTab?: SmmuTab;
  readonly stream?: number;
}

export interface ExportPayload {
  readonly scenario: Scenario;
  /** The step on screen (0 = before step 1); undefined opens at the first walk, as a scenario file does. */
  readonly step: number | undefined;
  readonly view: SavedView;
  /** The built-in scenario's id, when it was one: only a name for messages and the URL. */
  readonly scenarioId?: string;
}

export type PayloadResult = { readonly ok: true; readonly payload: ExportPayload } | { readonly ok: false; readonly problem: string };

export function encodePayload(payload: ExportPayload): string {
  const { scenario, step, view, scenarioId } = payload;
  return JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, ...(scenarioId ? { scenarioId } : {}), step: step ?? 0, view, scenario });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads what encodePayload wrote (already parsed from JSON); every problem names the field. */
export function decodePayload(value: unknown): PayloadResult {
  if (!isObject(value) || value.format !== EXPORT_FORMAT) return { ok: false, problem: `the embedded data is not an IOMMU Visualizer export ("format" is not "${EXPORT_FORMAT}")` };
  if (typeof value.version !== 'number' || !Number.isInteger(value.version) || value.version < 1) return { ok: false, problem: '"version" of the embedded data is not a version number' };
  if (value.version > EXPORT_VERSION) return { ok: false, problem: `it was exported by a newer version of the app (export version ${value.version}; this app reads up to ${EXPORT_VERSION})` };
  const step = value.step;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) return { ok: false, problem: `"step" of the embedded data must be a whole number from 0 (got ${JSON.stringify(step) ?? 'nothing'})` };
  const view = value.view ?? {};
  if (!isObject(view)) return { ok: false, problem: '"view" of the embedded data must be an object' };
  if (view.smmuTab !== undefined && !SMMU_TABS.includes(view.smmuTab as SmmuTab)) {
    return { ok: false, problem: `"view.smmuTab" must be one of ${SMMU_TABS.join(', ')} (got ${JSON.stringify(view.smmuTab)})` };
  }
  const stream = view.stream;
  if (stream !== undefined && (typeof stream !== 'number' || !Number.isInteger(stream) || stream < 0 || stream > 0xffffffff)) {
    return { ok: false, problem: `"view.stream" must be a StreamID, a whole number from 0 to 0xffffffff (got ${JSON.stringify(stream)})` };
  }
  const parsed = parseScenario(value.scenario);
  if (!parsed.ok) return { ok: false, problem: `its scenario is not valid: ${issuesText(parsed.errors, 'scenario')}` };
  const scenarioId = typeof value.scenarioId === 'string' && value.scenarioId !== '' ? value.scenarioId : undefined;
  return { ok: true, payload: { scenario: parsed.scenario, step, view: { ...(view.smmuTab ? { smmuTab: view.smmuTab as SmmuTab } : {}), ...(typeof stream === 'number' ? { stream } : {}) }, ...(scenarioId ? { scenarioId } : {}) } };
}

/** The first few issues as "path: message", joined; the rest counted. */
export function issuesText(issues: readonly ScenarioIssue[], prefix = ''): string {
  const shown = issues.slice(0, 3).map((i) => {
    const path = [prefix, i.path].filter((p) => p !== '').join('.');
    return path === '' ? i.message : `${path}: ${i.message}`;
  });
  const more = issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}
