/**
 * The Linux step kinds as a file is read: linux.boot, linux.call (one schema
 * per call of the table, arguments by role) and linux.dma, every problem
 * named by its path, and the conversion to engine commands. The call table
 * is checked against the engine's own validator, so the two cannot drift.
 */
import { describe, expect, it } from 'vitest';
import { FEATURE_PRESETS, LINUX_CALLS } from '../../../src/engine/index.ts';
import { validateCall } from '../../../src/engine/os/core/validate.ts';
import { LINUX_CALL_TABLE, type ArgRole, parseScenario, scenarioToCommands, type ScenarioIssue } from '../../../src/scenario/index.ts';
import { callArgs } from '../../../src/scenario/commands-linux.ts';

const doc = (...steps: unknown[]) => ({ format: 'iommu-visualizer-scenario', version: 1, title: 'Linux', steps });

const BOOT = {
  kind: 'linux.boot',
  devices: [
    { name: 'rp0', bdf: '00:01.0', type: 'root-port', acs: true },
    { name: 'nic0', bdf: '01:00.0', parent: 'rp0', driver: 'ixgbe' },
    { name: 'nic1', bdf: '01:00.1', parent: 'rp0' },
  ],
};
const call = (name: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ kind: 'linux.call', call: name, args, ...extra });
const ALLOC = call('iommu_paging_domain_alloc', { dev: 'nic0', name: 'U' });

function issues(...steps: unknown[]): ScenarioIssue[] {
  const r = parseScenario(doc(...steps));
  return r.ok ? [] : r.errors;
}
const issueAt = (path: string, ...steps: unknown[]) => issues(...steps).find((i) => i.path === path)?.message;

function commands(...steps: unknown[]) {
  const r = parseScenario(doc(...steps));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return scenarioToCommands(r.scenario);
}

/** A value of each role that the engine's validator accepts, for building sample calls. */
const SAMPLE: Readonly<Record<ArgRole, unknown>> = {
  device: 'nic0', group: 'nic0', domain: 'U', 'domain|null': 'U', 'new-domain': 'V', 'new-viommu': 'v', viommu: 'v', text: 'vfio',
  u64: '0x1000', int: 8, prot: 'rw', flags: ['IOMMU_HWPT_ALLOC_NEST_PARENT'], 'ste-fields': { V: 1, Config: 5 },
  mm: 'mm0', 'new-mm': 'mm1', bool: true, sg: [{ paddr: '0x8_0000_0000', length: '0x1000' }],
};

describe('the call table agrees with the engine (src/engine/os/core/validate.ts)', () => {
  it('lists every call the engine knows by the same names', () => {
    // A call the engine gains before the table still parses (generic schema); this keeps the table complete for labels and checks.
    expect(Object.keys(LINUX_CALL_TABLE).filter((c) => !LINUX_CALLS.includes(c as never))).toEqual([]);
  });

  for (const [name, spec] of Object.entries(LINUX_CALL_TABLE)) {
    it(`${name}: arguments built from the table's roles pass the engine's check, and what the engine requires the table does too`, () => {
      const args = Object.fromEntries(Object.entries(spec.args).map(([a, s]) => [a, SAMPLE[s.role]]));
      const engineArgs = callArgs({ call: name, args });
      expect(() => validateCall(name, engineArgs)).not.toThrow();
      for (const [a, s] of Object.entries(spec.args)) {
        const { [a]: _dropped, ...without } = engineArgs;
        let required = false;
        try {
          validateCall(name, without);
        } catch {
          required = true;
        }
        if (required) expect(s.optional, `${name}: the engine requires ${a}`).toBeUndefined();
      }
    });
  }
});

