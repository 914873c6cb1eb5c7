/**
 * Intel VT-d step kinds: bring a unit up, write its registers, write context
 * and PASID entries field by field, build VT-d page tables, queue
 * invalidation descriptors, and send DMA through it. Field names are the
 * VT-d spec's as Linux spells them (SLPTPTR, FLPTR, PGTT ...), checked
 * against the engine's own field tables.
 */
import { z } from './zod.ts';
import { VTD_PRESETS } from '../engine/hw/vtd/features.ts';
import { WRITABLE } from '../engine/hw/vtd/registers.ts';
import { LEGACY_CONTEXT_FIELDS, PASID_ENTRY_FIELDS, SM_CONTEXT_FIELDS } from '../engine/hw/vtd/structures.ts';
import { fieldsObjectSchema } from './entry-fields.ts';
import { boolField, hexField, intField, nameField, noteField, shown } from './fields.ts';

const choice = <const T extends readonly [string, ...string[]]>(values: T, description: string) =>
  z
    .enum(values, {
      error: (issue) => (issue.input === undefined ? undefined : `must be ${values.map((v) => `"${v}"`).join(' or ')} (got ${shown(issue.input)})`),
    })
    .meta({ description });

const requesterId = () => intField(0, 0xffff, 'Requester ID (source-id): bus << 8 | devfn, e.g. 0x0300 for 03:00.0.', 'bus << 8 | device << 3 | function');
const pasidField = (description: string) => intField(0, 0xf_ffff, description, 'a 20-bit PASID');
const didField = () => intField(0, 0xffff, 'Domain identifier (DID).');

export const vtdProbeStep = z.strictObject({
  kind: z.literal('vtd.probe'),
  preset: choice(Object.keys(VTD_PRESETS) as [keyof typeof VTD_PRESETS, ...(keyof typeof VTD_PRESETS)[]], '"scalable": first-stage, second-stage, nested and pass-through, 5-level; "legacy": legacy root/context tables only; "qemu": as QEMU\'s intel-iommu with x-scalable-mode=on,x-flts=on.'),
  mode: choice(['scalable', 'legacy'], 'RTADDR.TTM: scalable mode (the default where ECAP.SMTS) or legacy mode (intel_iommu=sm_off).').optional(),
  enable: boolField('Set GCMD.TE at the end of the probe. Default true.').optional(),
  features: z
    .strictObject({
      mgaw: intField(39, 57, 'CAP.MGAW + 1: 39, 48 or 57.').optional(),
      haw: intField(32, 52, 'Host (physical) address width.').optional(),
      sagaw: intField(0, 31, 'CAP.SAGAW bits: 2 = 3-level, 4 = 4-level, 8 = 5-level second-stage tables.').optional(),
      sllps: intField(0, 3, 'CAP.SLLPS: bit 0 = 2 MB, bit 1 = 1 GB second-stage pages.').optional(),
      fl1gp: boolField('CAP.FL1GP: 1 GB first-stage pages.').optional(),
      fl5lp: boolField('CAP.FL5LP: 5-level first-stage paging.').optional(),
      nfr: intField(1, 256, 'CAP.NFR + 1: fault recording registers.').optional(),
      flts: boolField('ECAP.FLTS: first-stage translation.').optional(),
      slts: boolField('ECAP.SLTS: second-stage translation.').optional(),
      nest: boolField('ECAP.NEST: nested translation.').optional(),
      pt: boolField('ECAP.PT: pass-through.').optional(),
      srs: boolField('ECAP.SRS: supervisor requests.').optional(),
    })
    .optional()
    .meta({ description: 'Features that differ from the preset (what CAP and ECAP advertise).' }),
  note: noteField.optional(),
});

export const vtdWriteRegisterStep = z.strictObject({
  kind: z.literal('vtd.writeRegister'),
  register: choice(WRITABLE as unknown as [string, ...string[]], 'The register, by its DMAR_ name without prefix or _REG: "GCMD", "RTADDR", "IQT", "FSTS" ...'),
  value: hexField('The value written.'),
  note: noteField.optional(),
});

export const vtdClearFaultStep = z.strictObject({
  kind: z.literal('vtd.clearFault'),
  index: intField(0, 255, 'Which fault recording register: software writes 1 to its F bit.'),
  note: noteField.optional(),
});

/** Scalable-mode fields, then the legacy-only ones: the engine takes the set the root table's mode says. */
const CONTEXT_FIELDS = [...SM_CONTEXT_FIELDS, ...LEGACY_CONTEXT_FIELDS.filter((f) => !SM_CONTEXT_FIELDS.some((s) => s.name === f.name))];

export const vtdWriteContextStep = z.strictObject({
  kind: z.literal('vtd.writeContext'),
  sid: requesterId(),
  fields: fieldsObjectSchema(CONTEXT_FIELDS, 'VtdContextFields', 'Context-entry fields. Scalable mode: P, FPD, DTE, PASIDE, PRE, PDTS, PASIDDIRPTR, RID_PASID. Legacy mode: P, FPD, TT, SLPTPTR, AW, DID. Fields left out are 0.'),
  note: noteField.optional(),
});

