/**
 * The PCI layer's PASID, ATS and PRI helpers (drivers/pci/ats.c, v6.16):
 * what each checks, the errno it returns, and the configuration write it
 * makes to the function's capability (hw/pci/endpoints.ts). The helpers do
 * not enforce the PCIe ordering rule themselves: changing PASID Enable while
 * ATS Enable is set is undefined behaviour (ATS Control register), so the
 * IOMMU driver enables PASID before ATS and disables it after. The model
 * lets such a write through, as the kernel would, and reports a
 * pcie-ordering finding. SR-IOV (VFs sharing the PF's capabilities) and the
 * End-End TLP Prefix requirement are not modelled.
 */
import { ATS_CTRL_ENABLE, atsEnabled, newEndpoint, PASID_CTRL_ENABLE, PASID_CTRL_EXEC, PASID_CTRL_PRIV, PCI_ATS_MIN_STU, PRI_CTRL_ENABLE, type CapRegister, type PcieEndpoint } from '../../hw/pci/endpoints.ts';
import type { CallContext } from './context.ts';
import type { PcieKernelState } from './dma-types.ts';
import { acsPathEnabled, isPcie } from './pci.ts';
import type { Errno, PciDevice } from './types.ts';

export type PasidFeature = 'exec' | 'priv';

/** PCI enumeration (pci_ats_init, pci_pri_init, pci_pasid_init): the function and the kernel's view of it. */
export function pciEnumerate(ctx: CallContext, dev: PciDevice): void {
  dev.dmaMask ??= 0xffff_ffffn;
  if (!isPcie(dev) || ctx.ops.hw(ctx).endpoints.get(dev.rid)) return;
  ctx.ops.hw(ctx).endpoints.add(newEndpoint({ rid: dev.rid, name: dev.name, pasidBits: dev.pasidBits, ats: dev.ats, pri: dev.pri }));
  dev.pcie = { pasidEnabled: false, pasidFeatures: [], atsEnabled: false, atsStu: 0, priEnabled: false, priReqsAlloc: 0 };
}

function endpointOf(ctx: CallContext, dev: PciDevice): PcieEndpoint | undefined {
  return isPcie(dev) ? ctx.ops.hw(ctx).endpoints.get(dev.rid) : undefined;
}

function state(dev: PciDevice): PcieKernelState {
  dev.pcie ??= { pasidEnabled: false, pasidFeatures: [], atsEnabled: false, atsStu: 0, priEnabled: false, priReqsAlloc: 0 };
  return dev.pcie;
}

function configWrite(ctx: CallContext, dev: PciDevice, reg: CapRegister, value: number, why: string): void {
  const r = ctx.ops.hw(ctx).endpoints.writeConfig(dev.rid, reg, value);
  ctx.hw.push({ kind: 'pci-config', device: dev.name, register: reg, old: r.old, value: r.value, why });
}

function orderingCheck(ctx: CallContext, dev: PciDevice, what: string): void {
  const ep = endpointOf(ctx, dev);
  if (ep && atsEnabled(ep)) {
    ctx.finding({ rule: 'pcie-ordering', device: dev.name, message: `${what} on ${dev.name} while its ATS Enable is set: the PCIe Base spec leaves the behaviour undefined (ATS Control register). PASID must be enabled before ATS and disabled after it.` });
  }
}

/** pci_pasid_features: the Execute / Privileged Mode permissions the capability supports; EINVAL without one. */
export function pciPasidFeatures(ctx: CallContext, dev: PciDevice): PasidFeature[] | 'EINVAL' {
  const cap = endpointOf(ctx, dev)?.pasidCap;
  if (!cap) return 'EINVAL';
  return [...(cap.exec ? ['exec' as const] : []), ...(cap.priv ? ['priv' as const] : [])];
}

/** pci_max_pasids: 1 << Max PASID Width; EINVAL without the capability. */
export function pciMaxPasids(ctx: CallContext, dev: PciDevice): number | 'EINVAL' {
  const cap = endpointOf(ctx, dev)?.pasidCap;
  return cap ? 2 ** cap.width : 'EINVAL';
}

/** pci_enable_pasid. */
export function pciEnablePasid(ctx: CallContext, dev: PciDevice, features: readonly PasidFeature[], why = 'pci_enable_pasid'): 0 | Errno {
  const s = state(dev);
  if (s.pasidEnabled) {
    ctx.warn(`${dev.name}: pci_enable_pasid: PASID is already enabled (WARN_ON)`);
    return 'EBUSY';
  }
  const supported = pciPasidFeatures(ctx, dev);
  if (supported === 'EINVAL') return 'EINVAL';
  // PASID-tagged requests must not be able to reach a peer without going through the IOMMU.
  if (!acsPathEnabled(ctx.linux.devices, dev)) return 'EINVAL';
  if (features.some((f) => !supported.includes(f))) return 'EINVAL';
  orderingCheck(ctx, dev, 'PASID Enable set');
  const control = PASID_CTRL_ENABLE | (features.includes('exec') ? PASID_CTRL_EXEC : 0) | (features.includes('priv') ? PASID_CTRL_PRIV : 0);
  configWrite(ctx, dev, 'PASID Control', control, why);
  s.pasidEnabled = true;
  s.pasidFeatures = [...features];
  return 0;
}

