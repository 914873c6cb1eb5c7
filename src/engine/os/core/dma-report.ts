/**
 * What a DMA API call leaves for the UI (the linux.called event's dmaApi):
 * the domain, what was mapped, and the staleness window: the ranges the
 * flush queue still holds (unmapped, not yet invalidated, not reusable),
 * its fill level and timer, and the ATC of the device a call names, each
 * entry marked stale when the domain no longer maps that page there.
 */
import type { CallContext } from './context.ts';
import type { DmaApiReport } from './dma-types.ts';
import { pendingRanges } from './flush-queue.ts';
import { mappingAt } from './reach.ts';
import { deviceNamed, findDomain, groupById } from './state.ts';
import type { IommuDomain } from './types.ts';

export function dmaReport(d: IommuDomain | undefined, mapped?: DmaApiReport['mapped'], flushed?: DmaApiReport['flushed']): DmaApiReport {
  const fq = d?.dma?.kind === 'dma-iova' ? d.dma.fq : null;
  return {
    domain: d?.name ?? null,
    strict: fq === null,
    ...(mapped ? { mapped } : {}),
    pending: d ? pendingRanges(d).map(({ prot: _p, ...r }) => r) : [],
    ...(fq ? { flushQueue: { used: fq.entries.length, size: fq.size, timerOn: fq.timerOn, startCnt: fq.startCnt, finishCnt: fq.finishCnt } } : {}),
    ...(flushed ? { flushed } : {}),
  };
}

/** The device's ATC as the function holds it; stale: its RID domain no longer maps that page to that address. */
export function atcReport(ctx: CallContext, device: string): NonNullable<DmaApiReport['atc']> {
  const dev = deviceNamed(ctx.linux, device);
  const ep = ctx.ops.hw(ctx).endpoints.get(dev.rid);
  if (!ep) return [];
  const g = dev.group === null ? undefined : groupById(ctx.linux, dev.group);
  return ep.atc.map((e) => {
    const domainName = e.pasid === null ? g?.domain ?? null : g?.pasidArray.find((p) => p.pasid === e.pasid)?.domain ?? null;
    const m = findDomain(ctx.linux, domainName) ? mappingAt(findDomain(ctx.linux, domainName) as IommuDomain, e.page) : undefined;
    const current = m !== undefined && m.paddr + (e.page - m.iova) === e.output;
    return { device, pasid: e.pasid, page: e.page, output: e.output, read: e.read, write: e.write, stale: !current };
  });
}
