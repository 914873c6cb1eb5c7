/**
 * What each command does to the SMMU's caches (SMMUv3 spec, "Commands").
 * Invalidation is exact: a TLBI removes the entries its scope names and no
 * others, so a missing or wrong invalidation leaves a stale translation.
 * CMD_TLBI_S2_IPA removes stage-2-only entries; combined stage 1+2 entries
 * need a stage-1 or VMID-wide invalidation, which is why Linux follows it
 * with CMD_TLBI_NH_ALL for nesting parents.
 */
import { assertNever } from '../../util/assert.ts';
import { atcInvRange } from '../pci/atc.ts';
import type { PciEndpoints } from '../pci/endpoints.ts';
import type { ConfigCache } from './config-cache.ts';
import type { SmmuCommand } from './command.ts';
import { TlbStage, type Iotlb, type TlbEntryView } from './iotlb.ts';

export interface CommandEffect {
  readonly summary: string;
  /** Configuration-cache or IOTLB entries removed. */
  readonly invalidated: number;
}

function overlaps(e: TlbEntryView, start: bigint, end: bigint): boolean {
  return e.input < end && start < e.input + e.size;
}

/** The address range a TLBI by address covers: one page's worth, or the range given by TG/NUM/SCALE. */
function tlbiRange(f: SmmuCommand['fields']): [bigint, bigint] {
  const addr = f.Address ?? 0n;
  const tg = Number(f.TG ?? 0n);
  if (tg === 0) return [addr, addr + 1n];
  const granule = 1n << BigInt(tg * 2 + 10);
  const pages = ((f.NUM ?? 0n) + 1n) << (f.SCALE ?? 0n);
  return [addr, addr + pages * granule];
}

export function executeCommand(cmd: SmmuCommand, cache: ConfigCache, tlb: Iotlb, endpoints?: PciEndpoints): CommandEffect {
  const f = cmd.fields;
  const n = (name: string) => Number(f[name] ?? 0n);
  const isS1 = (e: TlbEntryView) => e.stage !== TlbStage.S2;
  switch (cmd.op) {
    case 'CMD_CFGI_STE':
      return { summary: `configuration cache: STE ${n('StreamID')} (and its CDs) invalidated`, invalidated: cache.invalidateStes(n('StreamID'), n('StreamID')) };
    case 'CMD_CFGI_STE_RANGE': {
      const range = n('Range');
      if (range === 31) return { summary: 'configuration cache: everything invalidated (CMD_CFGI_ALL)', invalidated: cache.invalidateStes(0, 2 ** 32) };
      const span = 2 ** (range + 1);
      const first = n('StreamID') - (n('StreamID') % span);
      return { summary: `configuration cache: STEs ${first}..${first + span - 1} invalidated`, invalidated: cache.invalidateStes(first, first + span - 1) };
    }
    case 'CMD_CFGI_CD':
      return { summary: `configuration cache: CD ${n('SubstreamID')} of stream ${n('StreamID')} invalidated`, invalidated: cache.invalidateCds(n('StreamID'), n('SubstreamID')) };
    case 'CMD_CFGI_CD_ALL':
      return { summary: `configuration cache: all CDs of stream ${n('StreamID')} invalidated`, invalidated: cache.invalidateCds(n('StreamID')) };
    case 'CMD_TLBI_NH_ALL':
      return { summary: `IOTLB: stage-1 entries of VMID ${n('VMID')} invalidated`, invalidated: tlb.invalidate((e) => isS1(e) && e.vmid === n('VMID')) };
    case 'CMD_TLBI_NH_ASID':
      return { summary: `IOTLB: entries of VMID ${n('VMID')}, ASID ${n('ASID')} invalidated`, invalidated: tlb.invalidate((e) => isS1(e) && e.vmid === n('VMID') && e.asid === n('ASID')) };
    case 'CMD_TLBI_NH_VA': {
      const [start, end] = tlbiRange(f);
      return { summary: `IOTLB: VMID ${n('VMID')}, ASID ${n('ASID')}, VA 0x${start.toString(16)} invalidated`, invalidated: tlb.invalidate((e) => isS1(e) && e.vmid === n('VMID') && e.asid === n('ASID') && overlaps(e, start, end)) };
    }
    case 'CMD_TLBI_NH_VAA': {
      const [start, end] = tlbiRange(f);
      return { summary: `IOTLB: VMID ${n('VMID')}, every ASID, VA 0x${start.toString(16)} invalidated`, invalidated: tlb.invalidate((e) => isS1(e) && e.vmid === n('VMID') && overlaps(e, start, end)) };
    }
    case 'CMD_TLBI_S12_VMALL':
      return { summary: `IOTLB: every entry of VMID ${n('VMID')} invalidated`, invalidated: tlb.invalidate((e) => e.vmid === n('VMID')) };
    case 'CMD_TLBI_S2_IPA': {
      const [start, end] = tlbiRange(f);
      return { summary: `IOTLB: stage-2 entries of VMID ${n('VMID')} at IPA 0x${start.toString(16)} invalidated`, invalidated: tlb.invalidate((e) => e.stage === TlbStage.S2 && e.vmid === n('VMID') && overlaps(e, start, end)) };
    }
    case 'CMD_TLBI_NSNH_ALL':
      return { summary: 'IOTLB: every non-secure, non-hypervisor entry invalidated', invalidated: tlb.invalidate(() => true) };
    case 'CMD_TLBI_EL2_ALL':
    case 'CMD_TLBI_EL2_ASID':
    case 'CMD_TLBI_EL2_VA':
      return { summary: 'EL2 TLB entries invalidated (this model caches none: no stream uses STRW = EL2)', invalidated: 0 };
    case 'CMD_PREFETCH_CONFIG':
    case 'CMD_PREFETCH_ADDR':
      return { summary: 'prefetch hint (the model fetches on demand)', invalidated: 0 };
    case 'CMD_ATC_INV': {
      // An ATS Invalidate Request to the function whose RID is the StreamID; CMD_SYNC waits for its completion.
      const [start, end] = atcInvRange(f.Address ?? 0n, n('Size'));
      const pasid = f.SSV === 1n ? n('SubstreamID') : null;
      const r = endpoints?.atsInvalidate(n('StreamID'), pasid, start, end) ?? { reached: null, invalidated: 0 };
      const what = n('Size') >= 52 ? 'every address' : `0x${start.toString(16)}..0x${(end - 1n).toString(16)}`;
      const scope = pasid === null ? 'any PASID' : `PASID ${pasid}`;
      return {
        summary: r.reached === null
          ? `ATS Invalidate Request to StreamID ${n('StreamID')} (${what}, ${scope}): no ATS function answers at that RID`
          : `ATS Invalidate Request to ${r.reached} (StreamID ${n('StreamID')}, ${what}, ${scope}): ${r.invalidated} ATC entr${r.invalidated === 1 ? 'y' : 'ies'} invalidated`,
        invalidated: r.invalidated,
      };
    }
    case 'CMD_PRI_RESP':
      return { summary: `PRI response ${n('Resp')} to stream ${n('StreamID')}, group ${n('GRPID')}`, invalidated: 0 };
    case 'CMD_RESUME':
      return { summary: `resume stalled transaction ${n('STAG')} of stream ${n('StreamID')}`, invalidated: 0 };
    case 'CMD_SYNC':
      return { summary: 'CMD_SYNC: every earlier command has completed', invalidated: 0 };
    default:
      return assertNever(cmd.op, 'SMMU command');
  }
}
