/**
 * A PCIe function issuing a memory request. With ATS enabled and a matching
 * ATC entry that allows the access, it sends a translated request the SMMU
 * passes through; otherwise an untranslated one the SMMU translates. (A real
 * device may instead send a Translation Request first; the model leaves that
 * to an explicit ATS translation, so each step shows.)
 */
import { translatedTransaction } from '../smmu/ats.ts';
import type { DmaOutcome, DmaTransaction } from '../smmu/dma-types.ts';
import type { Smmu } from '../smmu/smmu.ts';
import { ATC_PAGE, atcLookup } from './atc.ts';
import { atsEnabled } from './endpoints.ts';

export function endpointRequest(smmu: Smmu, tx: DmaTransaction): DmaOutcome {
  const ep = smmu.endpoints.get(tx.sid);
  if (ep && atsEnabled(ep) && tx.access.kind !== 'exec') {
    const pasid = tx.ssid ?? null;
    const hit = atcLookup(ep.atc, pasid, tx.address);
    if (hit && (tx.access.kind === 'write' ? hit.write : hit.read)) {
      const out = translatedTransaction(smmu, { ...tx, address: hit.output | (tx.address & (ATC_PAGE - 1n)) });
      return { ...out, trace: { ...out.trace, ats: { untranslated: tx.address, pasid, atcOutput: hit.output } } };
    }
  }
  return smmu.dma(tx);
}
