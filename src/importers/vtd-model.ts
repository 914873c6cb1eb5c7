/**
 * The two debugfs dumps read together: a domain_translation_struct table
 * is decoded as first- or second-stage entries according to the context or
 * PASID entry dmar_translation_struct showed for the same device, and the
 * table address each names is checked against the other.
 */
import { CONTEXT_LEGACY, PASID_ENTRY, PGTT_NAMES, field } from './vtd-fields.ts';
import type { ContextRow, DmarUnit, PasidRow } from './vtd-dmar.ts';
import type { DomainDump } from './vtd-domain.ts';

export type Stage = 'first' | 'second' | 'unknown';

export interface DomainView {
  readonly dump: DomainDump;
  readonly stage: Stage;
  /** Why the stage is what it is, for the reader. */
  readonly stageReason: string;
  readonly notes: readonly string[];
}

export interface VtdModel {
  readonly units: readonly DmarUnit[];
  readonly domains: readonly DomainView[];
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

interface Found {
  readonly unit: DmarUnit;
  readonly device: ContextRow;
  readonly pasid: PasidRow | undefined;
}

function find(units: readonly DmarUnit[], dump: DomainDump): Found | undefined {
  const b = dump.bdf;
  if (!b) return undefined;
  const hits: Found[] = [];
  for (const unit of units) {
    for (const bus of unit.buses) {
      if (bus.bus !== b.bus) continue;
      const device = bus.devices.find((d) => d.device === b.device && d.fn === b.fn);
      if (!device) continue;
      const pasid = unit.mode === 'scalable' ? device.pasids.find((p) => p.pasid === (dump.pasid ?? 0)) : undefined;
      hits.push({ unit, device, pasid });
    }
  }
  // The dmar dump has no segment: two matches mean two segments, and neither can be chosen.
  return hits.length === 1 ? hits[0] : undefined;
}

function view(units: readonly DmarUnit[], dump: DomainDump): DomainView {
  const notes: string[] = [];
  if (dump.pasid !== undefined && dump.pasid !== 0 && units.length === 0) notes.push(`PASID ${dump.pasid}: read as hex, as Linux 6.7 and later print it`);
  const found = find(units, dump);
  if (!found) {
    if (dump.pasid === undefined && units.length === 0) return { dump, stage: 'second', stageReason: 'no PASID in the header: a legacy-mode table, always second stage', notes };
    return { dump, stage: 'unknown', stageReason: units.length === 0 ? 'paste dmar_translation_struct too to know whether this is a first- or second-stage table' : 'dmar_translation_struct has no entry for this device, so the stage is unknown', notes };
  }
  const { unit, device, pasid } = found;
  if (unit.mode === 'legacy') {
    const slpt = field(CONTEXT_LEGACY, device.context, 'SLPTPTR') ?? 0n;
    if (slpt !== dump.pgd) notes.push(`the context entry's SLPTPTR is ${hex(slpt)}, not ${hex(dump.pgd)}: the domain changed between the two dumps, or they come from different boots`);
    return { dump, stage: 'second', stageReason: `legacy mode (${unit.name}): the context entry's SLPTPTR points to a second-stage table`, notes };
  }
  if (!pasid) return { dump, stage: 'unknown', stageReason: `${unit.name} shows no PASID ${dump.pasid ?? 0} entry for this device`, notes };
  const pgtt = field(PASID_ENTRY, pasid.entry, 'PGTT') ?? 0n;
  const name = PGTT_NAMES[pgtt.toString()] ?? 'a reserved PGTT';
  const pointer = pgtt === 1n ? 'FLPTR' : 'SLPTPTR';
  const expected = field(PASID_ENTRY, pasid.entry, pointer) ?? 0n;
  if (pgtt !== 4n && expected !== dump.pgd) notes.push(`the PASID entry's ${pointer} is ${hex(expected)}, not ${hex(dump.pgd)}: the domain changed between the two dumps, or they come from different boots`);
  const stage: Stage = pgtt === 1n ? 'first' : pgtt === 2n || pgtt === 3n ? 'second' : 'unknown';
  return { dump, stage, stageReason: `PASID ${pasid.pasid} entry on ${unit.name} has PGTT ${pgtt}: ${name}`, notes };
}

export function linkVtd(units: readonly DmarUnit[], domains: readonly DomainDump[]): VtdModel {
  return { units, domains: domains.map((d) => view(units, d)) };
}
