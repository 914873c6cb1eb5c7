/**
 * dmar_translation_struct as the hardware walks it: per IOMMU, the root
 * entry of each bus, the context entry of each device below it, and in
 * scalable mode the PASID table entries below that.
 */
import { CONTEXT_LEGACY, CONTEXT_SCALABLE, PASID_ENTRY, ROOT_LEGACY, ROOT_SCALABLE, field, reservedNotes } from '../../importers/vtd-fields.ts';
import type { BusRow, ContextRow, DmarUnit, PasidRow } from '../../importers/vtd-dmar.ts';
import { hex64, hexGrouped } from '../format.ts';
import { FieldChips, FieldDetails } from './FieldTable.tsx';

const h2 = (n: number) => n.toString(16).padStart(2, '0');
const bdfText = (d: ContextRow) => `${h2(d.bus)}:${h2(d.device)}.${d.fn}`;
const words2 = (w: readonly [bigint, bigint]) => `${hex64(w[1])} : ${hex64(w[0])}`;

function RootRow({ unit, bus, columns }: { readonly unit: DmarUnit; readonly bus: BusRow; readonly columns: number }) {
  const scalable = unit.mode === 'scalable';
  const layout = scalable ? ROOT_SCALABLE : ROOT_LEGACY;
  const notes = reservedNotes(layout, bus.root);
  return (
    <tr className="import-root-row">
      <th scope="rowgroup" colSpan={columns}>
        <span className="import-root-title">Bus {h2(bus.bus)}</span>{' '}
        <span className="muted">root entry {unit.rootTable !== undefined ? `at ${hexGrouped(unit.rootTable + BigInt(bus.bus) * 16n)}` : ''}</span>{' '}
        <code className="import-raw">{words2(bus.root)}</code>{' '}
        <FieldChips layout={layout} words={bus.root} names={scalable ? ['LP', 'LCTP', 'UP', 'UCTP'] : ['P', 'CTP']} />
        {notes.map((n) => <span key={n} className="import-note"> {n}</span>)}
        <FieldDetails layout={layout} words={bus.root} label={`All fields of the root entry for bus ${h2(bus.bus)}`} />
      </th>
    </tr>
  );
}

/** Where the context entry sits: legacy tables hold 256 16-byte entries; scalable ones two tables of 128 32-byte entries. */
function contextIndex(unit: DmarUnit, bus: BusRow, d: ContextRow): string {
  if (unit.mode !== 'scalable') {
    const ctp = field(ROOT_LEGACY, bus.root, 'CTP') ?? 0n;
    return `[0x${h2(d.devfn)}] at ${hexGrouped(ctp + BigInt(d.devfn) * 16n)}`;
  }
  const upper = d.devfn >= 0x80;
  const base = field(ROOT_SCALABLE, bus.root, upper ? 'UCTP' : 'LCTP') ?? 0n;
  return `${upper ? 'upper' : 'lower'}[0x${h2(d.devfn & 0x7f)}] at ${hexGrouped(base + BigInt(d.devfn & 0x7f) * 32n)}`;
}

function PasidRows({ device, columns }: { readonly device: ContextRow; readonly columns: number }) {
  return (
    <>
      {device.pasids.map((p: PasidRow) => {
        const pgtt = field(PASID_ENTRY, p.entry, 'PGTT');
        const pointer = pgtt === 1n ? 'FLPTR' : pgtt === 2n || pgtt === 3n ? 'SLPTPTR' : undefined;
        return (
          <tr key={p.pasid} className="import-pasid-row" data-testid="import-pasid-row">
            <td className="import-indent">PASID {p.pasid}</td>
            <td className="muted">dir[{p.pasid >> 6}] table[{p.pasid & 63}]</td>
            <td colSpan={columns - 3}>
              <code className="import-raw">{hex64(p.entry[2])} : {hex64(p.entry[1])} : {hex64(p.entry[0])}</code>{' '}
              <FieldChips layout={PASID_ENTRY} words={p.entry} names={['PGTT', 'DID', ...(pointer ? [pointer] : []), ...(pgtt === 1n ? ['FLPM'] : [])]} />
            </td>
            <td><FieldDetails layout={PASID_ENTRY} words={p.entry} label={`All fields of PASID ${p.pasid} of ${bdfText(device)}`} /></td>
          </tr>
        );
      })}
    </>
  );
}

