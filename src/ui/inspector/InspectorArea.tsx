/** The inspector beside the diagram: the picked STE or CD when there is one, else the walk level's descriptor. */
import { selectLevel, useAppStore } from '../../store/appStore.ts';
import { selectCurrentWalkResult, selectInspectedEntry, selectInspectedStep, selectInspectedWords, selectSmmu } from '../../store/selectors.ts';
import { EntryInspector } from './EntryInspector.tsx';
import { Inspector } from './Inspector.tsx';

export function InspectorArea() {
  const walk = useAppStore(selectCurrentWalkResult);
  const step = useAppStore(selectInspectedStep);
  const entry = useAppStore(selectInspectedEntry);
  const words = useAppStore(selectInspectedWords);
  const smmu = useAppStore(selectSmmu);
  return (
    <Inspector walk={walk} step={step} onSelectLevel={selectLevel}
      entry={entry && <EntryInspector entry={entry} words={words} features={smmu?.features} hasWalk={walk !== undefined} />} />
  );
}
