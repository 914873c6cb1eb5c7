/**
 * Presenter mode: the diagram filling the screen in large type, the
 * narration as captions under it, a small step counter, and none of the
 * editing chrome. Driven by keys and clickers (usePresenterKeys).
 */
import { useEffect, useRef } from 'react';
import { useAppStore } from '../../store/appStore.ts';
import { selectCursor, selectStepCount } from '../../store/selectors.ts';
import { Notices } from '../shell/Notices.tsx';
import { StageView } from '../shell/StageView.tsx';
import { Captions } from './Captions.tsx';
import { FitStage } from './FitStage.tsx';
import { useClassroomStore } from './classroomStore.ts';
import { exitPresenter } from './presenterMode.ts';
import { PRESENTER_KEYS, usePresenterKeys } from './usePresenterKeys.ts';
import './presenter.css';

export interface PresenterProps {
  readonly onGoTo: (step: number) => void;
  readonly onStep: (delta: -1 | 1) => void;
}

/** Leaving full screen (the browser takes the first Escape for that) leaves presenter mode too. */
function useLeaveWithFullscreen(): void {
  const wasFullscreen = useRef(false);
  useEffect(() => {
    const onChange = () => {
      if (document.fullscreenElement) wasFullscreen.current = true;
      else if (wasFullscreen.current) exitPresenter();
    };
    wasFullscreen.current = document.fullscreenElement !== null;
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);
}

export function Presenter({ onGoTo, onStep }: PresenterProps) {
  const cursor = useAppStore(selectCursor);
  const count = useAppStore(selectStepCount);
  const blank = useClassroomStore((s) => s.blank);
  const zoom = useClassroomStore((s) => s.zoom);
  const keyList = useClassroomStore((s) => s.keyList);
  usePresenterKeys({ onStep, onGoTo, onExit: exitPresenter });
  useLeaveWithFullscreen();
  // Each step starts at the top of its diagram.

  return (
    <div className="presenter" data-testid="presenter" role="region" aria-label="Presentation">
      <FitStage zoom={zoom} stepKey={cursor}>
        <StageView onGoTo={onGoTo} />
      </FitStage>
      <Captions className="presenter-captions" />
      <div className="presenter-notices"><Notices /></div>
      <p className="presenter-counter" data-testid="presenter-counter" aria-label={`Step ${cursor} of ${count}`}>
        {cursor} / {count}
      </p>
      <button type="button" className="presenter-exit" onClick={exitPresenter} title="Keys: ? or H">
        Exit presenter <kbd>Esc</kbd>
      </button>
      {keyList && (
        <div className="presenter-keys" role="dialog" aria-label="Presenter keys">
          <table>
            <tbody>
              {PRESENTER_KEYS.map((row) => (
                <tr key={row.keys}><th scope="row">{row.keys}</th><td>{row.action}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {blank && <div className={`presenter-blank presenter-blank-${blank}`} data-testid="presenter-blank" aria-label="Screen blanked: press B, W or Escape" />}
    </div>
  );
}