function UnitTable({ unit }: { readonly unit: DmarUnit }) {
  const scalable = unit.mode === 'scalable';
  const ctx = scalable ? CONTEXT_SCALABLE : CONTEXT_LEGACY;
  const columns = 4;
  return (
    <table className="import-table" data-testid="import-dmar-table" data-unit={unit.name}>
      <caption>
        <b>{unit.name}</b> · {scalable ? 'scalable mode' : unit.mode === 'legacy' ? 'legacy mode' : 'mode unknown'}
        {unit.rootTable !== undefined && <> · Root Table Address <code>{hexGrouped(unit.rootTable)}</code></>}
      </caption>
      <thead>
        <tr><th scope="col">B.D.F</th><th scope="col">Context entry</th><th scope="col">{scalable ? 'Decoded (PASID directory)' : 'Decoded'}</th><th scope="col"><span className="visually-hidden">All fields</span></th></tr>
      </thead>
      {unit.buses.map((bus) => (
        <tbody key={bus.bus}>
          <RootRow unit={unit} bus={bus} columns={columns} />
          {bus.devices.map((d) => (
            <FragmentRows key={d.devfn} unit={unit} bus={bus} device={d} ctxLayout={ctx} columns={columns} />
          ))}
        </tbody>
      ))}
    </table>
  );
}

function FragmentRows({ unit, bus, device, ctxLayout, columns }: { readonly unit: DmarUnit; readonly bus: BusRow; readonly device: ContextRow; readonly ctxLayout: typeof CONTEXT_LEGACY; readonly columns: number }) {
  const scalable = unit.mode === 'scalable';
  const notes = reservedNotes(ctxLayout, device.context);
  return (
    <>
      <tr className="import-context-row" data-testid="import-context-row" data-bdf={bdfText(device)}>
        <th scope="row"><code>{bdfText(device)}</code></th>
        <td><span className="muted">{contextIndex(unit, bus, device)}</span><br /><code className="import-raw">{words2(device.context)}</code></td>
        <td>
          <FieldChips layout={ctxLayout} words={device.context} names={scalable ? ['PDTS', 'PASIDDIRPTR', 'DTE', 'PRE'] : ['TT', 'DID', 'AW', 'SLPTPTR']} />
          {notes.map((n) => <span key={n} className="import-note"> {n}</span>)}
        </td>
        <td><FieldDetails layout={ctxLayout} words={device.context} label={`All fields of the context entry of ${bdfText(device)}`} /></td>
      </tr>
      {scalable && <PasidRows device={device} columns={columns} />}
    </>
  );
}

export function VtdTables({ units }: { readonly units: readonly DmarUnit[] }) {
  return (
    <section className="import-vtd" aria-labelledby="import-vtd-heading" data-testid="import-vtd">
      <h3 id="import-vtd-heading" className="import-subtitle">Root, context and PASID entries</h3>
      <p className="panel-hint">
        The root table is indexed by bus, each context table by devfn (device × 8 + function); in scalable mode the context entry points to a PASID
        directory indexed by PASID[19:6], whose entries (not in the dump) point to PASID tables indexed by PASID[5:0]. Words are printed high word first,
        as the kernel prints them.
      </p>
      {units.map((u) =>
        u.enabled ? (
          <UnitTable key={u.name} unit={u} />
        ) : (
          <p key={u.name} className="import-disabled"><b>{u.name}</b>: DMA remapping is not enabled on this IOMMU; its devices' DMA is not translated.</p>
        ),
      )}
    </section>
  );
}
