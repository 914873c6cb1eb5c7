/** Which built-in scenario is open. */
import { useId } from 'react';
import { useAppStore } from '../../store/appStore.ts';
import { selectScenarioId } from '../../store/selectors.ts';

export interface ScenarioChoice {
  readonly id: string;
  readonly title: string;
}

export function ScenarioPicker({ scenarios, onPick }: { scenarios: readonly ScenarioChoice[]; onPick: (id: string) => void }) {
  const current = useAppStore(selectScenarioId);
  const id = useId();
  return (
    <div className="scenario-picker">
      <label htmlFor={id}>Scenario</label>
      <select id={id} value={current ?? ''} onChange={(event) => onPick(event.target.value)}>
        {current === undefined && <option value="">Loading…</option>}
        {scenarios.map((s) => (
          <option key={s.id} value={s.id}>
            {s.title}
          </option>
        ))}
      </select>
    </div>
  );
}
