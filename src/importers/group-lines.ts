/**
 * The lines that say which IOMMU group a device is in, in the three shapes
 * people paste:
 *   find /sys/kernel/iommu_groups/ -type l
 *     /sys/kernel/iommu_groups/12/devices/0000:00:1f.3
 *   ls -l /sys/kernel/iommu_groups/* /devices   (a header, then symlinks)
 *     /sys/kernel/iommu_groups/12/devices:
 *     lrwxrwxrwx 1 root root 0 Mar  3 10:00 0000:00:1f.3 -> ../../../../devices/pci0000:00/0000:00:1f.3
 *   the Arch wiki loop ("IOMMU Group 12:" then indented lspci -nns lines)
 * A symlink's target is the device's place in the PCI tree, so an ls -l
 * listing also tells which bridges a device sits behind.
 */
import { parseBdf } from './bdf.ts';
import type { Bdf } from './types.ts';

export type GroupLine =
  /** A device in a group (find output, or ls -l with its header). */
  | { readonly kind: 'member'; readonly group: number; readonly name: string; readonly bdf: Bdf | undefined; readonly parents: readonly Bdf[] | undefined }
  /** "/sys/kernel/iommu_groups/12/devices:" (ls -l) or "IOMMU Group 12:" (the wiki loop): the lines after it are in group 12. */
  | { readonly kind: 'header'; readonly group: number; readonly style: 'ls' | 'script' }
  /** "IOMMU Group 12 00:1f.3 Audio device ...": a group and an lspci line on one line. */
  | { readonly kind: 'inline'; readonly group: number; readonly rest: string }
  /** An ls -l symlink line: its group comes from the header above it. */
  | { readonly kind: 'symlink'; readonly name: string; readonly bdf: Bdf | undefined; readonly parents: readonly Bdf[] | undefined }
  | { readonly kind: 'bad'; readonly reason: string };

const MAX_GROUP = 1_000_000;
const FIND = /^(?:\/sys\/kernel\/iommu_groups\/|\.\/)?(\d{1,7})\/devices\/([^/\s]+)(?:\s+->\s+(\S+))?$/;
const LS_HEADER = /^(?:\/sys\/kernel\/iommu_groups\/|\.\/)?(\d{1,7})\/devices\/?:$/;
const SCRIPT_HEADER = /^IOMMU [Gg]roup:?\s+(\d{1,7}):?$/;
const SCRIPT_INLINE = /^IOMMU [Gg]roup:?\s+(\d{1,7}):?\s+(\S.*)$/;
// mode, links, owner, group, size, then the date (three words, or two with --time-style) and "name -> target".
const SYMLINK = /^l[-rwxsStT]{9}[.@+]?\s+\d+\s+\S+\s+\S+\s+\d+\s+(.+?)\s(\S+)\s->\s(\S+)$/;
const LOOKS_LIKE_GROUP_PATH = /iommu_groups/;

/** Non-PCI devices sit in groups too (platform devices on Arm: "fe200000.dma"); a name needs only to be a plain file name. */
const DEVICE_NAME = /^[A-Za-z0-9_.:+-]{1,64}$/;

export function parseGroupLine(text: string): GroupLine | undefined {
  const t = text.trim();
  let m = FIND.exec(t);
  if (m) {
    const group = Number(m[1]);
    if (group > MAX_GROUP) return { kind: 'bad', reason: `group number ${m[1]} is out of range` };
    const name = m[2] ?? '';
    if (!DEVICE_NAME.test(name)) return { kind: 'bad', reason: `"${name}" is not a device name` };
    return { kind: 'member', group, name, bdf: parseBdf(name), parents: m[3] === undefined ? undefined : parentsFromTarget(m[3]) };
  }
  m = LS_HEADER.exec(t);
  if (m) return { kind: 'header', group: Number(m[1]), style: 'ls' };
  m = SCRIPT_HEADER.exec(t);
  if (m) return { kind: 'header', group: Number(m[1]), style: 'script' };
  m = SCRIPT_INLINE.exec(t);
  if (m) return { kind: 'inline', group: Number(m[1]), rest: m[2] ?? '' };
  m = SYMLINK.exec(t);
  if (m) {
    const name = m[2] ?? '';
    if (!DEVICE_NAME.test(name)) return { kind: 'bad', reason: `"${name}" is not a device name` };
    return { kind: 'symlink', name, bdf: parseBdf(name), parents: parentsFromTarget(m[3] ?? '') };
  }
  if (LOOKS_LIKE_GROUP_PATH.test(t)) {
    return { kind: 'bad', reason: 'it names /sys/kernel/iommu_groups but is not "/sys/kernel/iommu_groups/<group>/devices/<device>" or a "/sys/kernel/iommu_groups/<group>/devices:" header' };
  }
  return undefined;
}

/**
 * "../../../../devices/pci0000:00/0000:00:1c.0/0000:02:00.0": every PCI
 * address before the last is a bridge the device sits behind, top first.
 */
export function parentsFromTarget(target: string): readonly Bdf[] | undefined {
  const parts = target.split('/');
  const addresses: Bdf[] = [];
  for (const p of parts) {
    const b = parseBdf(p);
    if (b && p.length === 12) addresses.push(b);
  }
  if (addresses.length === 0) return undefined;
  return addresses.slice(0, -1);
}