export const vtdWritePasidEntryStep = z.strictObject({
  kind: z.literal('vtd.writePasidEntry'),
  sid: requesterId(),
  pasid: pasidField('The PASID: PASID[19:6] picks the directory entry, PASID[5:0] the entry in its PASID table.'),
  fields: fieldsObjectSchema(PASID_ENTRY_FIELDS, 'VtdPasidEntryFields', 'PASID-entry fields (P, FPD, AW, PGTT, SLPTPTR, DID, SRE, ERE, FLPM, WPE, NXE, FLPTR ...). Fields left out are 0.'),
  note: noteField.optional(),
});

export const vtdCreatePgtableStep = z.strictObject({
  kind: z.literal('vtd.createPgtable'),
  name: nameField('Name by which later steps refer to this page table.'),
  format: choice(['first-stage', 'second-stage'], 'first-stage: x86-64 paging (P, R/W, U/S, XD); second-stage: the VT-d format (R, W, X).'),
  levels: intField(3, 5, 'Levels: first stage 4 (PML4) or 5 (PML5); second stage 3, 4 or 5 (AW + 2).'),
  note: noteField.optional(),
});

export const vtdMapStep = z.strictObject({
  kind: z.literal('vtd.map'),
  table: nameField('The VT-d page table, by the name given in a vtd.createPgtable step.'),
  iova: hexField('First input address of the range.'),
  paddr: hexField('Physical (or guest-physical) address the first input address maps to.'),
  size: hexField('Bytes to map; 2 MB and 1 GB pages where alignment allows.'),
  read: boolField('Readable. Default true.').optional(),
  write: boolField('Writable (R/W = 1, or W = 1). Default true.').optional(),
  user: boolField('First stage: U/S = 1 (Linux sets it for DMA domains). Default true.').optional(),
  exec: boolField('Executable: XD = 0 (first stage), X = 1 (second stage). Default false.').optional(),
  note: noteField.optional(),
});

export const vtdUnmapStep = z.strictObject({
  kind: z.literal('vtd.unmap'),
  table: nameField('The VT-d page table.'),
  iova: hexField('First input address of the range.'),
  size: hexField('Bytes to unmap.'),
  note: noteField.optional(),
});

const addr = (d: string) => hexField(d).optional();

const descriptorSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('context-cache'), granularity: choice(['global', 'domain', 'device'], 'Global, domain-selective (DID) or device-selective (SID, FM).'), did: didField().optional(), sid: requesterId().optional(), fm: intField(0, 3, 'Function mask: SID bits masked (1: bit 2, 2: bits 2:1, 3: bits 2:0).').optional() }),
  z.strictObject({ type: z.literal('iotlb'), granularity: choice(['global', 'domain', 'page'], 'Global, domain-selective or page-selective within a domain.'), did: didField().optional(), address: addr('Page address (page-selective).'), am: intField(0, 63, 'Address mask: 2^AM pages from address.').optional(), ih: boolField('Invalidation hint: leaf entries only.').optional() }),
  z.strictObject({ type: z.literal('pasid-iotlb'), granularity: choice(['pasid', 'page'], 'All of a PASID within a domain, or pages of it.'), did: didField(), pasid: pasidField('The PASID.'), address: addr('Page address (page-selective).'), am: intField(0, 63, 'Address mask.').optional(), ih: boolField('Invalidation hint.').optional() }),
  z.strictObject({ type: z.literal('pasid-cache'), granularity: choice(['domain', 'pasid', 'global'], 'Domain-selective, PASID-selective within a domain, or global.'), did: didField().optional(), pasid: pasidField('The PASID.').optional() }),
  z.strictObject({ type: z.literal('device-iotlb'), sid: requesterId(), address: hexField('Address (with S: a range encoded in its low bits).'), size: boolField('S: the address encodes a range.').optional(), pfsid: intField(0, 0xffff, 'Physical function source-id.').optional(), qdep: intField(0, 31, 'Invalidate queue depth.').optional() }),
  z.strictObject({ type: z.literal('wait'), statusAddress: addr('Status write address (SW = 1).'), statusData: intField(0, 0xffff_ffff, 'The 32-bit status data written.').optional(), if: boolField('IF: set ICS.IWC (completion interrupt).').optional(), fn: boolField('FN: fence later descriptors.').optional() }),
], { error: (issue) => (issue.input === undefined ? undefined : 'must be a descriptor: "type" is "context-cache", "iotlb", "pasid-iotlb", "pasid-cache", "device-iotlb" or "wait"') });

export const vtdInvalidateStep = z.strictObject({
  kind: z.literal('vtd.invalidate'),
  descriptors: z.array(descriptorSchema).min(1).max(64).meta({ description: 'Descriptors put in the invalidation queue, in order; one IQT write publishes them.' }),
  note: noteField.optional(),
});

export const vtdDmaStep = z.strictObject({
  kind: z.literal('vtd.dma'),
  sid: requesterId(),
  pasid: pasidField('A request with PASID; leave it out for a request without (scalable mode then uses RID_PASID).').optional(),
  address: hexField('The address the device puts on the bus.'),
  access: choice(['read', 'write', 'exec'], 'Read, write, or an execute request (ER = 1).'),
  privileged: boolField('A supervisor request (PR = 1; meaningful with a PASID). Default false.').optional(),
  note: noteField.optional(),
});

export type VtdInvalidateStep = z.infer<typeof vtdInvalidateStep>;
