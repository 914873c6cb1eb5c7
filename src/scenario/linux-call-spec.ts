/**
 * What a kernel call's arguments stand for in a scenario file (a device, a
 * domain made earlier, a 64-bit hex value ...): the vocabulary of the call
 * tables (linux-calls-*.ts), and small makers for their entries.
 */

/** What an argument stands for. The role decides the JSON form, the engine value and the checks. */
export type ArgRole =
  /** A device named in linux.boot. */
  | 'device'
  /** A group: its number, or the name of a device in it (iommu_group_get(dev)). */
  | 'group'
  /** A domain allocated earlier (or a default / static domain). */
  | 'domain'
  /** The same, or null for the kernel's NULL. */
  | 'domain|null'
  /** The name this call gives the domain it allocates. */
  | 'new-domain'
  | 'new-viommu'
  | 'viommu'
  /** Free text: an owner cookie, a sysfs word, a driver's name. */
  | 'text'
  /** A 64-bit value, a hex string in the file. */
  | 'u64'
  | 'int'
  /** IOMMU_READ | IOMMU_WRITE ...: the prot of pgtable.map. */
  | 'prot'
  /** A list of flag names. */
  | 'flags'
  /** STE fields by their SMMUv3 names (a guest's vSTE). */
  | 'ste-fields'
  /** A process address space made by mm_alloc, and the name mm_alloc gives one. */
  | 'mm'
  | 'new-mm'
  | 'bool'
  /** A scatterlist: [{ paddr, length }], hex. */
  | 'sg';

export interface ArgSpec {
  readonly role: ArgRole;
  readonly optional?: true;
  readonly description: string;
}

export interface CallSpec {
  /** Arguments in the kernel's order. */
  readonly args: Readonly<Record<string, ArgSpec>>;
  readonly description: string;
}

export const dev = (description = 'The device, by its name in linux.boot.'): ArgSpec => ({ role: 'device', description });
export const group: ArgSpec = { role: 'group', description: 'The group: its number, or the name of any device in it.' };
export const domain = (description = 'A domain, by the name it was allocated under (default domains are "default-g<group>").'): ArgSpec => ({ role: 'domain', description });
export const newDomain: ArgSpec = { role: 'new-domain', description: 'The name later steps use for the domain this call allocates.' };
export const u64 = (description: string): ArgSpec => ({ role: 'u64', description });

