/**
 * The store's Linux state: the worker's topology view follows the steps, the
 * checkpoint scrubber stays on its checkpoint while the same step is shown
 * again and goes back to "after the call" on another step or scenario, and
 * the selectors find the step's call, DMA and whether the scenario boots Linux.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { resetAppStore, scenarioLoaded, selectCheckpoint, stepShown, useAppStore } from '../../../src/store/appStore.ts';
import { selectCurrentLinuxCall, selectCurrentLinuxDma, selectHasLinux, selectLinux } from '../../../src/store/selectors.ts';
import { builtinScenario } from '../../../src/scenario/index.ts';
import { InProcessHost } from '../../../src/worker/in-process-host.ts';

const state = () => useAppStore.getState();
const ID = 'linux-claim-dma-owner';

beforeEach(() => resetAppStore());

describe('Linux in the store', () => {
  it('holds the topology of the step shown and keeps the scrubber only on the same step', async () => {
    const host = new InProcessHost();
    const outcome = await host.load(builtinScenario(ID));
    if (!outcome.ok) throw new Error('loads');
    scenarioLoaded(ID, outcome.outline);
    expect(selectHasLinux(state())).toBe(true);
    stepShown(await host.goTo(0));
    expect(selectLinux(state())).toBeUndefined();
    stepShown(await host.goTo(6));
    expect(selectCurrentLinuxCall(state())).toMatchObject({ kind: 'linux.called', call: { call: 'iommu_group_claim_dma_owner' } });
    expect(selectLinux(state())?.groups.find((g) => g.id === 1)?.owner).toBe('vfio');
    selectCheckpoint(4);
    stepShown(await host.goTo(6));
    expect(state().checkpoint).toBe(4);
    stepShown(await host.goTo(3));
    expect(state().checkpoint).toBeUndefined();
    expect(selectCurrentLinuxDma(state())).toMatchObject({ kind: 'linux.dma', device: 'nic0' });
    expect(selectCurrentLinuxCall(state())).toBeUndefined();
    scenarioLoaded(ID, outcome.outline);
    expect(selectLinux(state())).toBeUndefined();
    host.dispose();
  });

  it('says a scenario without Linux steps boots no Linux', async () => {
    const host = new InProcessHost();
    const outcome = await host.load(builtinScenario('smmu-stage1-dma'));
    if (!outcome.ok) throw new Error('loads');
    scenarioLoaded('smmu-stage1-dma', outcome.outline);
    expect(selectHasLinux(state())).toBe(false);
    host.dispose();
  });
});
