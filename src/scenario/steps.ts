/**
 * Step kinds of the v1 scenario format: one per EngineCommand. The format
 * grows by adding a kind here (the SMMUv3 kinds are in steps-smmu.ts and
 * steps-cmdq.ts, the Linux IOMMU core's in steps-linux.ts; VT-d comes later), never by
 * changing the meaning of one. Field names are the specification's: CD fields
 * for a stage-1 pgtable.create, the STE's VTCR fields for a stage-2 one.
 */
import { z } from './zod.ts';
import { boolField, hexField, intField, nameField, noteField, shown } from './fields.ts';
import { smmuCommandsStep } from './steps-cmdq.ts';
import { linuxBootStep, linuxCallSchema, linuxDmaStep, type LinuxCallStep } from './steps-linux.ts';
import { protSchema } from './steps-prot.ts';
import { smmuDmaBurstStep } from './smmu-burst.ts';
import { smmuDmaStep, smmuProbeStep, smmuUpdateCdStep, smmuUpdateSteStep, smmuWriteCdStep, smmuWriteRegisterStep, smmuWriteSteStep } from './steps-smmu.ts';
import { vtdClearFaultStep, vtdCreatePgtableStep, vtdDmaStep, vtdInvalidateStep, vtdMapStep, vtdProbeStep, vtdUnmapStep, vtdWriteContextStep, vtdWritePasidEntryStep, vtdWriteRegisterStep } from './steps-vtd.ts';

export { PROT_PATTERN, protObjectSchema, protSchema, type ProtSpec } from './steps-prot.ts';

export const memoryWriteStep = z.strictObject({
  kind: z.literal('memory.write'),
  address: hexField('Physical address of the store.'),
  value: hexField('The value stored (little-endian); must fit in `size` bytes.'),
  size: z
    .union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)], {
      error: (issue) => (issue.input === undefined ? undefined : `must be 1, 2, 4 or 8 bytes (got ${shown(issue.input)})`),
    })
    .optional()
    .meta({ description: 'Bytes written: 1, 2, 4 or 8. Default 8.' }),
  note: noteField.optional(),
});

const tableRef = () => nameField('The page table, by the name given in an earlier pgtable.create step.');

export const pgtableCreateStep = z.strictObject({
  kind: z.literal('pgtable.create'),
  stage: z
    .literal(1, { error: (issue) => (issue.input === undefined ? undefined : `must be 1 (stage 1, the default) or 2 (stage 2) (got ${shown(issue.input)})`) })
    .optional()
    .meta({ description: 'Stage 1 (the default): a table walked per a Context Descriptor.' }),
  name: nameField('Name by which later steps refer to this page table.'),
  TG0: intField(0, 2, 'Translation granule for TTB0: 0 = 4KB, 1 = 64KB, 2 = 16KB (CD.TG0).', '0 = 4KB, 1 = 64KB, 2 = 16KB'),
  T0SZ: intField(16, 39, 'The input address size is 64 - T0SZ bits (CD.T0SZ).', 'the input size 64 - T0SZ is 25 to 48 bits'),
  IPS: intField(0, 6, 'Output address size: 0 = 32, 1 = 36, 2 = 40, 3 = 42, 4 = 44, 5 = 48, 6 = 52 bits (CD.IPS).', '0 = 32, 1 = 36, 2 = 40, 3 = 42, 4 = 44, 5 = 48, 6 = 52 bits').optional(),
  TTB0: hexField('Base of the level-0 (start-level) table. Omit it and the engine allocates one in table memory (CD.TTB0).').optional(),
  EPD0: boolField('Disable walks through TTB0: every walk faults (CD.EPD0).').optional(),
  TTB1: hexField('Base of the TTB1 table (CD.TTB1).').optional(),
  T1SZ: intField(16, 39, 'Input size of the TTB1 region is 64 - T1SZ bits (CD.T1SZ).').optional(),
  TG1: intField(1, 3, 'Granule for TTB1, in the TCR_EL1.TG1 encoding: 1 = 16KB, 2 = 4KB, 3 = 64KB (CD.TG1).', '1 = 16KB, 2 = 4KB, 3 = 64KB').optional(),
  EPD1: boolField('Disable walks through TTB1 (CD.EPD1).').optional(),
  AFFD: boolField('Access-flag fault disable: a descriptor with AF = 0 is then not a fault (CD.AFFD).').optional(),
  TBI: intField(0, 3, 'Top-byte ignore: bit 0 for the TTB0 region, bit 1 for TTB1 (CD.TBI).').optional(),
  HAD0: boolField('Hierarchical attribute disable for TTB0: APTable/XNTable are ignored (CD.HAD0).').optional(),
  HAD1: boolField('Hierarchical attribute disable for TTB1 (CD.HAD1).').optional(),
  note: noteField.optional(),
});

