/**
 * Which steps the timeline marks: the ones that raised something a learner
 * would want to jump to. Read from the engine's events, never re-derived.
 */
import type { EngineEvent } from '../engine/events.ts';
import type { StepMark } from './appStore.ts';

/** Why a step's events deserve a mark, or undefined when nothing stands out. */
export function markReason(events: readonly EngineEvent[]): string | undefined {
  for (const e of events) {
    switch (e.kind) {
      case 'smmu.dma':
      case 'linux.dma':
        if (e.outcome.event) return `${e.outcome.event.name} event`;
        break;
      case 'walk.completed':
        if (e.result.fault) return `${e.result.fault.type} fault`;
        break;
      case 'command.rejected':
        return 'step refused';
      case 'linux.finding':
        return `finding: ${e.finding.rule}`;
      default:
        break;
    }
  }
  return undefined;
}

/** The marked steps of a whole log (log[k - 1] = the events of step k), ascending. */
export function stepMarks(log: readonly (readonly EngineEvent[])[]): StepMark[] {
  const marks: StepMark[] = [];
  log.forEach((events, i) => {
    const reason = markReason(events);
    if (reason !== undefined) marks.push({ step: i + 1, reason });
  });
  return marks;
}

/** The nearest marked step before (-1) or after (+1) the cursor, if any. */
export function neighbourMark(marks: readonly StepMark[], cursor: number, direction: -1 | 1): number | undefined {
  if (direction > 0) return marks.find((m) => m.step > cursor)?.step;
  let found: number | undefined;
  for (const m of marks) if (m.step < cursor) found = m.step;
  return found;
}
