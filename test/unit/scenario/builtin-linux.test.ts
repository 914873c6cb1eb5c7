/**
 * The Linux lessons, run on the real engine, against results worked out by
 * hand from the kernel's rules and the scenario files themselves: what each
 * call returns, the group it leaves, the hardware writes a switch takes, and
 * where each in-flight DMA lands at each checkpoint.
 */
import { describe, expect, it } from 'vitest';
import { Engine, type EngineEvent, type InflightResult, parseU64 as parseU64Text } from '../../../src/engine/index.ts';
import { builtinScenario, engineOptionsOf, type Scenario, type StepResult, stepResult, stepToCommand } from '../../../src/scenario/index.ts';

interface Run {
  readonly lines: StepResult[];
  readonly events: EngineEvent[][];
}

function run(id: string): Run & { s: Scenario } {
  const s = builtinScenario(id);
  if (!s) throw new Error(`no built-in ${id}`);
  const engine = new Engine(engineOptionsOf(s));
  const events = s.steps.map((step) => engine.apply(stepToCommand(step)));
  return { s, events, lines: s.steps.map((step, i) => stepResult(i, step, events[i] ?? [])) };
}

type Line = Record<string, unknown>;
const line = (r: Run, i: number) => r.lines[i] as unknown as Line;
const called = (r: Run, i: number) => {
  const e = r.events[i]?.find((x) => x.kind === 'linux.called');
  if (e?.kind !== 'linux.called') throw new Error(`step ${i} made no call`);
  return e;
};
/** The scenario's own numbers: a call's argument, parsed. */
const arg = (s: Scenario, i: number, name: string): bigint => {
  const step = s.steps[i];
  if (step?.kind !== 'linux.call') throw new Error(`step ${i} is not a call`);
  return parseU64Text(step.args[name] as string);
};
/** bus << 8 | device << 3 | function: the requester ID, which is the StreamID on the wire. */
const rid = (bdf: string) => {
  const [bus, dev, fn] = bdf.split(/[:.]/).map((x) => parseInt(x, 16)) as [number, number, number];
  return (bus << 8) | (dev << 3) | fn;
};
const runsOf = (xs: readonly string[]) => xs.filter((x, i) => i === 0 || xs[i - 1] !== x);
const landings = (results: readonly InflightResult[], device: string) => results.filter((x) => x.device === device).map((x) => x.landed);

