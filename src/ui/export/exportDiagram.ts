/**
 * The three exports: the diagram on screen as SVG or PNG (each carrying the
 * scenario, the step and the view) and the scenario alone as JSON. Reads
 * the store; the caller supplies the scenario object and the element.
 */
import { builtinScenario, type Scenario } from '../../scenario/index.ts';
import { useAppStore } from '../../store/appStore.ts';
import { encodePayload, type ExportPayload } from './payload.ts';
import { fileStem, rasterizeSvg, saveBlob } from './rasterize.ts';
import { snapshotSvg } from './snapshot.ts';

export type ExportKind = 'svg' | 'png' | 'json';

export interface ExportRequest {
  readonly kind: ExportKind;
  readonly scenario: Scenario;
  /** The diagram to draw (not needed for JSON). */
  readonly target: HTMLElement | null;
}

export function currentPayload(scenario: Scenario): ExportPayload {
  const s = useAppStore.getState();
  const stream = s.viewRequest.stream;
  const view = { smmuTab: s.smmuTab, ...(typeof stream === 'number' ? { stream } : {}) };
  // Only a built-in's id names the scenario; an opened or shared one is named by its title.
  const builtin = s.scenarioId !== undefined && builtinScenario(s.scenarioId) !== undefined;
  return { scenario, step: s.cursor, view, ...(builtin ? { scenarioId: s.scenarioId } : {}) };
}

function subtitle(): string {
  const s = useAppStore.getState();
  const count = s.outline?.stepCount ?? 0;
  const step = s.cursor > 0 ? s.outline?.steps[s.cursor - 1] : undefined;
  return step ? `Step ${s.cursor} of ${count}: ${step.label}` : `Step 0 of ${count}: before the first step`;
}

/** Builds the file and offers it for download; the name says what and which step. Throws with a message to show. */
export async function exportCurrent({ kind, scenario, target }: ExportRequest): Promise<string> {
  const payload = currentPayload(scenario);
  const stem = fileStem(payload.scenarioId ?? scenario.title);
  if (kind === 'json') {
    const name = `${stem}.json`;
    saveBlob(new Blob([`${JSON.stringify(scenario, null, 2)}\n`], { type: 'application/json' }), name);
    return name;
  }
  if (!target) throw new Error('there is no diagram on screen to export');
  const metadata = encodePayload(payload);
  const shot = snapshotSvg(target, { title: scenario.title, subtitle: subtitle(), metadata });
  const name = `${stem}-step-${payload.step ?? 0}.${kind}`;
  if (kind === 'svg') saveBlob(new Blob([shot.svg], { type: 'image/svg+xml' }), name);
  else saveBlob(await rasterizeSvg(shot.svg, shot.width, shot.height, metadata), name);
  return name;
}