describe('linux.boot', () => {
  it('reads devices with their topology facts and converts them as the engine takes them', () => {
    const [boot] = commands({
      ...BOOT,
      defaultDomainType: 'DMA_FQ',
      smmu: { preset: 'qemu', streamTable: 'linear', features: { granules: { g16k: false } } },
      devices: [...BOOT.devices, { name: 'acc', bdf: '0000:02:00.0', acsQuirk: true, dmaAliases: ['00.1'], pasidBits: 5, defDomainType: 'IDENTITY', resvRegions: [{ start: '0x8000_0000', length: '0x10_0000', type: 'direct' }] }],
    });
    // The engine replaces the preset's granules as a whole: those the file leaves out keep the preset's.
    expect(FEATURE_PRESETS.qemu.granules.g16k).toBe(true);
    expect(boot).toMatchObject({ kind: 'linux.boot', defaultDomainType: 'DMA_FQ', smmu: { preset: 'qemu', streamTable: 'linear', features: { granules: { ...FEATURE_PRESETS.qemu.granules, g16k: false } } } });
    if (boot?.kind !== 'linux.boot') throw new Error('not a boot');
    expect(boot.devices[1]).toEqual({ name: 'nic0', bdf: '01:00.0', parent: 'rp0', driver: 'ixgbe' });
    expect(boot.devices[3]).toMatchObject({ acsQuirk: true, dmaAliases: ['00.1'], pasidBits: 5, resvRegions: [{ start: 0x8000_0000n, length: 0x10_0000n, type: 'direct' }] });
  });

  it('refuses a bad PCI address, a misspelt field, a parent listed later, a device named twice', () => {
    const bad = { ...BOOT, devices: [{ name: 'x', bdf: '01:20.0' }, { name: 'y', bdf: '02:00.0', parnet: 'x' }, { name: 'z', bdf: '03:00.0', parent: 'w' }, { name: 'w', bdf: '00:02.0', type: 'root-port' }, { name: 'x', bdf: '04:00.0' }] };
    expect(issueAt('steps[0].devices[0].bdf', bad)).toMatch(/^must be a PCI address "bus:device.function" in hex.*device number up to 1f/);
    expect(issueAt('steps[0].devices[1].parnet', bad)).toBe('is not a field of a PCI device; did you mean "parent"?');
    expect(issueAt('steps[0].devices[2].parent', bad)).toMatch(/^"w" is not a device listed before this one: list bridges and ports before what sits behind them/);
    expect(issueAt('steps[0].devices[4].name', bad)).toBe('there is already a device named "x" (devices[0])');
    expect(issueAt('steps[0].devices', { kind: 'linux.boot', devices: [] })).toBe('must list at least one device');
  });

  it('boots once, and probes the SMMU itself unless an smmu.probe came first', () => {
    expect(issueAt('steps[1].kind', BOOT, BOOT)).toBe('Linux already booted at steps[0]; a scenario boots it once');
    expect(issueAt('steps[1].smmu', { kind: 'smmu.probe', preset: 'full', streamTable: 'linear' }, { ...BOOT, smmu: { preset: 'full' } })).toBe(
      'the SMMU was already probed at steps[0]; leave out "smmu" so Linux uses that one',
    );
    expect(issues({ kind: 'smmu.probe', preset: 'full', streamTable: 'linear' }, BOOT)).toEqual([]);
    // After linux.boot the SMMU exists: smmu.* steps may look at it, a second probe may not.
    expect(issues(BOOT, { kind: 'smmu.dma', sid: 256, address: '0x1000', access: 'read' })).toEqual([]);
    expect(issueAt('steps[1].kind', BOOT, { kind: 'smmu.probe', preset: 'full', streamTable: 'linear' })).toBe('the SMMU was already probed at steps[0] by linux.boot; a scenario has one SMMU, probed once');
  });
});

