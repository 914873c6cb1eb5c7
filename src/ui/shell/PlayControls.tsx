/**
 * Play / pause, the speed, the scrubber over every step (with a tick for
 * each step that raised an event) and previous / next event. Like the step
 * buttons, these only ask; the store moves when the engine host answers.
 */
import { PLAY_SPEEDS, setSpeed, useAppStore } from '../../store/appStore.ts';
import { selectCursor, selectMarks, selectPlaying, selectSpeed, selectStepCount } from '../../store/selectors.ts';
import { neighbourMark } from '../../store/marks.ts';

export interface PlayControlsProps {
  readonly onGoTo: (step: number) => void;
  readonly onJumpToMark: (direction: -1 | 1) => void;
  readonly onTogglePlay: () => void;
}

export function PlayControls({ onGoTo, onJumpToMark, onTogglePlay }: PlayControlsProps) {
  const cursor = useAppStore(selectCursor);
  const count = useAppStore(selectStepCount);
  const marks = useAppStore(selectMarks);
  const playing = useAppStore(selectPlaying);
  const speed = useAppStore(selectSpeed);
  const previous = neighbourMark(marks, cursor, -1);
  const next = neighbourMark(marks, cursor, 1);
  return (
    <div className="play-controls">
      <div className="play-row">
        <button type="button" className="button" aria-keyshortcuts="Space" aria-pressed={playing} disabled={count === 0} onClick={onTogglePlay}>
          <span aria-hidden="true">{playing ? '❚❚' : '▶'}</span> {playing ? 'Pause' : 'Play'}
        </button>
        <label className="speed-picker">
          Speed{' '}
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {PLAY_SPEEDS.map((v) => <option key={v} value={v}>{v}x</option>)}
          </select>
        </label>
        <button type="button" className="button" disabled={previous === undefined} onClick={() => onJumpToMark(-1)}
          aria-label={previous === undefined ? 'Previous event: none' : `Previous event, step ${previous}`}>
          <span aria-hidden="true">⇤</span> Previous event
        </button>
        <button type="button" className="button" disabled={next === undefined} onClick={() => onJumpToMark(1)}
          aria-label={next === undefined ? 'Next event: none' : `Next event, step ${next}`}>
          Next event <span aria-hidden="true">⇥</span>
        </button>
      </div>
      <div className="timeline-scrubber">
        <input type="range" min={0} max={count} step={1} value={cursor} aria-label="Scrub through the steps"
          aria-valuetext={`Step ${cursor} of ${count}`} onChange={(e) => onGoTo(Number(e.target.value))} />
        <ol className="scrubber-marks" aria-label="Steps that raised an event">
          {marks.map((m) => (
            <li key={m.step} style={{ left: `${count === 0 ? 0 : (m.step / count) * 100}%` }}>
              <button type="button" className={`scrubber-mark${m.step === cursor ? ' is-current' : ''}`} title={`Step ${m.step}: ${m.reason}`}
                aria-label={`Event at step ${m.step}: ${m.reason}`} data-mark={m.step} onClick={() => onGoTo(m.step)} />
            </li>
          ))}
        </ol>
      </div>
    </div>
  );
}
