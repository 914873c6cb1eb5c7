/**
 * The PCIe functions behind the SMMU's root complex, as hardware: the
 * Control registers of their PASID, ATS and PRI extended capabilities
 * (PCIe Base spec 7.8.9 ATS, 7.8.10 PRI, 7.8.11 PASID) and their ATC. The
 * SMMU reaches a function by its Requester ID, which is its StreamID
 * (SID = RID), when CMD_ATC_INV makes it send an ATS Invalidate Request.
 * What the kernel believes (pdev->ats_enabled ...) is the os layer's.
 */
import { atcInvalidate, type AtcEntry } from './atc.ts';

/** PASID Control. */
export const PASID_CTRL_ENABLE = 1 << 0;
export const PASID_CTRL_EXEC = 1 << 1;
export const PASID_CTRL_PRIV = 1 << 2;
/** ATS Control: Enable, and STU in bits 4:0 as log2(bytes) - 12. */
export const ATS_CTRL_ENABLE = 1 << 15;
export const ATS_CTRL_STU_MASK = 0x1f;
export const PCI_ATS_MIN_STU = 12;
/** PRI Control. */
export const PRI_CTRL_ENABLE = 1 << 0;
export const PRI_CTRL_RESET = 1 << 1;

export interface PcieEndpoint {
  readonly rid: number;
  /** The device's name in the topology, for messages. */
  readonly name: string;
  /** Max PASID Width and the Execute / Privileged Mode bits of the PASID Capability register; null: no PASID capability. */
  readonly pasidCap: { readonly width: number; readonly exec: boolean; readonly priv: boolean } | null;
  readonly atsCap: boolean;
  readonly priCap: { readonly maxRequests: number } | null;
  pasidControl: number;
  atsControl: number;
  priControl: number;
  priAllocReqs: number;
  atc: AtcEntry[];
}

export type CapRegister = 'PASID Control' | 'ATS Control' | 'PRI Control' | 'PRI Outstanding Page Request Allocation';

export function newEndpoint(spec: { rid: number; name: string; pasidBits: number; ats: boolean; pri: boolean }): PcieEndpoint {
  return {
    rid: spec.rid, name: spec.name,
    pasidCap: spec.pasidBits > 0 ? { width: spec.pasidBits, exec: false, priv: false } : null,
    atsCap: spec.ats, priCap: spec.pri ? { maxRequests: 32 } : null,
    pasidControl: 0, atsControl: 0, priControl: 0, priAllocReqs: 0, atc: [],
  };
}

export const pasidEnabled = (e: PcieEndpoint) => (e.pasidControl & PASID_CTRL_ENABLE) !== 0;
export const atsEnabled = (e: PcieEndpoint) => (e.atsControl & ATS_CTRL_ENABLE) !== 0;
export const priEnabled = (e: PcieEndpoint) => (e.priControl & PRI_CTRL_ENABLE) !== 0;

export class PciEndpoints {
  private readonly byRid: Map<number, PcieEndpoint>;

  constructor(entries: readonly PcieEndpoint[] = []) {
    this.byRid = new Map(entries.map((e) => [e.rid, { ...e, atc: [...e.atc] }]));
  }

  add(e: PcieEndpoint): void {
    this.byRid.set(e.rid, e);
  }

  get(rid: number): PcieEndpoint | undefined {
    return this.byRid.get(rid);
  }

  list(): PcieEndpoint[] {
    return [...this.byRid.values()];
  }

  /** A configuration write to one of the capability registers; returns the old and new value. */
  writeConfig(rid: number, reg: CapRegister, value: number): { old: number; value: number } {
    const e = this.byRid.get(rid);
    if (!e) throw new Error(`model bug: no PCIe function with RID 0x${rid.toString(16)}`);
    const field = ({ 'PASID Control': 'pasidControl', 'ATS Control': 'atsControl', 'PRI Control': 'priControl', 'PRI Outstanding Page Request Allocation': 'priAllocReqs' } as const)[reg];
    const old = e[field];
    // Reset is an action bit that reads back as 0. A disabled ATC is not used, but it is not emptied either:
    // that takes an invalidation, which is why Linux sends ATC_INV both before enabling and after disabling.
    e[field] = reg === 'PRI Control' ? value & ~PRI_CTRL_RESET : value;
    return { old, value };
  }

  /** The ATS Invalidate Request CMD_ATC_INV sends, and its completion (which CMD_SYNC waits for). */
  atsInvalidate(sid: number, pasid: number | null, start: bigint, end: bigint): { reached: string | null; invalidated: number } {
    const e = this.byRid.get(sid);
    if (!e) return { reached: null, invalidated: 0 };
    const r = atcInvalidate(e.atc, pasid, start, end);
    e.atc = r.kept;
    return { reached: e.name, invalidated: r.removed.length };
  }

  clone(): PciEndpoints {
    return new PciEndpoints(this.list());
  }
}
