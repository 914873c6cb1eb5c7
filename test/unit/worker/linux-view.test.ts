/**
 * The worker's Linux projection: absent before linux.boot, then after every
 * step the view of a straight run of a fresh engine, also after
 * stepping back (a snapshot replay), and through the in-process host's
 * structured clone.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.ts';
import { builtinScenario, engineOptionsOf, scenarioToCommands } from '../../../src/scenario/index.ts';
import { InProcessHost } from '../../../src/worker/in-process-host.ts';
import { buildLinuxView } from '../../../src/worker/linux-view.ts';
import { EngineSession } from '../../../src/worker/session.ts';

const ID = 'linux-claim-dma-owner';

function straightViews() {
  const s = builtinScenario(ID);
  if (!s) throw new Error('no built-in');
  const engine = new Engine(engineOptionsOf(s));
  return scenarioToCommands(s).map((c) => {
    engine.apply(c);
    return engine.linux ? buildLinuxView(engine.linux) : undefined;
  });
}

describe('the Linux topology in the worker\'s answers', () => {
  const expected = straightViews();
  const session = new EngineSession();
  session.load(1, builtinScenario(ID));

  it('is absent before linux.boot and the engine\'s view after each step, forward and back', () => {
    const at0 = session.goTo(2, 0);
    expect(at0.kind === 'state' && at0.linux).toBeUndefined();
    const order = [...expected.keys()].map((i) => i + 1);
    for (const step of [...order, ...order.reverse()]) {
      const r = session.goTo(3, step);
      if (r.kind !== 'state') throw new Error(JSON.stringify(r));
      expect(r.linux, `step ${step}`).toEqual(expected[step - 1]);
    }
  });

  it('survives the in-process host\'s structured clone', async () => {
    const host = new InProcessHost();
    await host.load(builtinScenario(ID));
    const state = await host.goTo(6);
    expect(state.linux).toEqual(expected[5]);
    expect(state.linux?.groups.find((g) => g.id === 1)?.domain).toBe('arm_smmu_blocked_domain');
  });
});
