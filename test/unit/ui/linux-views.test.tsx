// @vitest-environment jsdom
/**
 * The topology and the kernel-call views with real engine data: the boxes
 * and edges of the view the worker sends, a call with its arguments and
 * return, the checkpoint scrubber moving the topology and the packets, the
 * STE/CD write a checkpoint sits in opening at that store, findings first;
 * and the whole app on the in-process host, stepped to the claim.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/app/App.tsx';
import { resetAppStore, stepShown, useAppStore } from '../../../src/store/appStore.ts';
import { LinuxStage } from '../../../src/ui/linux/LinuxStage.tsx';
import { TopologyView } from '../../../src/ui/topology/TopologyView.tsx';
import { InProcessHost } from '../../../src/worker/in-process-host.ts';
import { callStep, calledAt, linuxAt, scenarioOf, viewOf } from './linuxRun.ts';

const CLAIM = 'linux-claim-dma-owner';
const claimStep = callStep(CLAIM, 'iommu_group_claim_dma_owner', 1);

beforeEach(() => resetAppStore());
afterEach(cleanup);

/** The store as the page has it after stepping to `step` of a built-in. */
function showStep(id: string, step: number) {
  const shown = linuxAt(id, step);
  act(() => {
    useAppStore.setState({ scenarioId: id, status: 'ready', outline: { title: id, stepCount: scenarioOf(id).steps.length, steps: scenarioOf(id).steps.map((s) => ({ label: s.kind, kind: s.kind })) } });
    stepShown({ step: shown.step, log: shown.log, ...(shown.linux ? { linux: shown.linux } : {}) });
  });
  return shown;
}

const to = (id: string) => screen.getByTestId(id).getAttribute('data-to');

describe('TopologyView', () => {
  it('draws every group, device and domain of the engine\'s view, each device pointing at its domain', () => {
    const view = viewOf(linuxAt(CLAIM, claimStep));
    render(<TopologyView view={view} replayKey={1} />);
    for (const g of view.groups) expect(screen.getByTestId(`topo-group-${g.id}`).textContent).toContain(`iommu_group ${g.id}`);
    for (const d of view.devices) {
      expect(screen.getByTestId(`topo-device-${d.name}`).textContent).toContain(`StreamID 0x${d.streamIds[0]?.toString(16)}`);
      expect(to(`edge-ste-device:${d.name}`)).toBe(`domain:${d.domain}`);
    }
    expect(screen.getByTestId('topo-group-1').textContent).toContain('owner: vfio · owner_cnt 1');
    expect(screen.getByTestId('topo-domain-arm_smmu_blocked_domain').textContent).toContain('IOMMU_DOMAIN_BLOCKED');
    const asid = view.domains.find((d) => d.name === 'default-g1')?.asid;
    expect(screen.getByTestId('topo-domain-default-g1').textContent).toContain(`ASID ${asid}`);
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain('iommu_group 1 (nic0, nic1) on arm_smmu_blocked_domain');
  });
});

