/**
 * SMMUv3 step kinds: bring the SMMU up, write its registers, write or update
 * STEs and CDs field by field, issue commands (steps-cmdq.ts), and send DMA
 * transactions through it. Field and register names are the SMMUv3
 * specification's, checked against the engine's own tables.
 */
import { z } from './zod.ts';
import type { SmmuFeatures } from '../engine/hw/smmu/features.ts';
import { REGISTER_NAMES, REGISTERS, type RegisterName } from '../engine/hw/smmu/registers.ts';
import { cdFieldsSchema, steFieldsSchema } from './entry-fields.ts';
import { boolField, hexField, intField, noteField, shown } from './fields.ts';
import { suggestName } from './suggest.ts';

const choice = <const T extends readonly [string, ...string[]]>(values: T, description: string) =>
  z
    .enum(values, {
      error: (issue) => (issue.input === undefined ? undefined : `must be ${values.map((v) => `"${v}"`).join(' or ')} (got ${shown(issue.input)})`),
    })
    .meta({ description });

export const MAX_STREAM_ID = 0xffff_ffff;
export const MAX_SUBSTREAM_ID = 0xf_ffff;

export const sidField = () => intField(0, MAX_STREAM_ID, 'StreamID: which device (its STE in the stream table).', 'a 32-bit StreamID');
export const ssidField = (description: string) => intField(0, MAX_SUBSTREAM_ID, description, 'a 20-bit SubstreamID');

const OAS_BITS = [32, 36, 40, 42, 44, 48, 52] as const;

const featureShape = {
  stage1: boolField('IDR0.S1P: stage-1 translation.').optional(),
  stage2: boolField('IDR0.S2P: stage-2 translation.').optional(),
  twoLevelStreamTable: boolField('IDR0.ST_LEVEL: 2-level stream tables.').optional(),
  twoLevelCdTable: boolField('IDR0.CD2L: 2-level CD tables.').optional(),
  ats: boolField('IDR0.ATS: PCIe ATS.').optional(),
  pri: boolField('IDR0.PRI: PCIe PRI.').optional(),
  httu: boolField('IDR0.HTTU: hardware access-flag and dirty-state updates.').optional(),
  stall: boolField('IDR0.STALL_MODEL: stalling faults.').optional(),
  asid16: boolField('IDR0.ASID16: 16-bit ASIDs.').optional(),
  vmid16: boolField('IDR0.VMID16: 16-bit VMIDs.').optional(),
  hyp: boolField('IDR0.HYP: the EL2 StreamWorld.').optional(),
  sidBits: intField(0, 32, 'IDR1.SIDSIZE: StreamID bits.').optional(),
  ssidBits: intField(0, 20, 'IDR1.SSIDSIZE: SubstreamID bits.').optional(),
  cmdqLog2: intField(0, 19, 'IDR1.CMDQS: log2 of the largest command queue.').optional(),
  evtqLog2: intField(0, 19, 'IDR1.EVTQS: log2 of the largest event queue.').optional(),
  oasBits: z
    .union(OAS_BITS.map((b) => z.literal(b)), {
      error: (issue) => (issue.input === undefined ? undefined : `must be one of ${OAS_BITS.join(', ')} (got ${shown(issue.input)})`),
    })
    .optional()
    .meta({ description: 'IDR5.OAS: output address size in bits.' }),
  granules: z
    .strictObject({
      g4k: boolField('IDR5.GRAN4K').optional(),
      g16k: boolField('IDR5.GRAN16K').optional(),
      g64k: boolField('IDR5.GRAN64K').optional(),
    })
    .optional()
    .meta({ description: 'IDR5.GRAN4K/16K/64K: the granules implemented; those left out keep the preset.' }),
} satisfies Record<keyof SmmuFeatures, z.ZodType>;

export const smmuFeaturesSchema = z.strictObject(featureShape).meta({ description: 'Features that differ from the preset (what IDR0, IDR1 and IDR5 advertise).' });

