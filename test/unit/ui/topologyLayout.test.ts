/**
 * The topology's geometry, from real engine views: every device inside its
 * group, nothing overlapping, each edge from what points to what it points
 * at (the view's, or a checkpoint's), packets where the SMMU sent them; and
 * the pure helpers around it (checkpoint ↔ hardware write, the step's focus).
 */
import { describe, expect, it } from 'vitest';
import { checkpointPlaces } from '../../../src/ui/linux/checkpointMap.ts';
import { stepFocus } from '../../../src/ui/topology/focus.ts';
import { packetLayout } from '../../../src/ui/topology/packets.ts';
import { stack, topologyLayout, type Rect } from '../../../src/ui/topology/topologyLayout.ts';
import { callStep, calledAt, linuxAt, scenarioOf, viewOf } from './linuxRun.ts';

const inside = (a: Rect, b: Rect) => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const pairs = <T>(xs: readonly T[]) => xs.flatMap((a, i) => xs.slice(i + 1).map((b) => [a, b] as const));

const CLAIM = 'linux-claim-dma-owner';

describe('topologyLayout', () => {
  const before = linuxAt(CLAIM, callStep(CLAIM, 'iommu_group_claim_dma_owner', 1) - 1);
  const after = linuxAt(CLAIM, callStep(CLAIM, 'iommu_group_claim_dma_owner', 1));

  it('puts each device inside its group\'s box, and no two groups, devices or domains overlap', () => {
    const view = viewOf(before);
    const l = topologyLayout(view);
    for (const d of l.devices) {
      const g = l.groups.find((x) => x.group?.devices.includes(d.device.name));
      expect(g && inside(d, g), d.id).toBe(true);
    }
    for (const [a, b] of [...pairs(l.groups), ...pairs(l.devices), ...pairs(l.domains), ...pairs([...l.tables, ...l.viommus])]) expect(overlap(a, b), `${a.x},${a.y} ${b.x},${b.y}`).toBe(false);
    expect(l.devices.map((d) => d.device.name)).toEqual(view.groups.flatMap((g) => g.devices));
    for (const n of [...l.groups, ...l.domains, ...l.tables]) expect(n.x + n.w <= l.width && n.y + n.h <= l.height).toBe(true);
  });

  it('draws a static domain only while something refers to it: the blocking domain appears with the claim', () => {
    const names = (shown: typeof before) => topologyLayout(viewOf(shown)).domains.map((d) => d.name);
    expect(names(before)).not.toContain('arm_smmu_blocked_domain');
    expect(names(after)).toContain('arm_smmu_blocked_domain');
    expect(names(before)).not.toContain('arm_smmu_identity_domain');
  });

  it('points each device\'s STE edge at the domain the driver installed, and each group at group->domain and default_domain', () => {
    for (const shown of [before, after]) {
      const view = viewOf(shown);
      const l = topologyLayout(view);
      for (const d of view.devices) {
        const e = l.edges.find((x) => x.kind === 'ste' && x.from === `device:${d.name}`);
        expect(e?.to, d.name).toBe(d.domain === null ? undefined : `domain:${d.domain}`);
      }
      for (const g of view.groups) {
        expect(l.edges.find((x) => x.kind === 'group-domain' && x.from === `group:${g.id}`)?.to).toBe(`domain:${g.domain}`);
        const def = l.edges.find((x) => x.kind === 'default-domain' && x.from === `group:${g.id}`);
        expect(def?.to).toBe(g.defaultDomain === g.domain ? undefined : `domain:${g.defaultDomain}`);
      }
    }
  });

  it('sets each domain level with what points at it', () => {
    const l = topologyLayout(viewOf(before));
    const g1 = l.groups.find((g) => g.id === 'group:1');
    const d = l.domains.find((x) => x.name === 'default-g1');
    expect(g1 && d && d.y + d.h / 2 > g1.y && d.y + d.h / 2 < g1.y + g1.h).toBe(true);
    // Its page table sits beside it, level with it.
    const t = l.tables.find((x) => x.domain === 'default-g1');
    expect(t && d && t.x > d.x + d.w && Math.abs(t.y + t.h / 2 - (d.y + d.h / 2)) < 1).toBe(true);
  });

  it('follows a checkpoint: the devices point where the checkpoint says, a moving device gets a dashed edge to where it goes', () => {
    const e = calledAt(after);
    const c = e.checkpoints.find((x) => x.devices.some((d) => d.moving));
    if (!c) throw new Error('no checkpoint with a moving device');
    const l = topologyLayout(viewOf(after), new Map(c.devices.map((d) => [d.device, d])), new Map([[c.group, c.old]]));
    // group->domain is still the old domain mid-switch; the view (after the call) says the new one.
    expect(viewOf(after).groups.find((g) => g.id === c.group)?.domain).toBe(c.new);
    expect(l.edges.find((x) => x.kind === 'group-domain' && x.from === `group:${c.group}`)?.to).toBe(`domain:${c.old}`);
    for (const d of c.devices) {
      expect(l.edges.find((x) => x.kind === 'ste' && x.from === `device:${d.device}`)?.to).toBe(`domain:${d.domain}`);
      const moving = l.edges.find((x) => x.kind === 'ste-moving' && x.from === `device:${d.device}`);
      expect(moving?.to).toBe(d.moving && d.moving.to !== d.domain ? `domain:${d.moving.to}` : undefined);
    }
  });

  it('draws a domain a checkpoint names but the view no longer has as a ghost', () => {
    const view = viewOf(before);
    const l = topologyLayout(view, new Map([['nic0', { domain: 'gone-dom' }]]));
    expect(l.domains.find((d) => d.name === 'gone-dom')).toMatchObject({ domain: null });
  });

  it('nests: the vIOMMU beside the nested domain, the stage-2 parent right below it, an edge from the vIOMMU to the parent', () => {
    const id = 'linux-nested-iommufd';
    const l = topologyLayout(viewOf(linuxAt(id, callStep(id, 'iommu_attach_group'))));
    const nested = l.domains.find((d) => d.name === 'nested');
    const s2 = l.domains.find((d) => d.name === 's2');
    const v = l.viommus.find((x) => x.name === 'vsmmu');
    expect(nested && s2 && v).toBeTruthy();
    const below = l.domains.filter((d) => nested && s2 && d.y > nested.y && d.y < s2.y);
    expect(below).toEqual([]);
    expect(v && nested && v.x > nested.x + nested.w).toBe(true);
    expect(l.edges.find((e) => e.kind === 'parent')).toMatchObject({ from: 'viommu:vsmmu', to: 'domain:s2' });
    expect(l.edges.find((e) => e.kind === 'viommu')).toMatchObject({ from: 'domain:nested', to: 'viommu:vsmmu' });
  });
});

