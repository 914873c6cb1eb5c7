/**
 * What memory a domain lets a device reach, from what the kernel put in it
 * (iommu_map's record), independently of the page tables the SMMU walks:
 * the reference both the transition invariant and the isolation check judge
 * a DMA against. An SVA domain reaches what its mm maps (sva-state.ts).
 */
import type { Access } from '../../hw/pgtable/types.ts';
import type { DmaOutcome } from '../../hw/smmu/dma-types.ts';
import type { Landing } from './record-types.ts';
import { nestingParentOf } from './nested.ts';
import { reachMappings } from './sva-state.ts';
import type { IommuDomain, LinuxState, Mapping } from './types.ts';

/** The SMMU refuses writes to read-only and execution of XN pages; reads are always allowed by a present leaf. */
function permits(m: Mapping, access: Access): boolean {
  if (access.kind === 'write') return m.prot.write;
  if (access.kind === 'exec') return m.prot.exec;
  return true;
}

export function mappingAt(domain: IommuDomain, iova: bigint): Mapping | undefined {
  return domain.mappings.find((m) => iova >= m.iova && iova < m.iova + m.size);
}

/** Would a translation of `iova` to `pa` with this access be the domain's doing? */
export function domainReaches(linux: LinuxState, domain: IommuDomain | undefined, iova: bigint, access: Access, pa: bigint): boolean {
  if (!domain) return false;
  switch (domain.type) {
    case 'BLOCKED':
      return false;
    case 'IDENTITY':
      return pa === iova;
    case 'UNMANAGED':
    case 'DMA':
    case 'DMA_FQ': {
      const m = mappingAt(domain, iova);
      return m !== undefined && m.paddr + (iova - m.iova) === pa && permits(m, access);
    }
    case 'NESTED': {
      // The guest's stage 1 is its own business; whatever it does, the output must come out of the parent's stage 2.
      const parent = nestingParentOf(linux, domain);
      return parent?.mappings.some((m) => pa >= m.paddr && pa < m.paddr + m.size && permits(m, access)) ?? false;
    }
    case 'SVA': {
      // The CPU's page tables: what the process maps now, nothing once it has exited.
      const m = reachMappings(linux, domain).find((x) => iova >= x.iova && iova < x.iova + x.size);
      return m !== undefined && m.paddr + (iova - m.iova) === pa && permits(m, access);
    }
    case 'PLATFORM':
      return false;
  }
}

export interface Judgement {
  readonly landed: Landing;
  readonly why: string;
}

/** Where a DMA landed, judged against the two domains of a switch (for a steady state, pass the same domain twice). */
export function judge(linux: LinuxState, outcome: DmaOutcome, oldDomain: IommuDomain | undefined, newDomain: IommuDomain | undefined): Judgement {
  const { address: iova, access } = outcome.tx;
  if (outcome.result === 'terminated') return { landed: 'blocked', why: outcome.event ? `terminated: ${outcome.event.name}` : 'terminated silently (abort)' };
  const pa = outcome.output as bigint;
  const inOld = domainReaches(linux, oldDomain, iova, access, pa);
  const inNew = domainReaches(linux, newDomain, iova, access, pa);
  const hex = `0x${pa.toString(16)}`;
  if (inOld && inNew) return { landed: 'both domains', why: `${outcome.result} to ${hex}, which both domains map there` };
  if (inOld) return { landed: 'old domain', why: `${outcome.result} to ${hex} through ${oldDomain?.name}` };
  if (inNew) return { landed: 'new domain', why: `${outcome.result} to ${hex} through ${newDomain?.name}` };
  const names = [oldDomain?.name ?? 'nothing', newDomain?.name ?? 'nothing'].filter((n, i, a) => a.indexOf(n) === i).join(' and ');
  return {
    landed: 'outside',
    why: outcome.result === 'bypassed'
      ? `passed untranslated to ${hex}: an identity window, though ${names} ${names.includes(' and ') ? 'are' : 'is'} not IDENTITY`
      : `translated to ${hex}, which ${names} ${names.includes(' and ') ? 'do' : 'does'} not map at 0x${iova.toString(16)}`,
  };
}
