/** The app bar: title, scenario picker, theme toggle. */
import { setMode, toggleTheme } from '../../store/appStore.ts';
import { selectMode, selectTheme } from '../../store/selectors.ts';
import { useAppStore } from '../../store/appStore.ts';
import type { ReactNode } from 'react';
import { ScenarioPicker } from './ScenarioPicker.tsx';
import type { ScenarioChoice } from './ScenarioPicker.tsx';

interface Props {
  readonly scenarios: readonly ScenarioChoice[];
  readonly onPickScenario: (id: string) => void;
  /** Buttons placed before the theme toggle (Present, Export, Open file). */
  readonly tools?: ReactNode;
  /** The Share button (src/share), shown with the scenario picker. */
  readonly share?: ReactNode;
}

export function Header({ scenarios, onPickScenario, tools, share }: Props) {
  const theme = useAppStore(selectTheme);
  const mode = useAppStore(selectMode);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <header className="app-header">
      <div className="brand">
        <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
          <rect x="2" y="3" width="28" height="7" rx="2" className="lvl-0" />
          <rect x="6" y="13" width="24" height="7" rx="2" className="lvl-1" />
          <rect x="10" y="23" width="20" height="7" rx="2" className="lvl-3" />
        </svg>
        <h1 className="brand-title">IOMMU Visualizer</h1>
      </div>
      <nav className="mode-nav" aria-label="Tools">
        <button type="button" className="button mode-button" aria-current={mode === 'scenario' ? 'page' : undefined} onClick={() => setMode('scenario')}>
          Scenarios
        </button>
        <button type="button" className="button mode-button" aria-current={mode === 'decoder' ? 'page' : undefined} onClick={() => setMode('decoder')}>
          Decode STE/CD
        </button>
        <button type="button" className="button mode-button" aria-current={mode === 'editor' ? 'page' : undefined} onClick={() => setMode('editor')}>
          Edit
        </button>
        <button type="button" className="button mode-button" aria-current={mode === 'import' ? 'page' : undefined} onClick={() => setMode('import')}>
          Import
        </button>
      </nav>
      {mode === 'scenario' && <ScenarioPicker scenarios={scenarios} onPick={onPickScenario} />}
      {mode === 'scenario' && share}
      {tools}
      <button type="button" className="button theme-toggle" onClick={toggleTheme} aria-label={`Switch to ${next} theme`}>
        <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span> {theme === 'dark' ? 'Light' : 'Dark'}
      </button>
    </header>
  );
}
