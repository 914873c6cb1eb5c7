/**
 * Linux IOMMU core step kinds: boot Linux on the SMMU (PCI devices, their
 * groups, default domains), make a kernel call by its Linux name, and send a
 * DMA from a device by name. A linux.call step is one schema per call of
 * LINUX_CALL_TABLE (so editors complete each call's arguments), plus one
 * generic schema for calls the engine knows that the table does not list.
 */
import { z } from './zod.ts';
import type { PciDeviceSpec } from '../engine/index.ts';
import { steFieldsSchema } from './entry-fields.ts';
import { boolField, hexField, intField, nameField, noteField, shown } from './fields.ts';
import { type ArgRole, type ArgSpec, LINUX_CALL_TABLE, UNLISTED_CALLS, signatureText } from './linux-calls.ts';
import { smmuFeaturesSchema } from './steps-smmu.ts';
import { protSchema } from './steps-prot.ts';

const choice = <const T extends readonly [string, ...string[]]>(values: T, description: string) =>
  z
    .enum(values, {
      error: (issue) => (issue.input === undefined ? undefined : `must be ${values.map((v) => `"${v}"`).join(', ')} (got ${shown(issue.input)})`),
    })
    .meta({ description });

/** bus:device.function, optionally with the segment: what the engine's parseBdf reads. */
export const BDF_PATTERN = /^\s*(?:[0-9a-fA-F]{1,4}:)?[0-9a-fA-F]{1,2}:(?:[01]?[0-9a-fA-F])\.[0-7]\s*$/;
const DEVFN_PATTERN = /^\s*[0-9a-fA-F]{1,2}\.[0-7]\s*$/;

export const PCI_DEVICE_TYPES = ['endpoint', 'rc-integrated', 'root-port', 'upstream-port', 'downstream-port', 'pcie-to-pci-bridge', 'pci', 'pci-bridge'] as const;

const deviceShape = {
  name: nameField('The device\'s name: how later steps refer to it.'),
  bdf: z
    .string({ error: (issue) => (issue.input === undefined ? undefined : `must be a PCI address "bus:device.function" such as "01:00.0" (got ${shown(issue.input)})`) })
    .regex(BDF_PATTERN, { error: (issue) => `must be a PCI address "bus:device.function" in hex, such as "01:00.0" or "0000:01:00.0", with a device number up to 1f and a function 0 to 7 (got ${shown(issue.input)})` })
    .meta({ description: 'The PCI address, bus:device.function in hex ("01:00.0"), optionally with the segment ("0000:01:00.0"). The requester ID is bus << 8 | device << 3 | function, and the StreamID the firmware gives it equals the RID.' }),
  type: choice(PCI_DEVICE_TYPES, 'PCI Express device/port type (PCI_EXP_TYPE_*), or conventional PCI. Default "endpoint".').optional(),
  parent: nameField('The bridge or port it sits behind, listed earlier. Left out: on the root bus.').optional(),
  multifunction: boolField('The header\'s multi-function bit. Default: another function shares the slot.').optional(),
  acs: boolField('An ACS capability with SV, RR, CR and UF enabled: the device (or port) isolates what is below it.').optional(),
  acsQuirk: boolField('A pci_dev_specific_acs_enabled quirk: known to isolate its functions without ACS.').optional(),
  dmaAliases: z
    .array(z.string().regex(DEVFN_PATTERN, { error: (issue) => `must be a device.function on the same bus, such as "00.1" (got ${shown(issue.input)})` }))
    .max(8)
    .optional()
    .meta({ description: 'Quirked DMA aliases (dma_alias_mask): other functions on the same bus whose requester ID this device also uses.' }),
  untrusted: boolField('pdev->untrusted (behind an external-facing port): only DMA default domains.').optional(),
  pasidBits: intField(0, 20, 'PASID capability: Max PASID Width in bits (0: none).').optional(),
  ats: boolField('An ATS capability.').optional(),
  pri: boolField('A PRI capability.').optional(),
  defDomainType: choice(['IDENTITY', 'DMA'], 'What the IOMMU driver\'s def_domain_type says for this device.').optional(),
  driver: nameField('A kernel driver bound at boot ("nvme", "vfio-pci"): it counts in the group\'s owner_cnt unless it manages DMA itself.').optional(),
  driverManagedDma: boolField('The driver sets driver_managed_dma (VFIO drivers do), so binding it does not count in owner_cnt. Default: driver is "vfio-pci".').optional(),
  requireDirect: boolField('The firmware gives the device a direct-mapped region (an RMR): it can never be blocked, so it can never be claimed.').optional(),
  resvRegions: z
    .array(
      z.strictObject({
        start: hexField('First address of the region (an IOVA equal to the PA for a direct region).'),
        length: hexField('Bytes.'),
        type: choice(['direct', 'direct-relaxable', 'reserved', 'msi'], 'enum iommu_resv_type as sysfs names it: an IORT RMR is "direct" or "direct-relaxable".'),
        prot: protSchema.optional(),
      }),
    )
    .max(16)
    .optional()
    .meta({ description: 'Firmware reservations for the device (IORT RMRs, DT reserved-memory): direct ones are mapped 1:1 into its DMA domains.' }),
  canwbs: boolField('Fully coherent (firmware CANWBS), which a vIOMMU needs on an SMMU without S2FWB. Default true.').optional(),
  failAttach: z.array(nameField('A domain name.')).max(16).optional().meta({ description: 'Fault injection: the driver\'s attach of this device to these domains fails with -ENOMEM.' }),
} satisfies Record<keyof PciDeviceSpec, z.ZodType>;