describe('linux-claim-dma-owner', () => {
  const r = run('linux-claim-dma-owner');
  const { s } = r;
  const bufferPa = arg(s, 1, 'paddr') + (0x1008n - arg(s, 1, 'iova'));

  it('runs every step, none refused, nothing caught', () => {
    expect(r.lines.filter((l) => 'error' in l)).toEqual([]);
    expect(r.lines.filter((l) => 'findings' in l)).toEqual([]);
  });

  it('boot: StreamID = requester ID; the two functions without ACS share group 1, on a DMA default domain, ixgbe counted', () => {
    const boot = s.steps[0];
    if (boot?.kind !== 'linux.boot') throw new Error('no boot');
    const l = line(r, 0) as { devices: { device: string; streamIds: number[]; group: number; why: string }[]; groups: Line[] };
    expect(l.devices.map((d) => [d.device, d.streamIds])).toEqual(boot.devices.map((d) => [d.name, [rid(d.bdf)]]));
    expect(l.devices.find((d) => d.device === 'nic1')?.why).toMatch(/lacks ACS/);
    expect(l.groups[1]).toEqual({ id: 1, devices: ['nic0', 'nic1'], domain: 'default-g1', type: 'DMA', default_domain: 'default-g1', owner: null, owner_cnt: 1 });
  });

  it('the map walks down from the existing root: three new tables, four descriptors; the DMA reaches the buffer', () => {
    expect(line(r, 1)).toMatchObject({ returned: '0', hw: { allocs: 3, memory: 4, ste: 0, cd: 0 } });
    expect(line(r, 2)).toMatchObject({ landed: 'domain', domain: 'default-g1', result: 'translated', output: `0x${bufferPa.toString(16)}` });
  });

  it('a claim while ixgbe is bound is -EPERM (owner_cnt 1) and writes nothing', () => {
    expect(line(r, 3)).toMatchObject({ returned: '-EPERM', groups: [{ id: 1, domain: 'default-g1', owner: null, owner_cnt: 1 }] });
    expect(called(r, 3).hw).toEqual([]);
    expect(line(r, 4)).toMatchObject({ returned: '0', groups: [{ owner_cnt: 0 }] });
  });

  it('the claim: both devices to the blocking domain, each an abort STE then CD 0 cleared, 21 checkpoints', () => {
    expect(line(r, 5)).toMatchObject({
      returned: '0',
      groups: [{ id: 1, domain: 'arm_smmu_blocked_domain', type: 'BLOCKED', default_domain: 'default-g1', blocking_domain: 'arm_smmu_blocked_domain', owner: 'vfio', owner_cnt: 1 }],
      // Per device: the abort STE takes 2 stores + 2 syncs, clearing CD 0 (V first, then TTB0 and MAIR) 3 stores + 2 syncs.
      // Each sync is CMD_CFGI_* + CMD_SYNC; each STE install ends with a CMD_PREFETCH_CONFIG.
      hw: { ste: 2, cd: 2, stores: 10, syncs: 8, commands: 8 * 2 + 2 },
      // The start, one after each of the 9 stores and syncs per device, and "device is on ..." for each.
      checkpoints: 1 + 2 * (9 + 1),
    });
  });

  it('mid-claim: each device reaches the old domain until the sync after its STE store, then is blocked, never anything else', () => {
    const e = called(r, 5);
    for (const [device, sid] of [['nic0', 0x100], ['nic1', 0x101]] as const) {
      expect(runsOf(landings(e.inflight, device)), device).toEqual(['old domain', 'blocked']);
      const firstBlocked = e.inflight.find((x) => x.device === device && x.landed === 'blocked')?.checkpoint ?? -1;
      // A store alone changes nothing the SMMU uses: it keeps the STE it cached until CMD_CFGI_STE + CMD_SYNC.
      expect(e.checkpoints[firstBlocked]?.label).toBe(`${device}: STE 0x${sid.toString(16)} synced (CMD_CFGI_STE, CMD_SYNC)`);
      expect(e.checkpoints[firstBlocked - 1]?.label).toBe(`${device}: STE 0x${sid.toString(16)} qword 0 stored`);
    }
    for (const x of e.inflight.filter((y) => y.landed === 'old domain')) expect(x.outcome.output).toBe(bufferPa);
    // While nic0 is blocked, nic1 (moved second) still reaches the old domain.
    const between = e.checkpoints.find((c) => c.label === 'nic0 is on arm_smmu_blocked_domain')?.index;
    expect(e.inflight.filter((x) => x.checkpoint === between).map((x) => [x.device, x.landed])).toEqual([['nic0', 'blocked'], ['nic1', 'old domain']]);
  });

  it('a kernel driver cannot bind into the owned group (-EBUSY); VFIO attaches its own domain, maps, and the device reaches user memory', () => {
    expect(line(r, 6)).toMatchObject({ returned: '-EBUSY', groups: [{ owner: 'vfio', owner_cnt: 1 }] });
    expect(line(r, 7)).toMatchObject({ returned: '0', hw: { allocs: 1 } });
    expect(line(r, 8)).toMatchObject({ returned: '0', groups: [{ domain: 'vfio-dom', type: 'UNMANAGED', owner: 'vfio' }], checkpoints: 21 });
    const userPa = arg(s, 9, 'paddr') + (0x1010n - arg(s, 9, 'iova'));
    expect(line(r, 10)).toMatchObject({ device: 'nic1', landed: 'domain', domain: 'vfio-dom', output: `0x${userPa.toString(16)}` });
  });

  it('detach while owned goes back to the blocking domain; release to the default domain, the old mapping intact', () => {
    expect(line(r, 11)).toMatchObject({ returned: '0', groups: [{ domain: 'arm_smmu_blocked_domain', owner: 'vfio' }] });
    expect(line(r, 12)).toMatchObject({ returned: '0', groups: [{ domain: 'default-g1', type: 'DMA', owner: null, owner_cnt: 0 }] });
    const e = called(r, 12);
    expect(runsOf(landings(e.inflight, 'nic0'))).toEqual(['blocked', 'new domain']);
    // The new STE (CD-table, stage 1) is used from the sync after its last store: the second sync of STE 0x100.
    const syncs = e.checkpoints.filter((c) => c.label.startsWith('nic0: STE 0x100 synced')).map((c) => c.index);
    expect(e.inflight.find((x) => x.landed === 'new domain')?.checkpoint).toBe(syncs.at(-1));
    expect(line(r, 13)).toMatchObject({ landed: 'domain', domain: 'default-g1', output: `0x${bufferPa.toString(16)}`, tlb: 'hit' });
    expect(line(r, 14)).toMatchObject({ returned: '0', groups: [{ owner: null, owner_cnt: 1 }] });
  });
});