/** The STE's VTCR fields that a stage-2 io-pgtable is created with (Linux: ARM_64_LPAE_S2). */
export const STAGE2_CREATE_FIELDS = ['S2TG', 'S2T0SZ', 'S2SL0', 'S2PS', 'S2AFFD', 'S2TTB'] as const;

export const pgtableCreateStage2Step = z.strictObject({
  kind: z.literal('pgtable.create'),
  stage: z.literal(2).meta({ description: 'Stage 2: a table walked per the STE\'s VTCR fields and S2TTB; its input is an IPA.' }),
  name: nameField('Name by which later steps refer to this page table.'),
  S2TG: intField(0, 2, 'Stage-2 granule: 0 = 4KB, 1 = 64KB, 2 = 16KB (STE.S2TG, VTCR.TG0).', '0 = 4KB, 1 = 64KB, 2 = 16KB'),
  S2T0SZ: intField(16, 39, 'The IPA size is 64 - S2T0SZ bits (STE.S2T0SZ).', 'the IPA size 64 - S2T0SZ is 25 to 48 bits'),
  S2SL0: intField(0, 2, 'Starting level of the walk: level 2 - S2SL0 for 4KB, 3 - S2SL0 for 16KB and 64KB (STE.S2SL0).', 'S2SL0 = 3 is reserved'),
  S2PS: intField(0, 6, 'Output (physical) address size: 0 = 32, 1 = 36, 2 = 40, 3 = 42, 4 = 44, 5 = 48, 6 = 52 bits (STE.S2PS). Default 5.', '0 = 32, 1 = 36, 2 = 40, 3 = 42, 4 = 44, 5 = 48, 6 = 52 bits').optional(),
  S2AFFD: boolField('Stage-2 access-flag fault disable (STE.S2AFFD).').optional(),
  S2TTB: hexField('Base of the start-level table(s) (STE.S2TTB). Omit it and the engine allocates them in table memory.').optional(),
  note: noteField.optional(),
});

export const pgtableMapStep = z.strictObject({
  kind: z.literal('pgtable.map'),
  table: tableRef(),
  iova: hexField('First input address (IOVA) of the range.'),
  paddr: hexField('Physical address the first IOVA maps to.'),
  size: hexField('Bytes to map; the engine picks block entries where size and alignment allow.'),
  prot: protSchema,
  note: noteField.optional(),
});

export const pgtableUnmapStep = z.strictObject({
  kind: z.literal('pgtable.unmap'),
  table: tableRef(),
  iova: hexField('First IOVA of the range to unmap.'),
  size: hexField('Bytes to unmap.'),
  note: noteField.optional(),
});

export const walkStep = z.strictObject({
  kind: z.literal('walk'),
  table: tableRef(),
  address: hexField('The input address (IOVA) to translate.'),
  access: z
    .enum(['read', 'write', 'exec'], {
      error: (issue) => (issue.input === undefined ? undefined : `must be "read", "write" or "exec" (got ${shown(issue.input)})`),
    })
    .meta({ description: 'The kind of access the device makes.' }),
  privileged: z
    .boolean({ error: (issue) => (issue.input === undefined ? undefined : `must be true or false (got ${shown(issue.input)})`) })
    .optional()
    .meta({ description: 'A privileged access (PnU = 1 in an SMMU event record). Default true.' }),
  stage2: nameField('A stage-2 table (pgtable.create with "stage": 2) to nest the walk through: every table address and the output are IPAs it translates.').optional(),
  note: noteField.optional(),
});

/** The fields of any linux.call step, whatever its call (for "unknown field" messages and the step-kind list). */
const linuxCallShape = z.strictObject({ kind: z.literal('linux.call'), call: z.string(), args: z.record(z.string(), z.unknown()), inflight: z.array(z.unknown()).optional(), note: noteField.optional() });