describe('packetLayout', () => {
  const after = linuxAt(CLAIM, callStep(CLAIM, 'iommu_group_claim_dma_owner', 1));
  const l = topologyLayout(viewOf(after));

  it('lands old/new packets at the domain they reached, stops blocked ones on the SMMU, keeps two apart', () => {
    const shapes = packetLayout(l, [
      { key: 'a', device: 'nic0', landed: 'old domain', domain: 'default-g1', label: '' },
      { key: 'b', device: 'nic1', landed: 'old domain', domain: 'default-g1', label: '' },
      { key: 'c', device: 'nic0', landed: 'blocked', domain: null, label: '' },
    ]);
    const dom = l.domains.find((d) => d.name === 'default-g1');
    const [a, b, c] = shapes;
    expect(a && dom && a.to.x < dom.x && a.to.x > dom.x - 30 && a.to.y > dom.y && a.to.y < dom.y + dom.h).toBe(true);
    expect(a && b && (a.to.x !== b.to.x || a.to.y !== b.to.y)).toBe(true);
    expect(c && c.to.x > l.smmu.x && c.to.x < l.smmu.x + l.smmu.w).toBe(true);
    expect(shapes.map((s) => s.tone)).toEqual(['old', 'old', 'blocked']);
    // Each starts at its device.
    const nic0 = l.devices.find((d) => d.device.name === 'nic0');
    expect(a && nic0 && a.from.y === nic0.y + nic0.h / 2).toBe(true);
  });

  it('reads any other landing word as outside (memory no domain allows)', () => {
    expect(packetLayout(l, [{ key: 'x', device: 'nic0', landed: 'stale', domain: 'default-g1', label: '' }])[0]?.tone).toBe('outside');
  });
});