describe('linux-replace-domain', () => {
  const r = run('linux-replace-domain');
  const { s } = r;
  const replace = s.steps.findIndex((x) => x.kind === 'linux.call' && x.call === 'iommu_group_replace_domain');
  const paOf = (mapStep: number, iova: bigint) => arg(s, mapStep, 'paddr') + (iova - arg(s, mapStep, 'iova'));
  const iova = 0x10_0040n;

  it('replace: only CD 0 changes, ASID and TTB0 together, so V is cleared first; the STE stays as it was', () => {
    expect(line(r, replace)).toMatchObject({ returned: '0', groups: [{ domain: 'hwpt-B', type: 'UNMANAGED', owner: 'iommufd' }], hw: { ste: 1, cd: 1, stores: 3, syncs: 3 } });
    const e = called(r, replace);
    const ste = e.hw.find((h) => h.kind === 'ste');
    const cd = e.hw.find((h) => h.kind === 'cd');
    expect(ste?.kind === 'ste' && ste.update.plan.writes).toBe(0);
    expect(cd?.kind === 'cd' && cd.update.plan.hitless).toBe(false);
    // The start, 3 stores + 3 syncs, "gpu is on hwpt-B".
    expect(e.checkpoints).toHaveLength(1 + 6 + 1);
  });

  it('in-flight DMA lands on hwpt-A, then nowhere (C_BAD_CD), then hwpt-B: never a third place', () => {
    const e = called(r, replace);
    expect(runsOf(landings(e.inflight, 'gpu'))).toEqual(['old domain', 'blocked', 'new domain']);
    expect(e.inflight).toHaveLength(e.checkpoints.length);
    for (const x of e.inflight) {
      if (x.landed === 'old domain') expect(x.outcome.output).toBe(paOf(4, iova));
      if (x.landed === 'new domain') expect(x.outcome.output).toBe(paOf(5, iova));
      if (x.landed === 'blocked') expect(x.outcome.event?.name).toBe('C_BAD_CD');
    }
    expect(r.events[replace]?.some((x) => x.kind === 'linux.finding')).toBe(false);
    expect(line(r, replace + 1)).toMatchObject({ landed: 'domain', domain: 'hwpt-B', output: `0x${paOf(5, iova).toString(16)}` });
  });

  it('freeing the unused domain invalidates its ASID and gives back its four tables; freeing the attached one is a finding', () => {
    expect(line(r, replace + 2)).toMatchObject({ returned: '0', hw: { commands: 2, frees: 4 } });
    const ops = called(r, replace + 2).hw.flatMap((h) => (h.kind === 'commands' ? h.consumed.map((c) => c.command?.op) : []));
    expect(ops).toEqual(['CMD_TLBI_NH_ASID', 'CMD_SYNC']);
    expect(line(r, replace + 3)).toMatchObject({ findings: [{ rule: 'free-while-attached' }] });
  });
});

describe('linux-nested-iommufd', () => {
  const r = run('linux-nested-iommufd');
  const { s } = r;
  const attach = s.steps.findIndex((x) => x.kind === 'linux.call' && x.call === 'iommu_attach_group');
  const nested = (i: number) => s.steps[i]?.kind === 'linux.call' && s.steps[i]?.call === 'iommufd_viommu_alloc_hwpt_nested';

  it('a vSTE with a host-only field (MEV) is -EIO; the good one makes a NESTED domain', () => {
    const [bad, good] = s.steps.flatMap((_, i) => (nested(i) ? [i] : []));
    expect(line(r, bad as number)).toMatchObject({ returned: '-EIO' });
    expect(line(r, good as number)).toMatchObject({ returned: '0' });
  });

  it('attach writes a nested STE: Config 0b111, the guest\'s S1ContextPtr (an IPA), the parent\'s VMID', () => {
    expect(line(r, attach)).toMatchObject({ returned: '0', groups: [{ domain: 'nested', type: 'NESTED' }] });
    const ste = called(r, attach).hw.find((h) => h.kind === 'ste');
    if (ste?.kind !== 'ste') throw new Error('no STE write');
    const q0 = ste.update.after[0] as bigint;
    expect(Number((q0 >> 1n) & 7n)).toBe(0b111);
    const vste = s.steps[attach - 1];
    const ctx = vste?.kind === 'linux.call' ? parseU64Text((vste.args.vste as Record<string, string>).S1ContextPtr as string) : -1n;
    expect(q0 & 0x000f_ffff_ffff_ffc0n).toBe(ctx);
  });

  it('the DMA: IOVA 0x1008 -> IPA (guest RAM) -> PA through stage 2, 19 reads; an unmapped IOVA is a stage-1 fault', () => {
    const dmas = s.steps.flatMap((x, i) => (x.kind === 'linux.dma' ? [i] : []));
    // The guest maps IOVA 0x1000 to IPA 0x1000_0000; stage 2 maps that IPA to guest RAM's PA.
    const ipa = 0x1000_0000n + 8n;
    const pa = arg(s, 3, 'paddr') + (ipa - arg(s, 3, 'iova'));
    // Four stage-1 levels, each table address an IPA walked by stage 2 first (3 reads: levels 0, 1 and a level-2 block), then the output IPA.
    expect(line(r, dmas[0] as number)).toMatchObject({ landed: 'domain', domain: 'nested', config: 'nested', output: `0x${pa.toString(16)}`, walkReads: 4 * (3 + 1) + 3 });
    expect(line(r, dmas[1] as number)).toMatchObject({ landed: 'blocked', result: 'terminated', event: { name: 'F_TRANSLATION', S2: 0 }, walkReads: 4 * (3 + 1) });
  });
});
