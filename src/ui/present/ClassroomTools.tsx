/** The header's classroom buttons: Present, Export ▾ and Open file. */
import type { Scenario } from '../../scenario/index.ts';
import { useAppStore } from '../../store/appStore.ts';
import { selectMode, selectStatus } from '../../store/selectors.ts';
import { ExportMenu } from '../export/ExportMenu.tsx';
import { OpenFileButton, type OpenFileButtonProps } from '../export/OpenFileButton.tsx';
import { enterPresenter } from './presenterMode.ts';
import './presenter.css';

export interface ClassroomToolsProps extends OpenFileButtonProps {
  readonly getScenario: () => Scenario | undefined;
}

export function ClassroomTools({ getScenario, onOpen }: ClassroomToolsProps) {
  const mode = useAppStore(selectMode);
  const status = useAppStore(selectStatus);
  return (
    <div className="classroom-tools">
      {mode === 'scenario' && (
        <button type="button" className="button" disabled={status !== 'ready'} onClick={() => enterPresenter(true)} title="Full-screen diagram with captions; Esc leaves">
          <span aria-hidden="true">▶︎</span> Present
        </button>
      )}
      {mode === 'scenario' && <ExportMenu getScenario={getScenario} />}
      <OpenFileButton onOpen={onOpen} />
    </div>
  );
}
