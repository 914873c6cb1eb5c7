/**
 * Linux steps as engine commands. A call's arguments become engine values by
 * their role (linux-calls.ts): hex strings become bigints, a prot string the
 * engine's Prot, a vSTE's fields bigints; names and numbers stay as written.
 */
import type { EngineCommand, InflightDma, PciDeviceSpec } from '../engine/index.ts';
import { FEATURE_PRESETS, parseU64, type SmmuFeatures } from '../engine/index.ts';
import { type EntryFieldsSpec, fieldValuesOf } from './entry-fields.ts';
import { argRole } from './linux-calls.ts';
import type { InflightSpec, LinuxBootStep, LinuxCallStep, LinuxDmaStep } from './steps-linux.ts';
import { type ProtSpec, protOf } from './steps-prot.ts';

export type LinuxStep = LinuxBootStep | LinuxCallStep | LinuxDmaStep;

/** One argument as the engine takes it. A value that does not have its role's form is passed on unchanged, for the engine to refuse. */
export function argValue(call: string, name: string, value: unknown): unknown {
  const role = argRole(call, name);
  if (role === 'u64' && typeof value === 'string') return parseU64(value, `args.${name}`);
  if (role === 'prot' && (typeof value === 'string' || (typeof value === 'object' && value !== null))) return protOf(value as ProtSpec);
  if (role === 'ste-fields' && typeof value === 'object' && value !== null) return fieldValuesOf(value as EntryFieldsSpec);
  if (role === 'sg' && Array.isArray(value)) {
    return value.map((seg: { paddr?: unknown; length?: unknown }, i) => ({
      paddr: typeof seg.paddr === 'string' ? parseU64(seg.paddr, `args.${name}[${i}].paddr`) : seg.paddr,
      length: typeof seg.length === 'string' ? parseU64(seg.length, `args.${name}[${i}].length`) : seg.length,
    }));
  }
  return value;
}

export function callArgs(step: Pick<LinuxCallStep, 'call' | 'args'>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(step.args)) if (value !== undefined) out[name] = argValue(step.call, name, value);
  return out;
}

function dmaOf(d: InflightSpec | LinuxDmaStep) {
  return {
    device: d.device,
    iova: parseU64(d.iova, 'iova'),
    access: { kind: d.access, privileged: d.privileged ?? false },
    ...(d.pasid === undefined ? {} : { pasid: d.pasid }),
  };
}

export function inflightOf(list: readonly InflightSpec[]): InflightDma[] {
  return list.map((d) => ({ ...dmaOf(d), ...(d.at === undefined ? {} : { at: d.at }) }));
}

function deviceSpecOf(d: LinuxBootStep['devices'][number]): PciDeviceSpec {
  // The schema's device fields are PciDeviceSpec's own (steps-linux.ts checks that): only undefined members go, and hex values become bigints.
  const { resvRegions, ...rest } = d;
  const plain = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  if (!resvRegions) return plain as unknown as PciDeviceSpec;
  return {
    ...plain,
    resvRegions: resvRegions.map((r, i) => ({
      start: parseU64(r.start, `resvRegions[${i}].start`), length: parseU64(r.length, `resvRegions[${i}].length`), type: r.type,
      ...(r.prot === undefined ? {} : { prot: protOf(r.prot) }),
    })),
  } as unknown as PciDeviceSpec;
}

/** The engine replaces the preset's granules as a whole, so the ones the file leaves out keep the preset's value. */
function featuresOf(smmu: NonNullable<LinuxBootStep['smmu']>): { features?: Partial<SmmuFeatures> } {
  if (!smmu.features) return {};
  const { granules, ...rest } = smmu.features;
  return { features: { ...rest, ...(granules ? { granules: { ...FEATURE_PRESETS[smmu.preset].granules, ...granules } } : {}) } };
}

export function linuxStepToCommand(step: LinuxStep): EngineCommand {
  switch (step.kind) {
    case 'linux.boot':
      return {
        kind: 'linux.boot',
        devices: step.devices.map(deviceSpecOf),
        ...(step.defaultDomainType === undefined ? {} : { defaultDomainType: step.defaultDomainType }),
        ...(step.smmu === undefined
          ? {}
          : { smmu: { preset: step.smmu.preset, ...(step.smmu.streamTable ? { streamTable: step.smmu.streamTable } : {}), ...featuresOf(step.smmu) } }),
        ...(step.iommu === undefined ? {} : { iommu: step.iommu }),
        ...(step.vtd === undefined ? {} : { vtd: { preset: step.vtd.preset, ...(step.vtd.mode ? { mode: step.vtd.mode } : {}) } }),
      };
    case 'linux.call':
      // The engine's LinuxCall union is keyed by call name; the args were checked against the call's entry when the file was read.
      return {
        kind: 'linux.call',
        call: step.call,
        args: callArgs(step),
        ...(step.inflight && step.inflight.length > 0 ? { inflight: inflightOf(step.inflight) } : {}),
      } as unknown as EngineCommand;
    case 'linux.dma':
      return { kind: 'linux.dma', ...dmaOf(step) };
  }
}
