/** The snapshot due at the step a goTo stops on is taken after the answer (afterAnswer), and stepping back stays exact. */
import { describe, expect, it } from 'vitest';
import { builtinScenario } from '../../../src/scenario/index.ts';
import { EngineSession, SNAPSHOT_INTERVAL } from '../../../src/worker/session.ts';

const strip = (r: object) => ({ ...r, id: 0 });

describe('deferred snapshots', () => {
  it('answers every step, after forward steps that land on snapshot points, as a fresh session does', () => {
    const scenario = builtinScenario('smmu-nested');
    if (!scenario) throw new Error('smmu-nested is missing');
    const stepped = new EngineSession();
    stepped.load(1, scenario);
    const visits = [SNAPSHOT_INTERVAL, 3, 2 * SNAPSHOT_INTERVAL, SNAPSHOT_INTERVAL + 1, SNAPSHOT_INTERVAL - 1, 2 * SNAPSHOT_INTERVAL + 2, 1];
    visits.forEach((step, i) => {
      const answer = stepped.goTo(2 + i, step);
      // Only every other answer is followed by afterAnswer: the snapshot must also come right when the next move takes it.
      if (i % 2 === 0) stepped.afterAnswer();
      const fresh = new EngineSession();
      fresh.load(1, scenario);
      expect(strip(answer), `step ${step}`).toEqual(strip(fresh.goTo(2, step)));
    });
  });
});
