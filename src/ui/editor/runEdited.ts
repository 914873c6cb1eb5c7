/**
 * Run: the edited scenario goes to the engine through the controller's
 * openScenario(scenario, startAt, view), which comes with share links (the
 * same method opens a link's scenario); it is looked up at run time so the
 * editor builds and says what is missing on a build without it.
 */
import type { Scenario } from '../../scenario/index.ts';
import { addNotice, setMode } from '../../store/appStore.ts';

type OpenScenario = (scenario: Scenario, startAt: number | 'first-walk', view?: unknown) => Promise<void>;

export function runEdited(controller: object | undefined, scenario: Scenario): void {
  const open = (controller as { openScenario?: OpenScenario } | undefined)?.openScenario;
  if (typeof open !== 'function') {
    addNotice({ tone: 'error', text: 'This build cannot yet run a scenario that is not built in; your scenario is valid and kept in the editor.' });
    return;
  }
  setMode('scenario');
  void open.call(controller, scenario, 'first-walk');
}
