/**
 * The Linux topology and a kernel call's checkpoints in a real Chromium
 * against the built app: linux-claim-dma-owner stepped to the claim, the
 * group's domain before and after, the scrubber moved through the switch,
 * and a DMA sent mid-switch drawn as a packet that lands on the old domain
 * or is blocked. Expected values come from the scenario file and the
 * kernel's rules (a store alone changes nothing until its sync), not from
 * the engine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { builtinScenario, type Scenario } from '../../src/scenario/index.ts';
import { openApp, type App, type Page } from './harness/index.ts';

function scenario(id: string): Scenario {
  const s = builtinScenario(id);
  if (!s) throw new Error(`no built-in scenario ${id}`);
  return s;
}

/** 1-based step numbers of the steps that make this call. */
const callSteps = (s: Scenario, call: string): number[] => s.steps.flatMap((step, i) => (step.kind === 'linux.call' && step.call === call ? [i + 1] : []));

async function at(page: Page, step: number): Promise<void> {
  await expect.poll(async () => Number(await page.getByTestId('step-counter').locator('strong').textContent())).toBe(step);
}

async function settled(page: Page): Promise<void> {
  await page.locator('[data-testid="topology"] svg[data-motion="done"]').waitFor();
}

/** Where group 1's group->domain edge points. */
const groupDomain = (page: Page) => page.getByTestId('edge-group-domain-group:1').getAttribute('data-to');
const steTarget = (page: Page, device: string) => page.getByTestId(`edge-ste-device:${device}`).getAttribute('data-to');

let app: App | undefined;
afterEach(async () => {
  if (app) expect(app.problems()).toEqual([]);
  await app?.close();
  app = undefined;
});

describe('linux-claim-dma-owner', () => {
  const s = scenario('linux-claim-dma-owner');
  const claims = callSteps(s, 'iommu_group_claim_dma_owner');
  const claim = claims[1] as number; // the first one is refused (-EPERM): ixgbe is still bound

  it('steps to the claim: the group moves from its DMA default domain to the blocking domain, device by device', async () => {
    app = await openApp({ path: `?scenario=linux-claim-dma-owner&step=${claim - 1}` });
    const { page } = app;
    await at(page, claim - 1);
    await settled(page);
    expect(await groupDomain(page)).toBe('domain:default-g1');
    expect(await page.getByTestId('topo-domain-default-g1').getAttribute('data-type')).toBe('DMA');
    await app.screenshot('topology-before-claim');

    await page.keyboard.press('ArrowRight');
    await at(page, claim);
    expect(await page.getByTestId('call-title').textContent()).toContain('iommu_group_claim_dma_owner(nic0, "vfio")');
    expect(await page.getByTestId('call-returned').textContent()).toBe('= 0');
    // After the call: group->domain is the blocking domain and both STEs point at it.
    await settled(page);
    expect(await groupDomain(page)).toBe('domain:arm_smmu_blocked_domain');
    expect(await steTarget(page, 'nic0')).toBe('domain:arm_smmu_blocked_domain');
    expect(await steTarget(page, 'nic1')).toBe('domain:arm_smmu_blocked_domain');
    expect(await page.getByTestId('group-domain-1').textContent()).toContain('arm_smmu_blocked_domain');
    await app.screenshot('topology-after-claim', { fullPage: true });

    // Checkpoint 0: nothing has moved, both devices' reads reach the old domain.
    const range = page.getByTestId('checkpoint-range');
    await range.fill('0');
    await expect.poll(() => page.getByTestId('checkpoint-label').textContent()).toMatch(/^Checkpoint 0 of \d+: start: group 1 leaves default-g1 for arm_smmu_blocked_domain/);
    await settled(page);
    expect(await steTarget(page, 'nic0')).toBe('domain:default-g1');
    expect(await page.getByTestId('packet-nic0').getAttribute('data-landed')).toBe('old domain');
    expect(await page.getByTestId('packet-nic1').getAttribute('data-landed')).toBe('old domain');

    // Step through the checkpoints with Next until nic0 has moved: then it is blocked while nic1 still reaches the old domain.
    const label = () => page.getByTestId('checkpoint-label').textContent();
    for (let i = 0; i < 40 && !(await label())?.includes('nic0 is on arm_smmu_blocked_domain'); i++) {
      await page.getByRole('button', { name: 'Next checkpoint' }).click();
    }
    expect(await label()).toContain('nic0 is on arm_smmu_blocked_domain');
    await settled(page);
    expect(await steTarget(page, 'nic0')).toBe('domain:arm_smmu_blocked_domain');
    expect(await steTarget(page, 'nic1')).toBe('domain:default-g1');
    // group->domain changes only once every device has moved.
    expect(await groupDomain(page)).toBe('domain:default-g1');
    expect(await page.getByTestId('packet-nic0').getAttribute('data-landed')).toBe('blocked');
    expect(await page.getByTestId('packet-nic1').getAttribute('data-landed')).toBe('old domain');
    expect(await page.getByTestId('cp-dma-nic0').textContent()).toContain('blocked');
    await app.screenshot('topology-mid-claim', { fullPage: true });
  });
});