export const smmuProbeStep = z.strictObject({
  kind: z.literal('smmu.probe'),
  preset: choice(['full', 'qemu'], '"full": everything the model implements; "qemu": as QEMU\'s smmuv3 device advertises itself (stage 1 only, 44-bit OAS, linear CD tables).'),
  streamTable: choice(['linear', '2-level'], 'STRTAB_BASE_CFG.FMT: a linear stream table, or 2-level with 256 STEs per L2 table (SPLIT = 8, as Linux).'),
  log2size: intField(0, 32, 'STRTAB_BASE_CFG.LOG2SIZE: StreamIDs the table covers (default 8 for linear, SIDSIZE for 2-level).').optional(),
  cmdqLog2: intField(0, 19, 'CMDQ_BASE.LOG2SIZE (default 8).').optional(),
  evtqLog2: intField(0, 19, 'EVTQ_BASE.LOG2SIZE (default 7).').optional(),
  features: smmuFeaturesSchema.optional(),
  note: noteField.optional(),
});

export const WRITABLE_REGISTERS = REGISTER_NAMES.filter((name) => !REGISTERS[name].readOnly) as [RegisterName, ...RegisterName[]];

function registerMessage(input: unknown): string {
  if (typeof input !== 'string') return `must be a register name such as "CR0" (got ${shown(input)})`;
  if (REGISTER_NAMES.includes(input as RegisterName)) {
    return `${input} is read-only: it reports the SMMU's state or features (use smmu.probe's "features" to change what the ID registers say)`;
  }
  const near = suggestName(input, WRITABLE_REGISTERS);
  return `unknown register ${shown(input)}; ${near ? `did you mean "${near}"?` : `the writable registers are ${WRITABLE_REGISTERS.join(', ')}`}`;
}

export const smmuWriteRegisterStep = z.strictObject({
  kind: z.literal('smmu.writeRegister'),
  register: z
    .enum(WRITABLE_REGISTERS, { error: (issue) => (issue.input === undefined ? undefined : registerMessage(issue.input)) })
    .meta({ description: 'The register, by its SMMU_ name without the prefix: "CR0", "GBPA", "CMDQ_PROD" ...' }),
  value: hexField('The value written; it must fit the register (32 or 64 bits).'),
  note: noteField.optional(),
});

export const smmuWriteSteStep = z.strictObject({
  kind: z.literal('smmu.writeSte'),
  sid: sidField(),
  fields: steFieldsSchema,
  note: noteField.optional(),
});

export const smmuUpdateSteStep = z.strictObject({
  kind: z.literal('smmu.updateSte'),
  sid: sidField(),
  fields: steFieldsSchema,
  note: noteField.optional(),
});

/** Linux writes a CD before the STE that points at its table, so a step may name the (linear) table itself. */
const cdTableField = () => hexField('PA of a linear CD table: the CD is written at cdTable + 64 x ssid, whatever the STE says. Leave it out to follow the STE (S1ContextPtr).').optional();

const cdSsid = () => ssidField('SubstreamID: which CD of the stream\'s CD table (0 for a stream without SubstreamIDs).');

export const smmuWriteCdStep = z.strictObject({
  kind: z.literal('smmu.writeCd'),
  sid: sidField(),
  ssid: cdSsid(),
  fields: cdFieldsSchema,
  cdTable: cdTableField(),
  note: noteField.optional(),
});

export const smmuUpdateCdStep = z.strictObject({
  kind: z.literal('smmu.updateCd'),
  sid: sidField(),
  ssid: cdSsid(),
  fields: cdFieldsSchema,
  cdTable: cdTableField(),
  note: noteField.optional(),
});

export const smmuDmaStep = z.strictObject({
  kind: z.literal('smmu.dma'),
  sid: sidField(),
  ssid: ssidField('The transaction\'s SubstreamID (PASID); leave it out for a transaction without one.').optional(),
  address: hexField('The input address the device puts on the bus (an IOVA, or an IPA for stage 2 only).'),
  access: choice(['read', 'write', 'exec'], 'Read, write, or instruction fetch (RnW / InD in an event record).'),
  privileged: boolField('A privileged access (PnU = 1). Default true.').optional(),
  note: noteField.optional(),
});

export type SmmuProbeStep = z.infer<typeof smmuProbeStep>;
export type SmmuWriteRegisterStep = z.infer<typeof smmuWriteRegisterStep>;
export type SmmuWriteSteStep = z.infer<typeof smmuWriteSteStep>;
export type SmmuUpdateSteStep = z.infer<typeof smmuUpdateSteStep>;
export type SmmuWriteCdStep = z.infer<typeof smmuWriteCdStep>;
export type SmmuUpdateCdStep = z.infer<typeof smmuUpdateCdStep>;
export type SmmuDmaStep = z.infer<typeof smmuDmaStep>;
