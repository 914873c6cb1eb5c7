/**
 * The differences panel: what the two IOMMUs do differently with the same
 * kernel objects, worded from the structures the two runs hold at this step
 * (every address and number is read from them). A topic appears only when
 * the state has something for it: a nested (user-owned) page table, an SVA
 * bond, or invalidations sent by this step.
 */
import type { EngineEvent } from '../engine/index.ts';
import type { CompareDevice, DifferenceItem, SmmuCdRow, VtdPasidRow } from './compare-types.ts';

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;

interface NestedSmmu { readonly device: CompareDevice; readonly cds: readonly SmmuCdRow[] }
interface NestedVtd { readonly device: CompareDevice; readonly row: VtdPasidRow }

function nestedOn(devices: readonly CompareDevice[]): { smmu: NestedSmmu[]; vtd: NestedVtd[] } {
  const smmu = devices.filter((d) => d.smmu?.ste?.config === 'nested').map((d) => ({ device: d, cds: d.smmu?.cds ?? [] }));
  const vtd = devices.flatMap((d) => (d.vtd?.pasids ?? []).filter((p) => p.pgtt === 'nested').map((row) => ({ device: d, row })));
  return { smmu, vtd };
}

const who = (d: CompareDevice): string => `${d.name} (${d.bdf})`;

function userPgtable(n: { smmu: NestedSmmu[]; vtd: NestedVtd[] }): DifferenceItem {
  const smmu = n.smmu.map(({ device, cds }) => {
    const s = device.smmu;
    const f = s?.ste?.fields;
    const size = s?.cdTable?.size ?? 1;
    const covers = size === 1 ? 'holds the one CD of the StreamID (S1CDMax = 0: no SubstreamIDs)' : `covers all ${size} SubstreamIDs of the StreamID (S1CDMax = ${f?.S1CDMax ?? 0n})`;
    return `${who(device)}: the STE of StreamID ${hex(s?.sid ?? 0)} has Config = nested and S1ContextPtr = ${hex(f?.S1ContextPtr ?? 0n)}, an IPA: the guest's CD table, which ${covers}, ${cds.length} valid CD${cds.length === 1 ? '' : 's'} in it now. The user page table is bound to the whole RID, every PASID included.`;
  });
  const vtd = n.vtd.map(({ device, row }) =>
    `${who(device)}: PASID entry ${row.pasid} has PGTT = nested and FLPTR = ${hex(row.fields.FLPTR)}, the guest's first-stage table: it serves requester ID ${hex(device.vtd?.rid ?? 0)} with PASID ${row.pasid} only. Another PASID needs its own entry, written by the host.`);
  return {
    topic: 'user-pgtable', title: 'Where a user page table attaches',
    smmu: smmu.join(' ') || 'No STE is nested at this step: no user (guest) page table is attached on the SMMU.',
    vtd: vtd.join(' ') || 'No PASID entry has PGTT = nested at this step: no user (guest) page table is attached on VT-d.',
  };
}

function guestOwns(n: { smmu: NestedSmmu[]; vtd: NestedVtd[] }): DifferenceItem {
  const smmu = n.smmu.map(({ device, cds }) => {
    const ttbs = cds.map((c) => `CD ${c.ssid}: TTB0 = ${hex(c.fields.TTB0)}`).join(', ');
    return `${who(device)}: the CD table at IPA ${hex(device.smmu?.ste?.fields.S1ContextPtr ?? 0n)} and every stage-1 table its CDs point at${ttbs ? ` (${ttbs})` : ''}, all addressed by IPA. The host owns only the STE.`;
  });
  const vtd = n.vtd.map(({ device, row }) =>
    `${who(device)}: only the first-stage tables (FLPTR = ${hex(row.fields.FLPTR)}, a guest-physical address). The PASID table at ${hex(row.address & ~0xfffn)} and this PASID entry stay host-owned: the host wrote them from what the guest asked for.`);
  return {
    topic: 'guest-owns', title: 'What the guest owns',
    smmu: smmu.join(' ') || 'Nothing at this step: no nested STE.',
    vtd: vtd.join(' ') || 'Nothing at this step: no nested PASID entry.',
  };
}