describe('the other Linux lessons', () => {
  it('linux-replace-domain: mid-switch DMA reaches hwpt-A, then nothing, then hwpt-B; the free of an attached domain is a finding', async () => {
    const s = scenario('linux-replace-domain');
    const replace = callSteps(s, 'iommu_group_replace_domain')[0] as number;
    app = await openApp({ path: `?scenario=linux-replace-domain&step=${replace}` });
    const { page } = app;
    await at(page, replace);
    expect(await page.getByTestId('call-title').textContent()).toContain('iommu_group_replace_domain(gpu, hwpt-B)');
    const range = page.getByTestId('checkpoint-range');
    const landings: string[] = [];
    const last = Number(await range.getAttribute('max'));
    for (let c = 0; c < last; c++) {
      await range.fill(String(c));
      await expect.poll(() => page.getByTestId('checkpoint-label').textContent()).toMatch(new RegExp(`^Checkpoint ${c} of`));
      landings.push((await page.getByTestId('packet-gpu').getAttribute('data-landed')) ?? '');
      if (landings.at(-1) === 'blocked' && !landings.slice(0, -1).includes('blocked')) {
        await settled(page);
        await app.screenshot('topology-replace-blocked', { fullPage: true });
      }
    }
    // Old, then nothing while CD 0 has V = 0, then new: never a third place.
    expect(landings.filter((x, i) => i === 0 || landings[i - 1] !== x)).toEqual(['old domain', 'blocked', 'new domain']);

    await page.getByRole('button', { name: /^Go to step \d+: iommu_domain_free\(hwpt-B\)/ }).click();
    await expect.poll(() => page.getByTestId('findings').textContent()).toContain('free-while-attached');
    await settled(page);
    await app.screenshot('topology-finding', { fullPage: true });
  });

  it('linux-nested-iommufd: the nested domain sits on its vIOMMU and the stage-2 parent; the DMA through it is translated', async () => {
    const s = scenario('linux-nested-iommufd');
    const dma = s.steps.findIndex((step) => step.kind === 'linux.dma') + 1;
    app = await openApp({ path: `?scenario=linux-nested-iommufd&step=${dma}`, colorScheme: 'dark' });
    const { page } = app;
    await at(page, dma);
    await settled(page);
    expect(await page.getByTestId('topo-domain-nested').getAttribute('data-type')).toBe('NESTED');
    expect(await page.getByTestId('topo-viommu-vsmmu').textContent()).toContain('vf0 → vSID 8');
    expect(await page.getByTestId('edge-parent-viommu:vsmmu').getAttribute('data-to')).toBe('domain:s2');
    expect(await page.getByTestId('packet-vf0').getAttribute('data-landed')).toBe('domain');
    expect(await page.getByTestId('dma-landing').textContent()).toContain('through nested');
    await page.locator('[data-testid="dma-path"][data-reveal="done"]').waitFor();
    await app.screenshot('topology-nested-dark', { fullPage: true });
  });
});

describe('on a projector', () => {
  it('1920 x 1080: the boot, then the claim mid-switch, readable without scrolling to the topology', async () => {
    app = await openApp({ path: '?scenario=linux-claim-dma-owner&step=1', viewport: { width: 1920, height: 1080 } });
    const { page } = app;
    await at(page, 1);
    await settled(page);
    expect(await page.getByTestId('call-title').textContent()).toContain('Linux booted');
    await app.screenshot('topology-boot-1920');
    const claim = callSteps(scenario('linux-claim-dma-owner'), 'iommu_group_claim_dma_owner')[1] as number;
    await page.getByRole('button', { name: new RegExp(`^Go to step ${claim}:`) }).click();
    await at(page, claim);
    await page.getByTestId('checkpoint-range').fill('12');
    await settled(page);
    // Checkpoint 12: nic1's STE synced, so both devices are now blocked (hand-worked in the scenario test).
    expect(await page.getByTestId('packet-nic1').getAttribute('data-landed')).toBe('blocked');
    // The arrow keys on the slider move the checkpoint, not the timeline.
    await page.getByTestId('checkpoint-range').press('ArrowLeft');
    await expect.poll(() => page.getByTestId('checkpoint-label').textContent()).toMatch(/^Checkpoint 11 of/);
    await at(page, claim);
    await page.getByTestId('checkpoint-range').press('ArrowRight');
    await expect.poll(() => page.getByTestId('checkpoint-label').textContent()).toMatch(/^Checkpoint 12 of/);
    await settled(page);
    const box = await page.getByTestId('topology').boundingBox();
    expect(box && box.y + box.height <= 1080).toBe(true);
    await app.screenshot('topology-claim-1920');
  });
});

describe('the layers above the core', () => {
  it('linux-sva-bind: PASID 1 of the group points at the SVA domain; linux-dma-api-fq: the stale write is drawn as outside its domain', async () => {
    const sva = scenario('linux-sva-bind');
    const bind = callSteps(sva, 'iommu_sva_bind_device')[0] as number;
    app = await openApp({ path: `?scenario=linux-sva-bind&step=${bind}` });
    let { page } = app;
    await at(page, bind);
    await settled(page);
    expect(await page.getByTestId('call-returned').textContent()).toBe('= sva:acc:mm1');
    expect(await page.getByTestId('edge-pasid-group:1-PASID1').getAttribute('data-to')).toBe('domain:sva:mm1');
    expect(await page.getByTestId('topo-group-1').textContent()).toContain('PASID 1');
    await app.screenshot('topology-sva-bind', { fullPage: true });
    await app.close();

    const fq = scenario('linux-dma-api-fq');
    const stale = fq.steps.findIndex((s, i) => s.kind === 'linux.dma' && fq.steps[i - 1]?.kind === 'linux.call' && (fq.steps[i - 1] as { call: string }).call === 'dma_unmap_single') + 1;
    app = await openApp({ path: `?scenario=linux-dma-api-fq&step=${stale}` });
    page = app.page;
    await at(page, stale);
    await settled(page);
    expect(await page.getByTestId('packet-nvme').getAttribute('data-landed')).toBe('stale');
    expect(await page.getByTestId('dma-landing').textContent()).toContain('flush queue');
    await app.screenshot('topology-fq-stale', { fullPage: true });
  });
});
