/**
 * Permissions as Linux's iommu_map() takes them (IOMMU_READ, IOMMU_WRITE,
 * executable, IOMMU_PRIV): a string of letters or an object of flags. Shared
 * by pgtable.map and the linux.call iommu_map.
 */
import { z } from './zod.ts';
import type { Prot } from '../engine/index.ts';
import { boolField, shown } from './fields.ts';

/** "rw", "r", "rwx", "rp" ...: each of r, w, x, p at most once (the lookahead refuses a repeated letter). */
export const PROT_PATTERN = /^(?!.*(.).*\1)[rwxp]*$/;

const protMessage = (issue: { input?: unknown }) =>
  `must be a string of the letters r (read), w (write), x (exec), p (privileged-only), each at most once, such as "rw", or an object like {"read": true, "write": false} (got ${shown(issue.input)})`;

const protFlag = (description: string) => boolField(description).optional();

export const protObjectSchema = z.strictObject({
  read: protFlag('IOMMU_READ: the device may read.'),
  write: protFlag('IOMMU_WRITE: the device may write.'),
  exec: protFlag('Executable: without it the entry gets PXN and UXN (XN).'),
  priv: protFlag('Privileged-only (Linux IOMMU_PRIV): AP[1] = 0.'),
});

export const protSchema = z
  .union(
    [
      z.string().regex(PROT_PATTERN, { error: protMessage }),
      protObjectSchema,
    ],
    { error: (issue) => (issue.input === undefined ? undefined : protMessage(issue)) },
  )
  .meta({
    description:
      'Permissions, as in Linux iommu_map(): r = IOMMU_READ, w = IOMMU_WRITE, x = executable (without it the entry gets XN), p = IOMMU_PRIV (privileged-only).',
  });

export type ProtSpec = z.infer<typeof protSchema>;

export function protOf(prot: ProtSpec): Prot {
  if (typeof prot === 'string') {
    return { read: prot.includes('r'), write: prot.includes('w'), exec: prot.includes('x'), priv: prot.includes('p') };
  }
  return { read: prot.read ?? false, write: prot.write ?? false, exec: prot.exec ?? false, priv: prot.priv ?? false };
}
