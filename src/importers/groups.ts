/**
 * The machine's IOMMU groups as the paste describes them: group -> devices,
 * each named by lspci when its line is there, with the bridges it sits
 * behind when an ls -l listing showed the symlink targets.
 */
import { formatBdf } from './bdf.ts';
import type { InputLine, ProblemList } from './limits.ts';
import { bridgeKind, type BridgeKind, type LspciDevice } from './lspci.ts';
import type { Bdf } from './types.ts';

export interface GroupDevice {
  /** "0000:00:1f.3", or a platform device's name. */
  readonly name: string;
  readonly bdf: Bdf | undefined;
  readonly lspci: LspciDevice | undefined;
  /** Bridges above the device, top first, from an ls -l target; undefined when the paste did not show them. */
  readonly parents: readonly Bdf[] | undefined;
  /** From the class code, or from being another member's parent. */
  readonly bridge: BridgeKind;
  readonly line: number;
}

export interface IommuGroup {
  readonly id: number;
  readonly devices: readonly GroupDevice[];
}

export interface GroupsModel {
  /** By group number. */
  readonly groups: readonly IommuGroup[];
  /** lspci lines whose device is in no group. */
  readonly ungrouped: readonly LspciDevice[];
  readonly hasLspci: boolean;
  readonly deviceCount: number;
}

interface Member {
  readonly group: number;
  readonly name: string;
  readonly bdf: Bdf | undefined;
  parents: readonly Bdf[] | undefined;
  readonly line: number;
}

export class GroupsBuilder {
  private readonly members = new Map<string, Member>();
  private readonly lspci = new Map<string, LspciDevice>();

  constructor(private readonly problems: ProblemList) {}

  addMember(line: InputLine, group: number, name: string, bdf: Bdf | undefined, parents: readonly Bdf[] | undefined): void {
    const key = bdf ? formatBdf(bdf) : name;
    const seen = this.members.get(key);
    if (seen && seen.group !== group) {
      this.problems.add(line, `${key} is already in group ${seen.group} (line ${seen.line}); a device is in one group only, so this line is ignored`);
      return;
    }
    if (seen) {
      seen.parents ??= parents;
      return;
    }
    this.members.set(key, { group, name: key, bdf, parents, line: line.number });
  }

  addLspci(line: InputLine, device: LspciDevice): void {
    const key = formatBdf(device.bdf);
    const seen = this.lspci.get(key);
    if (seen && (seen.name !== device.name || seen.classCode !== device.classCode)) {
      this.problems.add(line, `lspci already described ${key} differently; the first description is kept`);
      return;
    }
    if (!seen) this.lspci.set(key, device);
  }

  get isEmpty(): boolean {
    return this.members.size === 0 && this.lspci.size === 0;
  }

  build(): GroupsModel {
    const parentKeys = new Set<string>();
    for (const m of this.members.values()) for (const p of m.parents ?? []) parentKeys.add(formatBdf(p));
    const byGroup = new Map<number, GroupDevice[]>();
    for (const [key, m] of this.members) {
      const lspci = this.lspci.get(key);
      const fromClass = bridgeKind(lspci?.classCode);
      const device: GroupDevice = {
        name: m.name,
        bdf: m.bdf,
        lspci,
        parents: m.parents,
        bridge: fromClass ?? (parentKeys.has(key) ? 'pci-bridge' : undefined),
        line: m.line,
      };
      const list = byGroup.get(m.group) ?? [];
      list.push(device);
      byGroup.set(m.group, list);
    }
    const groups = [...byGroup.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([id, devices]) => ({ id, devices: devices.sort((a, b) => compareNames(a.name, b.name)) }));
    const ungrouped = [...this.lspci.entries()].filter(([key]) => !this.members.has(key)).map(([, d]) => d);
    ungrouped.sort((a, b) => compareNames(formatBdf(a.bdf), formatBdf(b.bdf)));
    return { groups, ungrouped, hasLspci: this.lspci.size > 0, deviceCount: this.members.size };
  }
}

/** PCI addresses sort as text once zero-padded; platform names after them. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "Audio device: Intel Corporation Cannon Lake PCH cAVS", or undefined without lspci. */
export function describe(device: GroupDevice): string | undefined {
  const l = device.lspci;
  if (!l) return undefined;
  return l.name === '' ? l.className : `${l.className}: ${l.name}`;
}
