/**
 * The VT-d column: for a device, its root entry (by bus), its context entry
 * (by devfn) and, in scalable mode, its PASID directory; for a PASID, its
 * PASID entry (PASID[19:6] picks the directory entry, PASID[5:0] the entry in
 * that PASID table) and the table FLPTR or SLPTPTR points at.
 */
import type { VtdDeviceSide } from '../../worker/compare-types.ts';
import { hexGrouped } from '../format.ts';
import { ownerText, pgtableText, ridText } from './compareText.ts';
import { ownerKind } from './SmmuCells.tsx';
import { Owner, PointsTo, StructBox } from './StructBox.tsx';

const pick = (f: Readonly<Record<string, bigint>>, names: readonly string[]): [string, bigint][] => names.filter((n) => n in f).map((n) => [n, f[n] ?? 0n]);

export function VtdHeadCell({ side }: { readonly side: VtdDeviceSide | null }) {
  if (!side) return <p className="cmp-none">No requester ID: intel-iommu did not probe this device.</p>;
  const bus = (side.rid >> 8).toString(16).padStart(2, '0');
  return (
    <div className="cmp-chain">
      {side.root ? (
        <StructBox tone="entry" title={`Root entry, bus ${bus}`} fields={pick(side.root.fields, side.context?.mode === 'legacy' ? ['CTP'] : (side.rid & 0xff) >= 128 ? ['UP', 'UCTP'] : ['LP', 'LCTP'])} testId={`vtd-root-${side.rid}`} />
      ) : <p className="cmp-none">{side.note}</p>}
      {side.context && (
        <>
          <PointsTo label={(side.rid & 0xff) >= 128 && side.context?.mode !== 'legacy' ? 'UCTP, indexed by devfn & 0x7f' : `${side.context?.mode === 'legacy' ? 'CTP' : 'LCTP'}, indexed by devfn`} />
          <StructBox tone="context" title={`Context entry ${ridText(side.rid)}`} reading={side.context.mode === 'legacy' ? `legacy: ${side.context.translation}` : 'scalable mode'}
            fields={pick(side.context.fields, side.context.mode === 'legacy' ? ['TT', 'SLPTPTR', 'AW', 'DID'] : ['PASIDE', 'PDTS', 'PASIDDIRPTR', 'RID_PASID'])} testId={`vtd-context-${side.rid}`}>
            {side.context.owner && <Owner text={ownerText(side.context.owner)} kind={ownerKind(side.context.owner)} />}
          </StructBox>
        </>
      )}
      {side.context?.pgtable && (
        <>
          <PointsTo label="SLPTPTR" />
          <StructBox tone="pgtable" title="Second-stage table"><p className="cmp-note">{pgtableText(side.context.pgtable)}</p></StructBox>
        </>
      )}
      {side.pasidDirectory && (
        <>
          <PointsTo label="PASIDDIRPTR, indexed by PASID[19:6]" />
          <StructBox tone="table" title="PASID directory" testId={`vtd-pasiddir-${side.rid}`}>
            <p className="cmp-note mono">PA {hexGrouped(side.pasidDirectory.address)}</p>
            <ul className="cmp-dir">
              {side.pasidDirectory.entries.map((e) => (
                <li key={e.index} className="mono">entry {e.index} (PASIDs {e.index * 64}–{e.index * 64 + 63}) → PASID table {hexGrouped(e.pasidTable)}</li>
              ))}
              {side.pasidDirectory.entries.length === 0 && <li>no present entry</li>}
            </ul>
          </StructBox>
        </>
      )}
      {side.root && !side.context && side.note && <p className="cmp-note cmp-wide">{side.note}</p>}
    </div>
  );
}

export function VtdPasidCell({ side, pasid }: { readonly side: VtdDeviceSide | null; readonly pasid: number }) {
  if (!side?.context) return <span className="cmp-none" />;
  if (side.context.mode === 'legacy') {
    return <p className="cmp-none">{pasid === 0 ? 'Legacy mode: the context entry above translates the RID itself.' : `Legacy mode has no PASIDs: a request with PASID ${pasid} is not translated.`}</p>;
  }
  const row = side.pasids.find((p) => p.pasid === pasid);
  if (!row) return <p className="cmp-none" data-testid={`vtd-pasid-${side.rid}-${pasid}-absent`}>No present PASID entry {pasid}: a request with it is blocked.</p>;
  const f = row.fields;
  const fields: [string, bigint][] = [['PGTT', f.PGTT]];
  if (row.pgtt === 'first-stage' || row.pgtt === 'nested') fields.push(['FLPTR', f.FLPTR]);
  if (row.pgtt === 'second-stage' || row.pgtt === 'nested') fields.push(['SLPTPTR', f.SLPTPTR]);
  fields.push(['DID', f.DID]);
  return (
    <div className="cmp-chain cmp-branch">
      <StructBox tone="pasid" title={`PASID entry ${row.pasid}`} reading={row.pgtt} fields={fields} testId={`vtd-pasid-${side.rid}-${row.pasid}`}>
        <p className="cmp-note">directory entry {row.dirIndex}, index {row.pasid & 0x3f} of its PASID table{f.FPD === 1n ? '; FPD = 1: faults not reported' : ''}</p>
        <Owner text={ownerText(row.owner)} kind={ownerKind(row.owner)} />
      </StructBox>
      {row.pgtable && (
        <>
          <PointsTo label={row.pgtt === 'second-stage' ? 'SLPTPTR' : 'FLPTR'} />
          <StructBox tone="pgtable" title={row.pgtt === 'second-stage' ? 'Second-stage table' : 'First-stage table'}><p className="cmp-note">{pgtableText(row.pgtable)}</p></StructBox>
        </>
      )}
      {row.stage2 && (
        <>
          <PointsTo label="SLPTPTR" />
          <StructBox tone="pgtable" title="Second-stage table (nesting parent)"><p className="cmp-note">{pgtableText(row.stage2)}</p></StructBox>
        </>
      )}
    </div>
  );
}