export const pciDeviceSchema = z.strictObject(deviceShape).meta({ id: 'PciDevice', description: 'One PCI function as linux.boot probes it.' });

export const linuxSmmuSchema = z
  .strictObject({
    preset: choice(['full', 'qemu'], '"full": everything the model implements; "qemu": as QEMU\'s smmuv3 advertises itself (stage 1 only).'),
    streamTable: choice(['linear', '2-level'], 'STRTAB_BASE_CFG.FMT. Default: 2-level when the SMMU has it, as Linux chooses.').optional(),
    features: smmuFeaturesSchema.optional(),
  })
  .meta({ description: 'The SMMU linux.boot probes (arm_smmu_device_probe). Left out: the full preset. Not allowed after an smmu.probe step.' });

export const linuxBootStep = z.strictObject({
  kind: z.literal('linux.boot'),
  devices: z
    .array(pciDeviceSchema, { error: (issue) => (issue.input === undefined ? undefined : `must be a list of PCI devices (got ${shown(issue.input)})`) })
    .min(1, { error: 'must list at least one device' })
    .max(256)
    .meta({ description: 'The PCI functions, parents (bridges, ports) before what sits behind them.' }),
  defaultDomainType: choice(['DMA', 'DMA_FQ', 'IDENTITY'], 'The kernel\'s default domain type: DMA (iommu.strict=1, arm64\'s default), DMA_FQ (iommu.strict=0) or IDENTITY (iommu.passthrough=1).').optional(),
  smmu: linuxSmmuSchema.optional(),
  iommu: choice(['arm-smmu-v3', 'intel-iommu'], 'The IOMMU driver the kernel runs on: arm-smmu-v3 (the default) or intel-iommu (a VT-d unit, probed here unless a vtd.probe step came first).').optional(),
  vtd: z
    .strictObject({
      preset: choice(['scalable', 'legacy', 'qemu'], 'The VT-d unit linux.boot probes for intel-iommu (see vtd.probe).'),
      mode: choice(['scalable', 'legacy'], 'RTADDR.TTM: scalable (the default where ECAP.SMTS) or legacy (intel_iommu=sm_off).').optional(),
    })
    .optional()
    .meta({ description: 'With iommu: intel-iommu, the VT-d unit to probe; default preset "scalable".' }),
  note: noteField.optional(),
});

const accessSchema = choice(['read', 'write', 'exec'], 'Read, write, or instruction fetch.');

const dmaShape = {
  device: nameField('The device that issues the DMA, by its name in linux.boot: its requests carry the StreamID of its DMA alias.'),
  iova: hexField('The address the device puts on the bus.'),
  access: accessSchema,
  privileged: boolField('A privileged access (PnU = 1). Default false: a PCIe request without a PASID prefix is unprivileged.').optional(),
  pasid: intField(0, 0xf_ffff, 'A PASID (SubstreamID) the request carries.').optional(),
};

export const inflightSchema = z
  .strictObject({
    ...dmaShape,
    at: intField(0, 100_000, 'The checkpoint to send it at (0 = before the first device moves). Left out: at every checkpoint, as a device that keeps streaming.').optional(),
  })
  .meta({ id: 'InflightDma', description: 'A DMA the device sends while the call switches domains.' });