/** pgtable.create is stage 1 unless it says "stage": 2. */
export const pgtableCreateSchema = z.discriminatedUnion('stage', [pgtableCreateStep, pgtableCreateStage2Step]);

/** Every step kind, keyed by its `kind`; the union below and the error messages are built from it. */
export const stepSchemas = {
  'memory.write': memoryWriteStep,
  'pgtable.create': pgtableCreateStep,
  'pgtable.map': pgtableMapStep,
  'pgtable.unmap': pgtableUnmapStep,
  walk: walkStep,
  'smmu.probe': smmuProbeStep,
  'smmu.writeRegister': smmuWriteRegisterStep,
  'smmu.writeSte': smmuWriteSteStep,
  'smmu.updateSte': smmuUpdateSteStep,
  'smmu.writeCd': smmuWriteCdStep,
  'smmu.updateCd': smmuUpdateCdStep,
  'smmu.commands': smmuCommandsStep,
  'smmu.dma': smmuDmaStep,
  'smmu.dmaBurst': smmuDmaBurstStep,
  'linux.boot': linuxBootStep,
  /** One schema per call (steps-linux.ts); this entry names the fields every linux.call step has. */
  'linux.call': linuxCallShape,
  'linux.dma': linuxDmaStep,
  'vtd.probe': vtdProbeStep,
  'vtd.writeRegister': vtdWriteRegisterStep,
  'vtd.clearFault': vtdClearFaultStep,
  'vtd.writeContext': vtdWriteContextStep,
  'vtd.writePasidEntry': vtdWritePasidEntryStep,
  'vtd.createPgtable': vtdCreatePgtableStep,
  'vtd.map': vtdMapStep,
  'vtd.unmap': vtdUnmapStep,
  'vtd.invalidate': vtdInvalidateStep,
  'vtd.dma': vtdDmaStep,
} as const;

export type StepKind = keyof typeof stepSchemas;
export const STEP_KINDS = Object.keys(stepSchemas) as StepKind[];

export const stepSchema = z.discriminatedUnion('kind', [
  memoryWriteStep,
  pgtableCreateSchema,
  pgtableMapStep,
  pgtableUnmapStep,
  walkStep,
  smmuProbeStep,
  smmuWriteRegisterStep,
  smmuWriteSteStep,
  smmuUpdateSteStep,
  smmuWriteCdStep,
  smmuUpdateCdStep,
  smmuCommandsStep,
  smmuDmaStep,
  smmuDmaBurstStep,
  linuxBootStep,
  linuxCallSchema,
  linuxDmaStep,
  vtdProbeStep,
  vtdWriteRegisterStep,
  vtdClearFaultStep,
  vtdWriteContextStep,
  vtdWritePasidEntryStep,
  vtdCreatePgtableStep,
  vtdMapStep,
  vtdUnmapStep,
  vtdInvalidateStep,
  vtdDmaStep,
]);

/** linux.call steps read as LinuxCallStep: their args are plain JSON whose shape the call's entry in LINUX_CALL_TABLE gives. */
export type ScenarioStep = Exclude<z.infer<typeof stepSchema>, { kind: 'linux.call' }> | LinuxCallStep;
export type MemoryWriteStep = z.infer<typeof memoryWriteStep>;
export type PgtableCreateStep = z.infer<typeof pgtableCreateStep>;
export type PgtableCreateStage2Step = z.infer<typeof pgtableCreateStage2Step>;
export type PgtableMapStep = z.infer<typeof pgtableMapStep>;
export type PgtableUnmapStep = z.infer<typeof pgtableUnmapStep>;
export type WalkStepSpec = z.infer<typeof walkStep>;

/** The fields a step of this kind may carry, for "unknown field" messages; `stage` picks a pgtable.create's. */
export function fieldsOf(kind: string, stage?: unknown): string[] | undefined {
  if (!Object.hasOwn(stepSchemas, kind)) return undefined;
  if (kind === 'pgtable.create' && stage === 2) return Object.keys(pgtableCreateStage2Step.shape);
  return Object.keys(stepSchemas[kind as StepKind].shape);
}
