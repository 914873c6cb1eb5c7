/** Commands on the Linux IOMMU core: boot, a kernel call, a DMA from a device by name. */
import type { EngineCommand } from '../commands.ts';
import type { EngineEvent } from '../events.ts';
import { FEATURE_PRESETS } from '../hw/smmu/features.ts';
import { Smmu } from '../hw/smmu/smmu.ts';
import { probeSmmu } from '../os/arm-smmu-v3/probe.ts';
import { bootLinux } from '../os/core/boot.ts';
import type { LinuxCall } from '../os/core/call-types.ts';
import { runCall } from '../os/core/calls.ts';
import { CallContext } from '../os/core/context.ts';
import { bootVtd } from '../os/intel-iommu/boot-unit.ts';
import { deviceDma } from '../os/core/device-dma.ts';
import { staticDomains } from '../os/core/domain-alloc.ts';
import { driverOps } from '../os/core/drivers.ts';
import { buildDevices } from '../os/core/pci.ts';
import type { LinuxFinding } from '../os/core/record-types.ts';
import { allGroupStates, deviceNamed } from '../os/core/state.ts';
import type { LinuxState } from '../os/core/types.ts';
import { validateCall, validateInflight } from '../os/core/validate.ts';
import type { EngineState } from '../state.ts';
import { EngineError } from '../util/assert.ts';

type LinuxCommand = Extract<EngineCommand, { kind: `linux.${string}` }>;

const DEFAULT_TYPES = ['DMA', 'DMA_FQ', 'IDENTITY'];

function linuxOf(s: EngineState): LinuxState {
  if (!s.linux) throw new EngineError('Linux has not booted: add a linux.boot step first', 'kind');
  return s.linux;
}

const findingEvents = (fs: readonly LinuxFinding[]): EngineEvent[] => fs.map((finding) => ({ kind: 'linux.finding', finding }));

function boot(s: EngineState, c: Extract<LinuxCommand, { kind: 'linux.boot' }>): EngineEvent[] {
  if (s.linux) throw new EngineError('Linux has already booted', 'kind');
  if (!Array.isArray(c.devices)) throw new EngineError('devices must be a list of PCI devices', 'devices');
  const type = c.defaultDomainType ?? 'DMA';
  if (!DEFAULT_TYPES.includes(type)) throw new EngineError(`defaultDomainType must be one of ${DEFAULT_TYPES.join(', ')}`, 'defaultDomainType');
  if (s.smmu && c.smmu) throw new EngineError('the SMMU was already probed by an smmu.probe step; leave out linux.boot\'s smmu', 'smmu');
  const iommu = c.iommu ?? 'arm-smmu-v3';
  if (iommu !== 'arm-smmu-v3' && iommu !== 'intel-iommu') throw new EngineError('iommu must be "arm-smmu-v3" or "intel-iommu"', 'iommu');
  if (iommu === 'intel-iommu' && c.smmu) throw new EngineError('linux.boot\'s smmu is for arm-smmu-v3; with iommu: intel-iommu give vtd', 'smmu');
  if (iommu === 'arm-smmu-v3' && c.vtd) throw new EngineError('linux.boot\'s vtd is for iommu: intel-iommu', 'vtd');
  if (s.vtd && c.vtd) throw new EngineError('the VT-d unit was already probed by a vtd.probe step; leave out linux.boot\'s vtd', 'vtd');
  // Everything that can be refused is checked before anything changes.
  const devices = buildDevices(c.devices);
  let probed: Extract<EngineEvent, { kind: 'linux.booted' }>['smmu'];
  let vtdProbed: Extract<EngineEvent, { kind: 'linux.booted' }>['vtd'];
  if (iommu === 'intel-iommu') {
    vtdProbed = s.vtd ? undefined : bootVtd(s, c.vtd);
  } else if (!s.smmu) {
    const features = { ...FEATURE_PRESETS[c.smmu?.preset ?? 'full'], ...c.smmu?.features };
    const smmu = new Smmu(s.mem, features);
    const streamTable = c.smmu?.streamTable ?? (features.twoLevelStreamTable ? '2-level' : 'linear');
    probed = { features, result: probeSmmu(smmu, s.allocator, { streamTable }) };
    s.smmu = smmu;
  }
  const linux: LinuxState = {
    defaultDomainType: type, devices, groups: [], domains: staticDomains(driverOps(iommu)), masters: [], viommus: [], asids: [], vmids: [], nextGroupId: 0,
    ...(iommu === 'intel-iommu' ? { iommu } : {}),
  };
  const ctx = new CallContext(s, linux, 'linux.boot');
  const record = bootLinux(ctx, c.devices);
  s.linux = linux;
  return [
    { kind: 'linux.booted', ...(probed ? { smmu: probed } : {}), ...(vtdProbed ? { vtd: vtdProbed } : {}), boot: record, groups: allGroupStates(linux), hw: ctx.hw, checkpoints: ctx.transition.checkpoints, warnings: ctx.warnings },
    ...findingEvents(ctx.findings),
  ];
}

function call(s: EngineState, c: Extract<LinuxCommand, { kind: 'linux.call' }>): EngineEvent[] {
  const linux = linuxOf(s);
  validateCall(c.call, c.args);
  const inflight = validateInflight(c.inflight);
  inflight.forEach((d, i) => deviceNamed(linux, d.device, `inflight[${i}].device`));
  const { kind: _kind, inflight: _inflight, ...rest } = c;
  const theCall = rest as LinuxCall;
  const ctx = new CallContext(s, linux, theCall.call, inflight);
  const out = runCall(ctx, theCall);
  return [
    {
      kind: 'linux.called', call: theCall, ret: out.ret, returned: out.returned, ...(out.value !== undefined ? { value: out.value } : {}),
      warnings: ctx.warnings, groups: allGroupStates(linux), hw: ctx.hw, checkpoints: ctx.transition.checkpoints, inflight: ctx.transition.inflightResults,
      ...(ctx.dmaApi ? { dmaApi: ctx.dmaApi } : {}),
    },
    ...findingEvents(ctx.findings),
  ];
}

export function handleLinux(s: EngineState, c: LinuxCommand): EngineEvent[] {
  switch (c.kind) {
    case 'linux.boot':
      return boot(s, c);
    case 'linux.call':
      return call(s, c);
    case 'linux.dma': {
      if (typeof c.iova !== 'bigint') throw new EngineError('iova must be a 64-bit value (bigint)', 'iova');
      if (!c.access || !['read', 'write', 'exec'].includes(c.access.kind)) throw new EngineError('access must be { kind: read | write | exec, privileged }', 'access');
      const linux = linuxOf(s);
      const ctx = new CallContext(s, linux, 'linux.dma');
      const r = deviceDma(linux, ctx.ops.hw(ctx), c.device, c.iova, c.access, c.pasid);
      const { finding, ...dma } = r;
      return [{ kind: 'linux.dma', ...dma }, ...(finding ? findingEvents([finding]) : [])];
    }
  }
}