/** pci_disable_pasid (void: WARN when it was not enabled). */
export function pciDisablePasid(ctx: CallContext, dev: PciDevice, why = 'pci_disable_pasid'): void {
  const s = state(dev);
  if (!s.pasidEnabled) {
    ctx.warn(`${dev.name}: pci_disable_pasid: PASID is not enabled (WARN_ON)`);
    return;
  }
  if (!endpointOf(ctx, dev)?.pasidCap) return;
  orderingCheck(ctx, dev, 'PASID Enable cleared');
  configWrite(ctx, dev, 'PASID Control', 0, why);
  s.pasidEnabled = false;
}

/** pci_ats_supported: the capability, and a trusted device. */
export function pciAtsSupported(ctx: CallContext, dev: PciDevice): boolean {
  return (endpointOf(ctx, dev)?.atsCap ?? false) && !dev.untrusted;
}

function atsControl(enable: boolean, ps: number): number {
  return (enable ? ATS_CTRL_ENABLE : 0) | ((ps - PCI_ATS_MIN_STU) & 0x1f);
}

/** pci_prepare_ats: the STU is written without enabling, so VFs could enable later. */
export function pciPrepareAts(ctx: CallContext, dev: PciDevice, ps: number, why = 'pci_prepare_ats'): 0 | Errno {
  if (!pciAtsSupported(ctx, dev)) return 'EINVAL';
  const s = state(dev);
  if (s.atsEnabled) {
    ctx.warn(`${dev.name}: pci_prepare_ats: ATS is already enabled (WARN_ON)`);
    return 'EBUSY';
  }
  if (ps < PCI_ATS_MIN_STU) return 'EINVAL';
  s.atsStu = ps;
  configWrite(ctx, dev, 'ATS Control', atsControl(false, ps), why);
  return 0;
}

/** pci_enable_ats. */
export function pciEnableAts(ctx: CallContext, dev: PciDevice, ps: number, why = 'pci_enable_ats'): 0 | Errno {
  if (!pciAtsSupported(ctx, dev)) return 'EINVAL';
  const s = state(dev);
  if (s.atsEnabled) {
    ctx.warn(`${dev.name}: pci_enable_ats: ATS is already enabled (WARN_ON)`);
    return 'EBUSY';
  }
  if (ps < PCI_ATS_MIN_STU) return 'EINVAL';
  s.atsStu = ps;
  configWrite(ctx, dev, 'ATS Control', atsControl(true, ps), why);
  s.atsEnabled = true;
  return 0;
}

/** pci_disable_ats (void: WARN when it was not enabled). */
export function pciDisableAts(ctx: CallContext, dev: PciDevice, why = 'pci_disable_ats'): void {
  const s = state(dev);
  if (!s.atsEnabled) {
    ctx.warn(`${dev.name}: pci_disable_ats: ATS is not enabled (WARN_ON)`);
    return;
  }
  configWrite(ctx, dev, 'ATS Control', atsControl(false, s.atsStu), why);
  s.atsEnabled = false;
}

/** pci_enable_pri: the request allocation (capped at the capability's maximum), then Enable. */
export function pciEnablePri(ctx: CallContext, dev: PciDevice, reqs: number, why = 'pci_enable_pri'): 0 | Errno {
  const s = state(dev);
  if (s.priEnabled) {
    ctx.warn(`${dev.name}: pci_enable_pri: PRI is already enabled (WARN_ON)`);
    return 'EBUSY';
  }
  const cap = endpointOf(ctx, dev)?.priCap;
  if (!cap) return 'EINVAL';
  const alloc = Math.min(cap.maxRequests, reqs);
  configWrite(ctx, dev, 'PRI Outstanding Page Request Allocation', alloc, why);
  configWrite(ctx, dev, 'PRI Control', PRI_CTRL_ENABLE, why);
  s.priEnabled = true;
  s.priReqsAlloc = alloc;
  return 0;
}

/** pci_disable_pri (void: WARN when it was not enabled). */
export function pciDisablePri(ctx: CallContext, dev: PciDevice, why = 'pci_disable_pri'): void {
  const s = state(dev);
  if (!s.priEnabled) {
    ctx.warn(`${dev.name}: pci_disable_pri: PRI is not enabled (WARN_ON)`);
    return;
  }
  if (!endpointOf(ctx, dev)?.priCap) return;
  configWrite(ctx, dev, 'PRI Control', 0, why);
  s.priEnabled = false;
}
