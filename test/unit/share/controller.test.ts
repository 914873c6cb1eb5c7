/** The controller's share-link path: open a link's scenario at its step and view, and make the link for what is shown. */
import { beforeEach, describe, expect, it } from 'vitest';
import { AppController, SHARED_SCENARIO_ID } from '../../../src/app/controller.ts';
import { writeShareUrl } from '../../../src/app/url.ts';
import { builtinScenario, builtinScenarios } from '../../../src/scenario/index.ts';
import { decodeShareLink } from '../../../src/share/index.ts';
import { openFromAddress } from '../../../src/share/openFromAddress.ts';
import { resetAppStore, selectSmmuTab, useAppStore } from '../../../src/store/appStore.ts';
import { InProcessHost } from '../../../src/worker/in-process-host.ts';

const state = () => useAppStore.getState();
const controller = (shown: [string, number][] = []) => new AppController({ host: new InProcessHost(), scenarios: builtinScenarios, onShown: (id, step) => shown.push([id, step]) });

beforeEach(() => resetAppStore());

describe('share links through the controller', () => {
  it('opens an edited scenario at its step and view as "shared", without naming it in the query', async () => {
    const shown: [string, number][] = [];
    const c = controller(shown);
    const scenario = { ...builtinScenario('smmu-stage1-dma')!, title: 'My DMA' };
    await c.openScenario(scenario, 5, { tab: 'cds', stream: 16 });
    expect(state()).toMatchObject({ scenarioId: SHARED_SCENARIO_ID, status: 'ready', cursor: 5, smmuTab: 'cds' });
    expect(state().viewRequest.stream).toBe(16);
    expect(state().outline?.title).toBe('My DMA');
    expect(shown).toEqual([]);
    expect(c.currentScenario).toBe(scenario);
  });

  it('opens an unchanged built-in as that built-in', async () => {
    const c = controller();
    await c.openScenario(builtinScenario('block-2m')!, 2);
    expect(state().scenarioId).toBe('block-2m');
  });

  it('makes a link that reopens the same scenario, step and view', async () => {
    const c = controller();
    await c.open('smmu-nested', 4);
    selectSmmuTab('caches');
    const made = await c.shareLink();
    if (!made?.ok) throw new Error('no link');
    const back = decodeShareLink(made.link);
    expect(back).toMatchObject({ ok: true, step: 4, view: { tab: 'caches' }, scenario: builtinScenario('smmu-nested') });
  });

  it('a bad link in the address: a notice says what is wrong, and the built-in opens', async () => {
    const c = controller();
    await openFromAddress(c, '#v1.AAAA%AAA', 'walk-16k-page', 0);
    expect(state().scenarioId).toBe('walk-16k-page');
    expect(state().notices.map((n) => n.text)).toEqual([
      'This share link cannot be opened. The link is damaged at character 8 of 11: "%" is not a base64url character (A-Z, a-z, 0-9, "-", "_"). A built-in scenario is shown instead.',
    ]);
  });

  it('writes the link into the hash, and the built-in into the query only for a built-in', () => {
    expect(writeShareUrl('?scenario=walk-4k-page&step=2&theme=x', undefined, 3, 'v1.AB')).toBe('?theme=x#v1.AB');
    expect(writeShareUrl('', 'block-2m', 3, 'v1.AB')).toBe('?scenario=block-2m&step=3#v1.AB');
  });
});
