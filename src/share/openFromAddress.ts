/**
 * The first scenario the page opens: the share link in the hash when there
 * is one, else the built-in the query names. A link that cannot be read is
 * reported (what is wrong and where) and the built-in opens instead, so the
 * page is never left empty.
 */
import type { Scenario } from '../scenario/index.ts';
import { addNotice } from '../store/appStore.ts';
import { looksLikeShareLink } from './hash.ts';
import type { DecodeResult } from './link.ts';
import type { LinkView } from './view.ts';

type StartAt = number | 'first-walk';

/** What the page needs of the app's controller. */
export interface ScenarioOpener {
  open(id: string, startAt?: StartAt): Promise<void>;
  openScenario(scenario: Scenario, startAt?: StartAt, view?: Partial<LinkView>): Promise<void>;
}

/**
 * Opens the link in `hash`; false when the hash is not a link at all. A bad
 * link becomes a notice (ending with `instead`, what the page does about it)
 * and `fallback` runs. The codec is fetched only when there is a link to read.
 */
export function openShareHash(opener: ScenarioOpener, hash: string, fallback: () => Promise<void>, instead: string): Promise<void> | false {
  if (!looksLikeShareLink(hash)) return false;
  return import('./link.ts').then(({ decodeShareLink }) => openDecoded(opener, decodeShareLink(hash), fallback, instead));
}

function openDecoded(opener: ScenarioOpener, result: DecodeResult, fallback: () => Promise<void>, instead: string): Promise<void> {
  if (!result.ok) {
    addNotice({ tone: 'error', text: `This share link cannot be opened. ${result.error.message} ${instead}` });
    return fallback();
  }
  for (const warning of result.warnings) addNotice({ tone: 'warning', text: warning });
  return opener.openScenario(result.scenario, result.step, result.view);
}

export function openFromAddress(opener: ScenarioOpener, hash: string, builtinId: string, startAt: StartAt): Promise<void> {
  const fallback = () => opener.open(builtinId, startAt);
  return openShareHash(opener, hash, fallback, 'A built-in scenario is shown instead.') || fallback();
}