describe('stack', () => {
  it('keeps wanted positions when they fit and pushes later boxes down when they do not', () => {
    const ys = stack([{ key: 'b', y: 50, h: 40 }, { key: 'a', y: 10, h: 40 }, { key: 'c', y: 200, h: 10 }], 0, 10);
    expect([...ys.entries()]).toEqual([['a', 10], ['b', 60], ['c', 200]]);
  });
});

describe('checkpointPlaces', () => {
  it('ties each store/sync checkpoint of the claim to the STE/CD write and step it follows', () => {
    const e = calledAt(linuxAt(CLAIM, callStep(CLAIM, 'iommu_group_claim_dma_owner', 1)));
    const places = checkpointPlaces(e.checkpoints, e.hw);
    e.checkpoints.forEach((c, i) => {
      const p = places[i];
      const m = /^(\w+): (STE|CD) .*(stored|synced)/.exec(c.label);
      if (!m) return expect(p).toBeUndefined();
      const h = e.hw[p?.hw ?? -1];
      expect(h && (h.kind === 'ste' || h.kind === 'cd') && h.device).toBe(m[1]);
      expect(h?.kind).toBe(m[2] === 'STE' ? 'ste' : 'cd');
      const step = h && (h.kind === 'ste' || h.kind === 'cd') ? h.update.executed[(p?.step ?? 0) - 1] : undefined;
      expect(step?.kind).toBe(m[3] === 'stored' ? 'write' : 'sync');
    });
    // Every store and sync of the call has its checkpoint.
    const total = e.hw.reduce((n, h) => n + (h.kind === 'ste' || h.kind === 'cd' ? h.update.executed.length : 0), 0);
    expect(places.filter(Boolean)).toHaveLength(total);
  });
});

describe('stepFocus', () => {
  it('names what a call touched: the group it named, the devices whose STE/CD it rewrote, both domains of the switch', () => {
    const shown = linuxAt(CLAIM, callStep(CLAIM, 'iommu_group_claim_dma_owner', 1));
    const ids = stepFocus(shown.log[shown.step - 1] ?? [], shown.linux);
    expect([...ids].sort()).toEqual(['device:nic0', 'device:nic1', 'domain:arm_smmu_blocked_domain', 'domain:default-g1', 'group:1']);
  });

  it('names a DMA\'s device and the domain it went through', () => {
    const dmaStep = scenarioOf(CLAIM).steps.findIndex((s) => s.kind === 'linux.dma') + 1;
    const shown = linuxAt(CLAIM, dmaStep);
    expect([...stepFocus(shown.log[shown.step - 1] ?? [], shown.linux)].sort()).toEqual(['device:nic0', 'domain:default-g1']);
  });
});

describe('PASIDs', () => {
  it('draws each PASID of a group to the domain it is attached to, and the SVA domain\'s table as the CPU\'s', () => {
    const id = 'linux-sva-bind';
    const shown = linuxAt(id, callStep(id, 'iommu_sva_bind_device'));
    const view = viewOf(shown);
    expect(view.pasidAttachments).toEqual([{ group: 1, pasid: 1, domain: 'sva:mm1', handle: 'sva:acc:mm1' }]);
    const l = topologyLayout(view);
    expect(l.edges.filter((e) => e.kind === 'pasid').map((e) => [e.from, e.to, e.label])).toEqual([['group:1', 'domain:sva:mm1', 'PASID 1']]);
    expect(l.tables.find((t) => t.domain === 'sva:mm1')?.cpu).toBe(true);
    expect(l.tables.find((t) => t.domain === 'default-g1')?.cpu).toBe(false);
  });
});