function stage2(n: { smmu: NestedSmmu[]; vtd: NestedVtd[] }): DifferenceItem {
  const smmu = n.smmu.map(({ device, cds }) => {
    const f = device.smmu?.ste?.fields;
    const fetch = cds[0]?.ipa !== undefined && cds[0]?.address !== undefined ? ` (CD ${cds[0].ssid}: IPA ${hex(cds[0].ipa)} -> PA ${hex(cds[0].address)})` : '';
    return `${who(device)}: S2TTB = ${hex(f?.S2TTB ?? 0n)}, VMID ${f?.S2VMID ?? 0n}, translates every CD fetch${fetch}, every stage-1 table walk and the stage-1 output.`;
  });
  const vtd = n.vtd.map(({ device, row }) =>
    `${who(device)} PASID ${row.pasid}: SLPTPTR = ${hex(row.fields.SLPTPTR)}, DID ${row.fields.DID}, translates the first-stage table walks and their output. The PASID entry itself is fetched by host-physical address: stage 2 never sees it.`);
  return {
    topic: 'stage2', title: 'What stage 2 translates',
    smmu: smmu.join(' ') || 'Nothing nested at this step: no stage 2 under a stage 1.',
    vtd: vtd.join(' ') || 'Nothing nested at this step: no second stage under a first stage.',
  };
}

function sva(devices: readonly CompareDevice[]): DifferenceItem | undefined {
  const smmu = devices.flatMap((d) => (d.smmu?.cds ?? []).filter((c) => c.owner.mm).map((c) =>
    `${who(d)}: CD ${c.ssid} of StreamID ${hex(d.smmu?.sid ?? 0)} (SSID = PASID ${c.ssid}) holds ASID ${c.fields.ASID}, the SVA domain's own, and TTB0 = ${hex(c.fields.TTB0)}, ${c.owner.mm}'s CPU page table itself${c.fields.EPD0 === 1n ? '; EPD0 = 1: the mm exited, walks are disabled' : ''}.`));
  const vtd = devices.flatMap((d) => (d.vtd?.pasids ?? []).filter((p) => p.owner.mm).map((p) =>
    `${who(d)}: PASID entry ${p.pasid} (directory entry ${p.dirIndex}, index ${p.pasid & 0x3f}) has PGTT = ${p.pgtt}, FLPTR = ${hex(p.fields.FLPTR)} (${p.pgtable?.name ?? `${p.owner.mm}'s page table`}), DID ${p.fields.DID}.`));
  if (smmu.length === 0 && vtd.length === 0) return undefined;
  return {
    topic: 'sva', title: 'Where SVA attaches',
    smmu: smmu.join(' ') || 'No SVA CD at this step.',
    vtd: vtd.join(' ') || 'No SVA PASID entry at this step.',
  };
}

function counted(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].map(([n, c]) => (c === 1 ? n : `${n} x${c}`)).join(', ');
}

/** The commands the SMMU consumed and the descriptors the VT-d unit processed in this step. */
export function stepInvalidations(smmu: readonly EngineEvent[], vtd: readonly EngineEvent[]): { smmu: string[]; vtd: string[] } {
  const ops: string[] = [];
  for (const e of smmu) {
    if (e.kind !== 'linux.called') continue;
    for (const h of e.hw) {
      if (h.kind === 'commands') ops.push(...h.consumed.map((c) => c.command?.op ?? 'unknown command'));
      if (h.kind === 'ste' || h.kind === 'cd') for (const s of h.update.executed) if (s.kind === 'sync') ops.push(...s.consumed.map((c) => c.command?.op ?? 'unknown command'));
    }
  }
  const descs: string[] = [];
  for (const e of vtd) {
    if (e.kind !== 'linux.called') continue;
    for (const h of e.hw) if (h.kind === 'vtd-qi') descs.push(...h.consumed.map((c) => c.summary));
  }
  return { smmu: ops, vtd: descs };
}

function invalidation(inv: { smmu: string[]; vtd: string[] }): DifferenceItem | undefined {
  if (inv.smmu.length === 0 && inv.vtd.length === 0) return undefined;
  return {
    topic: 'invalidation', title: 'The invalidations this step needed',
    smmu: inv.smmu.length ? `The SMMU consumed ${counted(inv.smmu)}.` : 'No command.',
    vtd: inv.vtd.length ? `The unit processed ${inv.vtd.join('; ')}.` : 'No invalidation descriptor.',
  };
}

export function differences(devices: readonly CompareDevice[], smmuEvents: readonly EngineEvent[], vtdEvents: readonly EngineEvent[]): DifferenceItem[] {
  const n = nestedOn(devices);
  const out: DifferenceItem[] = [];
  if (n.smmu.length > 0 || n.vtd.length > 0) out.push(userPgtable(n), guestOwns(n), stage2(n));
  const s = sva(devices);
  if (s) out.push(s);
  const inv = invalidation(stepInvalidations(smmuEvents, vtdEvents));
  if (inv) out.push(inv);
  return out;
}
