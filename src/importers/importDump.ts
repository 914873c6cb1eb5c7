/**
 * The importer's front door: one paste, any mix of the accepted formats,
 * each line recognised by its shape and by the section it is in. Never
 * throws; every line it cannot read is a problem; what it can read is kept.
 */
import { GroupsBuilder, type GroupsModel } from './groups.ts';
import { parseGroupLine } from './group-lines.ts';
import { consequences, type Consequences } from './isolation.ts';
import { ProblemList, splitInput, unreadable, type InputLine } from './limits.ts';
import { parseLspciLine } from './lspci.ts';
import type { DumpKind, ImportProblem } from './types.ts';
import { DmarBuilder, classifyDmarLine } from './vtd-dmar.ts';
import { DomainBuilder, classifyDomainLine } from './vtd-domain.ts';
import { linkVtd, type VtdModel } from './vtd-model.ts';

export interface ImportResult {
  /** Set when the text was refused whole (too large); nothing else is then filled. */
  readonly refused: string | undefined;
  /** What the paste holds, in the order first seen. */
  readonly kinds: readonly DumpKind[];
  readonly lineCount: number;
  /** Lines with something on them. */
  readonly nonBlankLines: number;
  /** Non-blank lines read without a problem. */
  readonly parsedLines: number;
  readonly problems: readonly ImportProblem[];
  /** All problems, including those past the kept list. */
  readonly problemCount: number;
  readonly groups: GroupsModel | undefined;
  readonly consequences: Consequences | undefined;
  readonly vtd: VtdModel | undefined;
}

/** "$ lspci -nn", "# cat ...", "user@host:~$ find ...": the command that printed what follows. */
const COMMAND = /^(?:[$#]\s|[\w.-]+@[\w.-]+:[^$#\s]*[$#]\s)/;
const LS_TOTAL = /^total \d+$/;

type Section = 'none' | 'dmar' | 'domain' | 'ls' | 'script';

export function importDump(text: string): ImportResult {
  const split = splitInput(text);
  if (!split.ok) {
    return { refused: split.message, kinds: [], lineCount: 0, nonBlankLines: 0, parsedLines: 0, problems: [], problemCount: 0, groups: undefined, consequences: undefined, vtd: undefined };
  }
  const problems = new ProblemList();
  const groups = new GroupsBuilder(problems);
  const dmar = new DmarBuilder(problems);
  const domain = new DomainBuilder(problems);
  const kinds = new Set<DumpKind>();
  let nonBlank = 0;
  let section: Section = 'none';
  let group = -1;
  let scriptIndented: boolean | undefined;

  const take = (kind: DumpKind) => kinds.add(kind);
  const lspciLine = (line: InputLine, body: string, memberOf: number | undefined): boolean => {
    const r = parseLspciLine(body);
    if (!r) return false;
    if (r.kind === 'bad') {
      problems.add(line, `an lspci line, but ${r.reason}`);
      return true;
    }
    take('lspci');
    groups.addLspci(line, r.device);
    if (memberOf !== undefined) {
      kinds.add('iommu-groups');
      groups.addMember(line, memberOf, '', r.device.bdf, undefined);
    }
    return true;
  };

  for (const line of split.lines) {
    const t = line.text;
    if (t.trim() === '') continue;
    nonBlank++;
    const bad = unreadable(line);
    if (bad) {
      problems.add(line, bad);
      continue;
    }
    if (COMMAND.test(t)) {
      section = 'none';
      continue;
    }
    // The kernel's dumps never indent; a paste through a terminal or a mail client may.
    const trimmed: InputLine = { number: line.number, text: t.trim() };
    const dmarLine = classifyDmarLine(trimmed.text);
    if (dmarLine === 'header') { take('vtd-dmar'); dmar.header(trimmed); section = 'dmar'; continue; }
    if (dmarLine === 'disabled') { take(section === 'domain' ? 'vtd-domain' : 'vtd-dmar'); dmar.disabled(trimmed); continue; }
    if (dmarLine === 'columns') { take('vtd-dmar'); section = 'dmar'; continue; }
    if (dmarLine === 'row') { take('vtd-dmar'); dmar.row(trimmed); continue; }
    const domainLine = classifyDomainLine(trimmed.text);
    if (domainLine === 'device') { take('vtd-domain'); domain.device(trimmed); section = 'domain'; continue; }
    if (domainLine === 'columns') { take('vtd-domain'); section = 'domain'; continue; }
    if (domainLine === 'row') { take('vtd-domain'); domain.row(trimmed); continue; }

    const g = parseGroupLine(t);
    if (g) {
      switch (g.kind) {
        case 'member':
          take('iommu-groups');
          groups.addMember(line, g.group, g.name, g.bdf, g.parents);
          section = 'none';
          break;
        case 'header':
          take('iommu-groups');
          section = g.style === 'ls' ? 'ls' : 'script';
          group = g.group;
          scriptIndented = undefined;
          break;
        case 'inline':
          if (!lspciLine(line, g.rest, g.group)) problems.add(line, `after "IOMMU Group ${g.group}" comes an lspci -nns line ("00:1f.3 Audio device [0403]: ..."); "${g.rest.slice(0, 40)}" is not one`);
          section = 'none';
          break;
        case 'symlink':
          if (section !== 'ls') {
            problems.add(line, 'a symlink line from ls -l, but no "/sys/kernel/iommu_groups/<group>/devices:" header above it says which group it is in (run ls -l on /sys/kernel/iommu_groups/*/devices to get the headers)');
          } else {
            take('iommu-groups');
            groups.addMember(line, group, g.name, g.bdf, g.parents);
          }
          break;
        case 'bad':
          problems.add(line, g.reason);
          break;
      }
      continue;
    }
    if (section === 'ls' && LS_TOTAL.test(t)) continue;
    const indented = /^\s/.test(t);
    const inScript = section === 'script' && (scriptIndented === undefined || scriptIndented === indented);
    if (lspciLine(line, t, inScript ? group : undefined)) {
      if (inScript) scriptIndented = indented;
      else section = 'none';
      continue;
    }
    problems.add(line, guessReason(t, section));
  }

  const groupsModel = groups.isEmpty ? undefined : groups.build();
  const vtd = dmar.units.length > 0 || domain.domains.length > 0 ? linkVtd(dmar.units, domain.domains) : undefined;
  return {
    refused: undefined,
    kinds: [...kinds],
    lineCount: split.lines.length,
    nonBlankLines: nonBlank,
    parsedLines: nonBlank - problems.lines,
    problems: problems.kept,
    problemCount: problems.count,
    groups: groupsModel,
    consequences: groupsModel ? consequences(groupsModel) : undefined,
    vtd,
  };
}

function guessReason(text: string, section: Section): string {
  const t = text.trim();
  if (section === 'dmar') return 'inside dmar_translation_struct, but not a row "bus:dev.fn  0xHI:0xLO  0xHI:0xLO  PASID  0x..:0x..:0x.."';
  if (section === 'domain') return 'inside domain_translation_struct, but not a page row "0xPFN |  0x...  0x...  0x..." nor a "Device ... @0x..." header';
  if (/^[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]\b/.test(t) || /^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]\b/.test(t)) {
    return 'starts with a PCI address but is not an lspci line ("00:1f.3 Audio device [0403]: Vendor Device [8086:a348]")';
  }
  return 'not a line of any accepted format (find /sys/kernel/iommu_groups, ls -l, lspci -nn, dmar_translation_struct, domain_translation_struct)';
}
