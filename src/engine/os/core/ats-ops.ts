/**
 * Model operations for PCIe ATS that no kernel call makes: a device sending
 * an ATS Translation Request for an address, the SMMU answering from its
 * tables (hw/smmu/ats.ts), and the device caching the answer in its ATC.
 * The device's later DMA to that page goes out translated (device-dma.ts);
 * only CMD_ATC_INV removes the entry. Return values: 0 and the translated
 * address when some access was granted; -EACCES when the completion granted
 * none (a translation fault: nothing is cached); -EIO for an Unsupported
 * Request (the stream may not use ATS); -EINVAL when the function cannot
 * send the request (ATS not enabled, or a PASID without PASID enabled).
 */
import { atcFill } from '../../hw/pci/atc.ts';
import { atsEnabled, pasidEnabled } from '../../hw/pci/endpoints.ts';
import { atsTranslationRequest } from '../../hw/smmu/ats.ts';
import type { CallContext } from './context.ts';
import { atcReport, dmaReport } from './dma-report.ts';
import { wireRid } from './pci.ts';
import { deviceNamed, findDomain, groupById } from './state.ts';
import type { Errno } from './types.ts';

export function atsTranslate(ctx: CallContext, devName: string, iova: bigint, write: boolean, pasid?: number): { ret: 0 | Errno; value?: bigint; returned?: string } {
  const dev = deviceNamed(ctx.linux, devName);
  const ep = ctx.ops.hw(ctx).endpoints.get(dev.rid);
  const report = () => {
    const g = dev.group === null ? undefined : groupById(ctx.linux, dev.group);
    ctx.dmaApi = { ...dmaReport(findDomain(ctx.linux, g?.domain ?? null)), atc: atcReport(ctx, devName) };
  };
  if (!ep || !atsEnabled(ep)) {
    ctx.warn(`${devName} cannot send an ATS Translation Request: ${ep?.atsCap ? 'ATS Enable is clear in its ATS Control register' : 'it has no ATS capability'}`);
    report();
    return { ret: 'EINVAL' };
  }
  if (pasid !== undefined && !pasidEnabled(ep)) {
    ctx.warn(`${devName} cannot tag a request with PASID ${pasid}: PASID Enable is clear`);
    report();
    return { ret: 'EINVAL' };
  }
  const sid = wireRid(ctx.linux.devices, dev);
  const c = atsTranslationRequest(ctx.smmu, { sid, address: iova, noWrite: !write, ...(pasid !== undefined ? { ssid: pasid } : {}) });
  ctx.warn(`ATS Translation Request from ${devName} for 0x${iova.toString(16)}${pasid !== undefined ? ` (PASID ${pasid})` : ''}: ${c.status}, ${c.why}`);
  if (c.status === 'UR') {
    report();
    return { ret: 'EIO', returned: 'UR (Unsupported Request)' };
  }
  if (!c.read && !c.write) {
    report();
    return { ret: 'EACCES', returned: 'R=0 W=0 (no access)' };
  }
  const output = c.output as bigint;
  ep.atc = atcFill(ep.atc, { pasid: pasid ?? null, page: iova & ~0xfffn, output, read: c.read, write: c.write });
  report();
  return { ret: 0, value: output, returned: `0x${output.toString(16)} R=${c.read ? 1 : 0} W=${c.write ? 1 : 0}` };
}
