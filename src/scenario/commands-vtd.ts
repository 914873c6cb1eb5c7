/** VT-d steps as engine commands: hex strings become bigints, defaults the file leaves out are filled in. */
import type { EngineCommand } from '../engine/index.ts';
import { parseU64 } from '../engine/index.ts';
import type { InvDescriptor } from '../engine/hw/vtd/inv-desc.ts';
import type { VtdRegisterName } from '../engine/hw/vtd/registers.ts';
import { fieldValuesOf } from './entry-fields.ts';
import type { VtdInvalidateStep } from './steps-vtd.ts';
import type { ScenarioStep } from './steps.ts';

export type VtdStep = Extract<ScenarioStep, { kind: `vtd.${string}` }>;

function descriptorOf(d: VtdInvalidateStep['descriptors'][number], i: number): InvDescriptor {
  const hex = (v: string | undefined, field: string) => (v === undefined ? {} : { [field]: parseU64(v, `descriptors[${i}].${field}`) });
  switch (d.type) {
    case 'iotlb':
    case 'pasid-iotlb':
      return { ...d, ...hex(d.address, 'address') } as InvDescriptor;
    case 'device-iotlb':
      return { ...d, address: parseU64(d.address, `descriptors[${i}].address`) };
    case 'wait':
      return { ...d, ...hex(d.statusAddress, 'statusAddress') } as InvDescriptor;
    default:
      return d;
  }
}

export function vtdStepToCommand(step: VtdStep): EngineCommand {
  switch (step.kind) {
    case 'vtd.probe':
      return { kind: 'vtd.probe', preset: step.preset, ...(step.mode ? { mode: step.mode } : {}), ...(step.enable === false ? { enable: false } : {}), ...(step.features ? { features: step.features } : {}) };
    case 'vtd.writeRegister':
      return { kind: 'vtd.writeRegister', register: step.register as VtdRegisterName, value: parseU64(step.value, 'value') };
    case 'vtd.clearFault':
      return { kind: 'vtd.clearFault', index: step.index };
    case 'vtd.writeContext':
      return { kind: 'vtd.writeContext', sid: step.sid, fields: fieldValuesOf(step.fields) };
    case 'vtd.writePasidEntry':
      return { kind: 'vtd.writePasidEntry', sid: step.sid, pasid: step.pasid, fields: fieldValuesOf(step.fields) };
    case 'vtd.createPgtable':
      return { kind: 'vtd.createPgtable', name: step.name, format: step.format, levels: step.levels };
    case 'vtd.map':
      return {
        kind: 'vtd.map', table: step.table, iova: parseU64(step.iova, 'iova'), paddr: parseU64(step.paddr, 'paddr'), size: parseU64(step.size, 'size'),
        prot: { read: step.read ?? true, write: step.write ?? true, user: step.user ?? true, exec: step.exec ?? false },
      };
    case 'vtd.unmap':
      return { kind: 'vtd.unmap', table: step.table, iova: parseU64(step.iova, 'iova'), size: parseU64(step.size, 'size') };
    case 'vtd.invalidate':
      return { kind: 'vtd.invalidate', descriptors: step.descriptors.map(descriptorOf) };
    case 'vtd.dma':
      return {
        kind: 'vtd.dma', sid: step.sid, ...(step.pasid === undefined ? {} : { pasid: step.pasid }), address: parseU64(step.address, 'address'),
        access: { kind: step.access, privileged: step.privileged ?? false },
      };
  }
}
