/**
 * `?scenario=<built-in id>&step=<n>`: a link opens that scenario at that
 * step. Reading never throws; what cannot be used becomes a message.
 */
import type { StartAt } from './controller.ts';

export interface UrlRequest {
  readonly scenarioId: string | undefined;
  readonly startAt: StartAt;
  /** Human-readable problems with the parameters, shown as notices. */
  readonly problems: readonly string[];
}

export function readUrl(search: string): UrlRequest {
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  const scenarioParam = params.get('scenario');
  const scenarioId = scenarioParam === null || scenarioParam.trim() === '' ? undefined : scenarioParam.trim();
  let startAt: StartAt = 'first-walk';
  const stepParam = params.get('step');
  if (stepParam !== null) {
    if (/^\d{1,6}$/.test(stepParam.trim())) startAt = Number(stepParam.trim());
    else problems.push(`The step "${stepParam}" in the link is not a step number (0, 1, 2 ...); the first walk step is shown.`);
  }
  return { scenarioId, startAt, problems };
}

/** The query string for a scenario and step, keeping any other parameters the page had. */
export function writeUrl(search: string, scenarioId: string, step: number): string {
  const params = new URLSearchParams(search);
  params.set('scenario', scenarioId);
  params.set('step', String(step));
  return `?${params.toString()}`;
}
