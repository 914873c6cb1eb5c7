/**
 * What the kernel sees, on each IOMMU: groups and their domains, the domain
 * each device's RID is attached to, the PASIDs bound. The IOMMU core is the
 * same code on both, so these should match; where they do not (a driver
 * refused a call the other took, a step only one side ran), that is a
 * finding the page shows. The drivers' static domains have their own names
 * (arm_smmu_blocked_domain, blocking_domain) and are compared by type.
 */
import type { EngineEvent, LinuxState } from '../engine/index.ts';
import type { CompareFinding, KernelSide } from './compare-types.ts';

function neutral(linux: LinuxState, name: string | null): string | null {
  if (name === null) return null;
  const d = linux.domains.find((x) => x.name === name);
  return d?.isStatic ? `static ${d.type} domain` : name;
}

export function kernelSide(linux: LinuxState | undefined): KernelSide {
  if (!linux) return { groups: [], attached: [], pasids: [] };
  const typeOf = (name: string | null) => linux.domains.find((d) => d.name === name)?.type ?? null;
  return {
    groups: linux.groups.map((g) => ({ id: g.id, devices: [...g.devices], domain: neutral(linux, g.domain), type: typeOf(g.domain), owner: g.owner, ownerCnt: g.ownerCnt })),
    attached: linux.masters.map((m) => ({ device: m.device, domain: neutral(linux, m.ridDomain), type: typeOf(m.ridDomain) })),
    pasids: linux.groups.flatMap((g) => g.pasidArray.map((p) => {
      const mm = linux.domains.find((d) => d.name === p.domain)?.sva?.mm;
      return { group: g.id, pasid: p.pasid, domain: p.domain, ...(mm ? { mm } : {}) };
    })),
  };
}

const text = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v).replace(/"/g, ''));

/** Every place the two kernels' states part, as findings. */
export function stateFindings(smmu: KernelSide, vtd: KernelSide): CompareFinding[] {
  const out: CompareFinding[] = [];
  const ids = [...new Set([...smmu.groups, ...vtd.groups].map((g) => g.id))].sort((a, b) => a - b);
  for (const id of ids) {
    const a = smmu.groups.find((g) => g.id === id);
    const b = vtd.groups.find((g) => g.id === id);
    if (text(a) !== text(b)) out.push({ what: `iommu_group ${id}`, smmu: describeGroup(a), vtd: describeGroup(b) });
  }
  const devices = [...new Set([...smmu.attached, ...vtd.attached].map((d) => d.device))];
  for (const device of devices) {
    const a = smmu.attached.find((d) => d.device === device);
    const b = vtd.attached.find((d) => d.device === device);
    if (a?.domain !== b?.domain) out.push({ what: `${device}'s RID is attached to`, smmu: a?.domain ?? 'nothing', vtd: b?.domain ?? 'nothing' });
  }
  const key = (p: KernelSide['pasids'][number]) => `${p.group}:${p.pasid}`;
  const keys = [...new Set([...smmu.pasids, ...vtd.pasids].map(key))];
  for (const k of keys) {
    const a = smmu.pasids.find((p) => key(p) === k);
    const b = vtd.pasids.find((p) => key(p) === k);
    if (text(a) !== text(b)) {
      const [group, pasid] = k.split(':');
      out.push({ what: `PASID ${pasid} of group ${group}`, smmu: a ? `attached to ${a.domain}` : 'not attached', vtd: b ? `attached to ${b.domain}` : 'not attached' });
    }
  }
  return out;
}

function describeGroup(g: KernelSide['groups'][number] | undefined): string {
  if (!g) return 'no such group';
  return `devices ${g.devices.join(', ')}; domain ${g.domain ?? 'none'}${g.type ? ` (${g.type})` : ''}; owner ${g.owner ?? 'none'}, owner_cnt ${g.ownerCnt}`;
}

/** What a step returned, as the kernel reports it, or that the engine refused the command. */
function outcomeOf(events: readonly EngineEvent[] | undefined): string | undefined {
  if (!events) return undefined;
  for (const e of events) {
    if (e.kind === 'command.rejected') return `refused: ${e.message}`;
    if (e.kind === 'linux.called') return `${e.call.call} returned ${e.returned}`;
    if (e.kind === 'linux.dma') return `DMA ${e.landed === 'blocked' ? 'blocked' : `reached ${e.outcome.output === undefined ? 'nothing' : `0x${e.outcome.output.toString(16)}`}`}`;
  }
  return undefined;
}

/** Steps whose kernel-visible outcome differs between the two runs (a return value, a DMA's landing, a refusal). */
export function stepFindings(smmuLog: readonly (readonly EngineEvent[] | null)[], vtdLog: readonly (readonly EngineEvent[] | null)[]): CompareFinding[] {
  const out: CompareFinding[] = [];
  for (let i = 0; i < Math.min(smmuLog.length, vtdLog.length); i++) {
    const a = smmuLog[i];
    const b = vtdLog[i];
    if (a === null || b === null) continue; // a step one side skips is listed with the skipped steps
    const x = outcomeOf(a);
    const y = outcomeOf(b);
    if (x !== y) out.push({ step: i + 1, what: `step ${i + 1}`, smmu: x ?? 'no kernel outcome', vtd: y ?? 'no kernel outcome' });
  }
  return out;
}