describe('linux.call', () => {
  it('converts each argument by its role: hex to bigint, prot letters to Prot, a vSTE to field values, names as written', () => {
    const cmds = commands(
      BOOT, ALLOC,
      call('iommu_map', { domain: 'U', iova: '0x1000', paddr: '0x8_0000_0000', size: '0x1000', prot: 'rw' }),
      call('iommu_group_replace_domain', { group: 1, domain: null }),
      call('iommu_paging_domain_alloc_flags', { dev: 'nic0', name: 'S2', flags: ['IOMMU_HWPT_ALLOC_NEST_PARENT'] }),
      call('iommufd_viommu_alloc', { name: 'v', parent: 'S2', dev: 'nic0' }),
      call('iommufd_viommu_alloc_hwpt_nested', { name: 'N', viommu: 'v', vste: { V: 1, Config: 5, S1ContextPtr: '0x1001_0000' } }),
    );
    expect(cmds[2]).toEqual({ kind: 'linux.call', call: 'iommu_map', args: { domain: 'U', iova: 0x1000n, paddr: 0x8_0000_0000n, size: 0x1000n, prot: { read: true, write: true, exec: false, priv: false } } });
    expect(cmds[3]).toEqual({ kind: 'linux.call', call: 'iommu_group_replace_domain', args: { group: 1, domain: null } });
    expect(cmds[6]).toMatchObject({ args: { vste: { V: 1n, Config: 5n, S1ContextPtr: 0x1001_0000n } } });
  });

  it('sends in-flight DMA unprivileged unless said, at every checkpoint unless `at` names one', () => {
    const [, cmd] = commands(BOOT, call('iommu_group_claim_dma_owner', { group: 'nic0', owner: 'vfio' }, {
      inflight: [{ device: 'nic0', iova: '0x1008', access: 'read' }, { device: 'nic1', iova: '0x2000', access: 'write', privileged: true, pasid: 3, at: 4 }],
    }));
    expect(cmd).toMatchObject({
      inflight: [
        { device: 'nic0', iova: 0x1008n, access: { kind: 'read', privileged: false } },
        { device: 'nic1', iova: 0x2000n, access: { kind: 'write', privileged: true }, pasid: 3, at: 4 },
      ],
    });
    expect((cmd as unknown as { inflight: object[] }).inflight[0]).not.toHaveProperty('at');
  });

  it('names an unknown call and the one meant', () => {
    expect(issueAt('steps[1].call', BOOT, call('iommu_group_claim_dma_ownr', { group: 'nic0', owner: 'vfio' }))).toBe('unknown kernel call "iommu_group_claim_dma_ownr"; did you mean "iommu_group_claim_dma_owner"?');
    expect(issueAt('steps[1].call', BOOT, { kind: 'linux.call', args: {} })).toBe('is required: the kernel function to call, such as "iommu_attach_group"');
  });

  it('names a missing argument with the call\'s signature, an unknown one with the one meant, a value of the wrong form', () => {
    const all = issues(BOOT, ALLOC, call('iommu_map', { domain: 'U', iovaa: '0x1000', paddr: 4096, size: '0x1000', prot: 'rwq' }));
    const at = (p: string) => all.find((i) => i.path === p)?.message;
    expect(at('steps[2].args.iova')).toBe('is required: iommu_map(domain, iova, paddr, size, prot)');
    expect(at('steps[2].args.iovaa')).toBe('is not an argument of iommu_map(); did you mean "iova"?');
    expect(at('steps[2].args.paddr')).toBe('must be a hex string like "0x1000" (got 4096)');
    expect(at('steps[2].args.prot')).toMatch(/^must be a string of the letters r \(read\)/);
    expect(issueAt('steps[1].args', BOOT, { kind: 'linux.call', call: 'iommu_domain_free', args: 'U' })).toBe('must be an object of arguments: iommu_domain_free(domain)');
  });

  it('refuses names no earlier step made: devices, groups, domains, vIOMMUs', () => {
    expect(issueAt('steps[1].args.group', BOOT, call('iommu_group_claim_dma_owner', { group: 'nvme1', owner: 'vfio' }))).toBe('no group contains a device named "nvme1"');
    expect(issueAt('steps[1].args.group', BOOT, call('iommu_group_release_dma_owner', { group: 3 }))).toMatch(/^there is no iommu group 3: the 3 devices booted make at most 3 groups/);
    expect(issueAt('steps[1].args.dev', BOOT, call('iommu_device_release_dma_owner', { dev: 'nic2' }))).toBe('no device named "nic2" was booted (linux.boot lists "rp0", "nic0", "nic1"); did you mean "nic0"?');
    expect(issueAt('steps[1].args.domain', BOOT, call('iommu_attach_group', { domain: 'U', group: 'nic0' }))).toMatch(/^no domain named "U" was allocated before this step/);
    expect(issueAt('steps[2].args.domain', BOOT, ALLOC, call('iommu_attach_group', { domain: 'u', group: 'nic0' }))).toMatch(/did you mean "U"\?$/);
    expect(issueAt('steps[1].args.viommu', BOOT, call('iommufd_vdevice_alloc', { viommu: 'v', dev: 'nic0', virtId: 1 }))).toBe('no vIOMMU named "v" was allocated before this step');
    expect(issueAt('steps[1].inflight[0].device', BOOT, call('iommu_group_claim_dma_owner', { group: 'nic0', owner: 'vfio' }, { inflight: [{ device: 'nic9', iova: '0x0', access: 'read' }] }))).toMatch(/^no device named "nic9"/);
    // Default and static domains need no allocation; a new name must be new, and not the kernel's.
    expect(issues(BOOT, call('iommu_map', { domain: 'default-g1', iova: '0x0', paddr: '0x0', size: '0x1000', prot: 'r' }), call('iommu_attach_group', { domain: 'arm_smmu_identity_domain', group: 1 }))).toEqual([]);
    expect(issueAt('steps[2].args.name', BOOT, ALLOC, ALLOC)).toBe('"U" is already the name of a domain (steps[1]); domains and page tables share names');
    expect(issueAt('steps[1].args.name', BOOT, call('iommu_domain_alloc', { name: 'default-g0' }))).toBe('"default-g0" is the name the kernel gives a default domain; choose another');
  });

  it('needs Linux booted first', () => {
    expect(issueAt('steps[0].kind', ALLOC, BOOT)).toBe('Linux has not booted: a linux.boot step must come before this one (it comes later, at steps[1])');
  });
});

describe('linux.dma', () => {
  it('converts a device\'s DMA, and refuses an unknown device or access', () => {
    const [, dma] = commands(BOOT, { kind: 'linux.dma', device: 'nic1', iova: '0x1010', access: 'write', pasid: 2 });
    expect(dma).toEqual({ kind: 'linux.dma', device: 'nic1', iova: 0x1010n, access: { kind: 'write', privileged: false }, pasid: 2 });
    expect(issueAt('steps[1].device', BOOT, { kind: 'linux.dma', device: 'nic', iova: '0x0', access: 'read' })).toMatch(/^no device named "nic" was booted/);
    expect(issueAt('steps[1].access', BOOT, { kind: 'linux.dma', device: 'nic0', iova: '0x0', access: 'reed' })).toBe('must be "read", "write", "exec" (got "reed")');
  });
});
