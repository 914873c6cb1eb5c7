/**
 * The PASID, SVA and process (mm_*) calls, dispatched from calls.ts: each
 * call's return value as the kernel gives it. iommu_sva_bind_device returns
 * a pointer, shown here as the bond's name (the handle to unbind with);
 * PASIDs are u32 and print in decimal.
 */
import { EngineError } from '../../util/assert.ts';
import type { LinuxCall } from './call-types.ts';
import type { CallOutcome } from './calls.ts';
import type { CallContext } from './context.ts';
import { iommuAllocGlobalPasid, iommuFreeGlobalPasid } from './global-pasid.ts';
import { mmAlloc, mmExit, mmMap, mmUnmap } from './mm.ts';
import { iommuAttachDevicePasid, iommuDetachDevicePasid, iommuReplaceDevicePasid } from './pasid.ts';
import { iommuSvaBindDevice, iommuSvaGetPasid, iommuSvaUnbindDevice } from './sva.ts';
import type { Errno } from './types.ts';

export const PASID_CALLS = [
  'iommu_attach_device_pasid', 'iommu_detach_device_pasid', 'iommu_replace_device_pasid', 'iommu_alloc_global_pasid', 'iommu_free_global_pasid',
  'iommu_sva_bind_device', 'iommu_sva_unbind_device', 'iommu_sva_get_pasid', 'mm_alloc', 'mm_map', 'mm_unmap', 'mm_exit',
] as const;

export type PasidCall = Extract<LinuxCall, { call: (typeof PASID_CALLS)[number] }>;

function ret(r: 0 | Errno): CallOutcome {
  return { ret: r, returned: r === 0 ? '0' : `-${r}` };
}

/** A PASID is a u32; IOMMU_NO_PASID (0) is a legal argument the core itself refuses. */
function pasidArg(p: number): number {
  if (!Number.isInteger(p) || p < 0 || p > 0xffff_ffff) throw new EngineError(`pasid ${p} is not a u32`, 'args.pasid');
  return p;
}

function optionalString(v: unknown, field: string): string | undefined {
  if (v !== undefined && typeof v !== 'string') throw new EngineError(`${field} must be a name or left out`, field);
  return v;
}

export function runPasidCall(ctx: CallContext, c: PasidCall): CallOutcome {
  switch (c.call) {
    case 'iommu_attach_device_pasid':
      return ret(iommuAttachDevicePasid(ctx, c.args.domain, c.args.dev, pasidArg(c.args.pasid), optionalString(c.args.handle, 'args.handle')));
    case 'iommu_detach_device_pasid':
      return ret(iommuDetachDevicePasid(ctx, c.args.domain, c.args.dev, pasidArg(c.args.pasid)));
    case 'iommu_replace_device_pasid':
      return ret(iommuReplaceDevicePasid(ctx, c.args.domain, c.args.dev, pasidArg(c.args.pasid), optionalString(c.args.handle, 'args.handle')));
    case 'iommu_alloc_global_pasid': {
      const r = iommuAllocGlobalPasid(ctx, c.args.dev);
      return { ret: 0, value: r.value, returned: r.value.toString() };
    }
    case 'iommu_free_global_pasid':
      return ret(iommuFreeGlobalPasid(ctx, pasidArg(c.args.pasid)));
    case 'iommu_sva_bind_device': {
      const r = iommuSvaBindDevice(ctx, c.args.dev, c.args.mm);
      return r.ret === 0 ? { ret: 0, returned: r.handle } : ret(r.ret);
    }
    case 'iommu_sva_unbind_device':
      return ret(iommuSvaUnbindDevice(ctx, c.args.handle));
    case 'iommu_sva_get_pasid': {
      const r = iommuSvaGetPasid(ctx, c.args.handle);
      return { ret: 0, value: r.value, returned: r.value.toString() };
    }
    case 'mm_alloc':
      return ret(mmAlloc(ctx, c.args.name));
    case 'mm_map':
      return ret(mmMap(ctx, c.args.mm, c.args.va, c.args.paddr, c.args.size, c.args.prot));
    case 'mm_unmap': {
      const inv = c.args.invalidateSecondaryTlbs;
      if (inv !== undefined && typeof inv !== 'boolean') throw new EngineError('args.invalidateSecondaryTlbs must be true or false', 'args.invalidateSecondaryTlbs');
      return ret(mmUnmap(ctx, c.args.mm, c.args.va, c.args.size, inv ?? true));
    }
    case 'mm_exit':
      return ret(mmExit(ctx, c.args.mm));
  }
}
