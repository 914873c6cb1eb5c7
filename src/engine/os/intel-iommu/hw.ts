/**
 * The VT-d unit as the core's checks use it (IommuHw): a device's DMA goes
 * to the unit with its requester ID (and PASID); the outcome is restated in
 * the terms the core judges (translated / bypassed / terminated) with the
 * unit's own outcome alongside. ATS translated requests are not modelled on
 * the VT-d side: every request is untranslated.
 */
import type { DmaOutcome, DmaTransaction } from '../../hw/smmu/dma-types.ts';
import { runVtdDma } from '../../hw/vtd/dma.ts';
import type { VtdDmaOutcome } from '../../hw/vtd/dma-types.ts';
import type { VtdUnit } from '../../hw/vtd/vtd.ts';
import type { CallContext } from '../core/context.ts';
import type { IommuHw } from '../core/iommu-ops.ts';
import { unitOf } from './driver-common.ts';
import { syncSvaShadows } from './driver-sva.ts';

function restate(o: VtdDmaOutcome, tx: DmaTransaction): DmaOutcome {
  const trace = { smmuEnabled: o.trace.enabled };
  if (o.result === 'blocked') return { tx, result: 'terminated', response: 'abort', trace };
  return { tx, result: o.result === 'untranslated' ? 'bypassed' : 'translated', output: o.output as bigint, trace };
}

function request(unit: VtdUnit, tx: DmaTransaction, peek: boolean): VtdDmaOutcome {
  const req = { sid: tx.sid, address: tx.address, access: tx.access, ...(tx.ssid !== undefined ? { pasid: tx.ssid } : {}) };
  if (!peek) return unit.dma(req);
  const root = unit.rootTable;
  return runVtdDma({
    mem: unit.mem, features: unit.features, caches: unit.caches.clone(), enabled: unit.enabled && root !== null, mode: root?.mode ?? 'legacy',
    rootTable: root?.address ?? 0n, recordFault: () => ({ recorded: false, why: 'a check by the engine, not a real request' }),
  }, req);
}

export function intelHw(ctx: CallContext): IommuHw {
  const unit = unitOf(ctx);
  const real = (tx: DmaTransaction) => {
    syncSvaShadows(ctx);
    const vtd = request(unit, tx, false);
    return { outcome: restate(vtd, tx), vtd };
  };
  return {
    endpoints: unit.endpoints,
    request: real,
    dma: real,
    peeker: () => {
      syncSvaShadows(ctx);
      return (tx) => restate(request(unit, tx, true), tx);
    },
  };
}
