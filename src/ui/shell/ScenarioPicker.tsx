/** Which built-in scenario is open. */
import { useId } from 'react';
import { useAppStore } from '../../store/appStore.ts';
import { selectScenarioId } from '../../store/selectors.ts';

export interface ScenarioChoice {
  readonly id: string;
  readonly title: string;
  /** Listed under this heading (an <optgroup>): "Lessons 1–12", "Other scenarios". */
  readonly group?: string;
}

/** Consecutive choices with the same group, in order. */
function grouped(scenarios: readonly ScenarioChoice[]): { group: string | undefined; items: ScenarioChoice[] }[] {
  const out: { group: string | undefined; items: ScenarioChoice[] }[] = [];
  for (const s of scenarios) {
    const last = out.at(-1);
    if (last && last.group === s.group) last.items.push(s);
    else out.push({ group: s.group, items: [s] });
  }
  return out;
}

export function ScenarioPicker({ scenarios, onPick }: { scenarios: readonly ScenarioChoice[]; onPick: (id: string) => void }) {
  const current = useAppStore(selectScenarioId);
  // A share link's (or an edited) scenario is listed by its own title while it is open.
  const sharedTitle = useAppStore((s) => s.outline?.title);
  const id = useId();
  return (
    <div className="scenario-picker">
      <label htmlFor={id}>Scenario</label>
      <select id={id} value={current ?? ''} onChange={(event) => onPick(event.target.value)}>
        {current === undefined && <option value="">Loading…</option>}
        {current === 'shared' && <option value="shared">{sharedTitle ?? 'Shared scenario'} (not built in)</option>}
        {grouped(scenarios).map(({ group, items }, g) => {
          const options = items.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title}
            </option>
          ));
          return group === undefined ? options : <optgroup key={`${g}:${group}`} label={group}>{options}</optgroup>;
        })}
      </select>
    </div>
  );
}
