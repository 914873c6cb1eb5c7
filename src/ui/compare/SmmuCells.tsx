/**
 * The SMMUv3 column: for a device, its STE and what S1ContextPtr points at
 * (the CD table, the guest's when the STE nests); for a SubstreamID, its CD
 * and the stage-1 table TTB0 points at.
 */
import type { OwnerRef, SmmuDeviceSide } from '../../worker/compare-types.ts';
import { hexGrouped } from '../format.ts';
import { ownerText, pgtableText } from './compareText.ts';
import { Owner, PointsTo, StructBox } from './StructBox.tsx';

export function ownerKind(o: OwnerRef): 'kernel' | 'user' | 'guest' | 'none' {
  if (o.domain === null) return 'none';
  if (o.guest) return 'guest';
  return o.mm ? 'user' : 'kernel';
}

export function SmmuHeadCell({ side }: { readonly side: SmmuDeviceSide | null }) {
  if (!side) return <p className="cmp-none">No StreamID: the SMMU driver did not probe this device.</p>;
  const ste = side.ste;
  if (!ste) return <p className="cmp-none">{side.note ?? 'No STE.'}</p>;
  const f = ste.fields;
  const s1 = ste.config === 'stage 1' || ste.config === 'nested';
  const s2 = ste.config === 'stage 2' || ste.config === 'nested';
  const fields: [string, bigint][] = [['Config', f.Config]];
  if (s1) fields.push(['S1ContextPtr', f.S1ContextPtr], ['S1CDMax', f.S1CDMax], ['S1DSS', f.S1DSS]);
  if (s2) fields.push(['S2TTB', f.S2TTB], ['S2VMID', f.S2VMID]);
  return (
    <div className="cmp-chain">
      <StructBox tone="entry" title={`STE ${hexGrouped(BigInt(side.sid), 4)}`} reading={ste.config} fields={fields} testId={`smmu-ste-${side.sid}`} />
      {side.cdTable && (
        <>
          <PointsTo label={`S1ContextPtr${side.cdTable.size > 1 ? ', indexed by SubstreamID' : ''}`} />
          <StructBox tone="table" title={`CD table, ${side.cdTable.size} SubstreamID${side.cdTable.size === 1 ? '' : 's'}`}
            reading={side.cdTable.guestOwned ? 'guest-owned, at an IPA' : 'kernel-owned'} testId={`smmu-cdtable-${side.sid}`}>
            <p className="cmp-note mono">{side.cdTable.guestOwned ? 'IPA' : 'PA'} {hexGrouped(side.cdTable.address)}</p>
          </StructBox>
        </>
      )}
      {side.stage2 && !s1 && (
        <>
          <PointsTo label="S2TTB" />
          <StructBox tone="pgtable" title="Stage-2 table"><p className="cmp-note">{pgtableText(side.stage2)}</p></StructBox>
        </>
      )}
      {side.note && <p className="cmp-note cmp-wide">{side.note}</p>}
    </div>
  );
}

export function SmmuPasidCell({ side, pasid }: { readonly side: SmmuDeviceSide | null; readonly pasid: number }) {
  if (!side?.ste) return <span className="cmp-none" />;
  const cd = side.cds.find((c) => c.ssid === pasid);
  if (!cd) {
    const size = side.cdTable?.size ?? 0;
    const why = !side.cdTable ? 'no CD table (the STE does not use stage 1)' : pasid >= size ? `beyond S1CDMax: the CD table has ${size} entr${size === 1 ? 'y' : 'ies'}` : 'V = 0: a DMA with this SubstreamID is terminated';
    return <p className="cmp-none" data-testid={`smmu-cd-${side.sid}-${pasid}-absent`}>No valid CD {pasid}: {why}.</p>;
  }
  return (
    <div className="cmp-chain cmp-branch">
      <StructBox tone="context" title={`CD ${cd.ssid}`} reading={cd.fields.EPD0 === 1n ? 'EPD0 = 1: no walks' : undefined}
        fields={[['ASID', cd.fields.ASID], ['TTB0', cd.fields.TTB0]]} testId={`smmu-cd-${side.sid}-${cd.ssid}`}>
        {cd.ipa !== undefined && cd.address !== undefined && <p className="cmp-note mono">IPA {hexGrouped(cd.ipa)} → PA {hexGrouped(cd.address)}</p>}
        <Owner text={ownerText(cd.owner)} kind={ownerKind(cd.owner)} />
      </StructBox>
      {cd.pgtable && (
        <>
          <PointsTo label="TTB0" />
          <StructBox tone="pgtable" title="Stage-1 table"><p className="cmp-note">{pgtableText(cd.pgtable)}</p></StructBox>
        </>
      )}
    </div>
  );
}