describe('LinuxStage for a kernel call', () => {
  it('shows the call, its arguments and return, the group after it, and its hardware writes in order', () => {
    const shown = showStep(CLAIM, claimStep);
    const e = calledAt(shown);
    render(<LinuxStage />);
    expect(screen.getByTestId('call-title').textContent).toContain('iommu_group_claim_dma_owner(nic0, "vfio")');
    expect(screen.getByTestId('call-returned').textContent).toBe('= 0');
    expect(screen.getByTestId('group-domain-1').textContent).toContain('arm_smmu_blocked_domain');
    const items = within(screen.getByTestId('hw-list')).getAllByRole('listitem');
    expect(items).toHaveLength(e.hw.length);
    expect(items[0]?.textContent).toContain('STE 0x100 (nic0)');
    // After the call (the scrubber's last position) the topology is the view's: both STEs on the blocking domain.
    expect(screen.getByTestId('checkpoint-label').textContent).toMatch(/^After the call/);
    expect(to('edge-ste-device:nic0')).toBe('domain:arm_smmu_blocked_domain');
    expect(screen.queryByTestId('packet-nic0')).toBeNull();
  });

  it('scrubs the switch: at each checkpoint the devices point where the engine says, and each in-flight DMA is a packet where it landed', () => {
    const shown = showStep(CLAIM, claimStep);
    const e = calledAt(shown);
    render(<LinuxStage />);
    const range = screen.getByTestId('checkpoint-range');
    for (const c of e.checkpoints) {
      fireEvent.change(range, { target: { value: String(c.index) } });
      expect(screen.getByTestId('checkpoint-label').textContent).toBe(`Checkpoint ${c.index} of ${e.checkpoints.length - 1}: ${c.label}`);
      for (const d of c.devices) expect(to(`edge-ste-device:${d.device}`), `${c.label} ${d.device}`).toBe(`domain:${d.domain}`);
      expect(to(`edge-group-domain-group:${c.group}`)).toBe(`domain:${c.old}`);
      for (const r of e.inflight.filter((x) => x.checkpoint === c.index)) {
        expect(screen.getByTestId(`packet-${r.device}`).getAttribute('data-landed')).toBe(r.landed);
        expect(within(screen.getByTestId(`cp-dma-${r.device}`)).getByText(r.landed)).toBeTruthy();
      }
    }
    fireEvent.click(screen.getByRole('button', { name: 'Next checkpoint' }));
    expect(screen.getByTestId('checkpoint-label').textContent).toMatch(/^After the call/);
    expect(screen.getByRole('button', { name: 'Next checkpoint' })).toHaveProperty('disabled', true);
  });

  it('opens the STE write a checkpoint sits in at that store, and its own Next moves the scrubber', () => {
    const shown = showStep(CLAIM, claimStep);
    const e = calledAt(shown);
    render(<LinuxStage />);
    const first = e.checkpoints.findIndex((c) => c.label === 'nic0: STE 0x100 qword 0 stored');
    fireEvent.change(screen.getByTestId('checkpoint-range'), { target: { value: String(first) } });
    const item = screen.getByTestId('hw-0');
    expect(item.className).toContain('is-linked');
    expect(within(item).getByTestId('update-position').textContent).toMatch(/^Store: step 1 of \d/);
    fireEvent.click(within(item).getByRole('button', { name: 'Next store or sync' }));
    expect(useAppStore.getState().checkpoint).toBe(first + 1);
    expect(screen.getByTestId('checkpoint-label').textContent).toContain('nic0: STE 0x100 synced');
    expect(within(screen.getByTestId('hw-0')).getByTestId('update-position').textContent).toMatch(/^Sync: step 2 of/);
  });

  it('expands any other write on demand: the commands the SMMU consumed', () => {
    showStep(CLAIM, claimStep);
    render(<LinuxStage />);
    const item = screen.getByTestId('hw-1');
    const head = within(item).getByRole('button');
    expect(head.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(head);
    expect(head.getAttribute('aria-expanded')).toBe('true');
    expect(item.textContent).toContain('CMD_PREFETCH_CONFIG');
  });

  it('shows a refused call in the error colour, with nothing written', () => {
    showStep(CLAIM, callStep(CLAIM, 'iommu_group_claim_dma_owner', 0));
    render(<LinuxStage />);
    expect(screen.getByTestId('call-returned').textContent).toBe('= -EPERM');
    expect(screen.getByTestId('call-returned').className).toContain('is-err');
    expect(screen.getByTestId('hw-none')).toBeTruthy();
    expect(screen.queryByTestId('checkpoint-range')).toBeNull();
  });

  it('puts what the engine caught first', () => {
    const id = 'linux-replace-domain';
    showStep(id, scenarioOf(id).steps.length);
    render(<LinuxStage />);
    const findings = screen.getByTestId('findings');
    expect(findings.getAttribute('role')).toBe('status');
    expect(findings.textContent).toContain('free-while-attached');
    expect(findings.textContent).toContain('hwpt-B');
    expect(screen.getByTestId('linux-stage').firstElementChild).toBe(findings);
  });

  it('a device\'s DMA: where it landed, as a packet on the topology', () => {
    const id = 'linux-nested-iommufd';
    const step = scenarioOf(id).steps.findIndex((s) => s.kind === 'linux.dma') + 1;
    showStep(id, step);
    render(<LinuxStage />);
    expect(screen.getByTestId('dma-landing').textContent).toContain('through nested');
    expect(screen.getByTestId('packet-vf0').getAttribute('data-landed')).toBe('domain');
  });
});

describe('the app on the in-process host', () => {
  it('opens the claim lesson at the claim: the topology, the call, and the scrubber that moves the packets', async () => {
    window.history.replaceState(null, '', `/?scenario=${CLAIM}&step=${claimStep}`);
    render(<App createHost={() => new InProcessHost()} />);
    await waitFor(() => expect(screen.getByTestId('call-title').textContent).toContain('iommu_group_claim_dma_owner'));
    expect(to('edge-group-domain-group:1')).toBe('domain:arm_smmu_blocked_domain');
    fireEvent.change(screen.getByTestId('checkpoint-range'), { target: { value: '0' } });
    expect(screen.getByTestId('packet-nic0').getAttribute('data-landed')).toBe('old domain');
    // Stepping away and back starts the scrubber after the call again.
    fireEvent.keyDown(window, { key: 'ArrowLeft' });
    await waitFor(() => expect(useAppStore.getState().cursor).toBe(claimStep - 1));
    expect(useAppStore.getState().checkpoint).toBeUndefined();
    expect(to('edge-group-domain-group:1')).toBe('domain:default-g1');
  });
});