const inflightField = z.array(inflightSchema).max(64).optional().meta({ description: 'DMAs sent while the call runs, at its checkpoints (every store and sync of a domain switch).' });

export const linuxDmaStep = z.strictObject({ kind: z.literal('linux.dma'), ...dmaShape, note: noteField.optional() });

function argSchema(arg: ArgSpec): z.ZodType {
  const named = (what: string) =>
    z
      .string({ error: (issue) => (issue.input === undefined ? undefined : `must be ${what} (got ${shown(issue.input)})`) })
      .min(1, { error: `must be ${what}` })
      .max(64, { error: `must be ${what} of at most 64 characters` });
  const byRole: Record<ArgRole, () => z.ZodType> = {
    device: () => named('a device name'),
    group: () => z.union([z.number().int().min(0), named('a device name')], { error: (issue) => (issue.input === undefined ? undefined : `must be a group number or the name of a device in the group (got ${shown(issue.input)})`) }),
    domain: () => named('a domain name'),
    'domain|null': () => z.union([named('a domain name'), z.null()], { error: (issue) => (issue.input === undefined ? undefined : `must be a domain name or null (got ${shown(issue.input)})`) }),
    'new-domain': () => nameField(''),
    'new-viommu': () => nameField(''),
    viommu: () => named('a vIOMMU name'),
    text: () => named('a string'),
    u64: () => hexField(''),
    int: () => intField(0, 0xffff_ffff, ''),
    prot: () => protSchema,
    flags: () => z.array(named('a flag name')).max(16),
    'ste-fields': () => steFieldsSchema,
    mm: () => named('an mm name'),
    'new-mm': () => nameField(''),
    bool: () => boolField(''),
    sg: () => z.array(z.strictObject({ paddr: hexField('Physical address of the segment.'), length: hexField('Bytes.') })).min(1).max(64),
  };
  const schema = byRole[arg.role]().meta({ description: arg.description });
  return arg.optional ? schema.optional() : schema;
}

function callStep(call: string, args: z.ZodType<Record<string, unknown>>, description: string) {
  return z
    .strictObject({
      kind: z.literal('linux.call'),
      call: z.literal(call).meta({ description }),
      args,
      inflight: inflightField,
      note: noteField.optional(),
    })
    .meta({ title: call });
}

const listedCallSteps = Object.entries(LINUX_CALL_TABLE).map(([call, spec]) => {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, arg] of Object.entries(spec.args)) shape[name] = argSchema(arg);
  const args: z.ZodType<Record<string, unknown>> = z.strictObject(shape, { error: (issue) => (issue.input === undefined ? `is required: ${signatureText(call)}` : `must be an object of arguments: ${signatureText(call)}`) });
  return callStep(call, args, spec.description);
});

/** A call the engine has that the table does not list yet: any JSON arguments; the engine checks them. */
const unlistedCallSteps = UNLISTED_CALLS.length === 0
  ? []
  : [callStep(UNLISTED_CALLS[0] as string, z.record(z.string(), z.unknown()), 'A kernel call of the engine.').extend({
      call: z.enum(UNLISTED_CALLS as [string, ...string[]]).meta({ description: 'A kernel call of the engine; its arguments are checked by the engine.' }),
    })];

export const linuxCallSchema = z.discriminatedUnion('call', [...listedCallSteps, ...unlistedCallSteps] as unknown as [typeof listedCallSteps[number], ...typeof listedCallSteps]);

/** The fields every linux.call step may have, whatever its call: for "unknown field" messages. */
export const LINUX_CALL_FIELDS = ['kind', 'call', 'args', 'inflight', 'note'] as const;

export type LinuxBootStep = z.infer<typeof linuxBootStep>;
export type LinuxDmaStep = z.infer<typeof linuxDmaStep>;
export type InflightSpec = z.infer<typeof inflightSchema>;
/** A linux.call step as read: its args are plain JSON, typed by the call's entry in LINUX_CALL_TABLE. */
export interface LinuxCallStep {
  readonly kind: 'linux.call';
  readonly call: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly inflight?: readonly InflightSpec[];
  readonly note?: string;
}
export type PciDeviceStepSpec = z.infer<typeof pciDeviceSchema>;
