/** A new io-pgtable: the fields its walks will use (CD for stage 1, STE for stage 2) and where its root table lives. */
import type { EngineEvent } from '../../engine/events.ts';
import { formatSize, hexGrouped, levelClass } from '../format.ts';

type Created = Extract<EngineEvent, { kind: 'pgtable.created' }>;

const PS_BITS = [32, 36, 40, 42, 44, 48, 52] as const;
const bits = (ps: number): string => `${PS_BITS[ps] ?? '?'}-bit output addresses`;

function fieldRows(event: Created): [string, string, string][] {
  const granule = `${formatSize(BigInt(event.granule))} granule`;
  if (event.stage === 1) {
    const c = event.config;
    return [
      ['TTB0', hexGrouped(c.TTB0), `the level ${event.startLevel} (root) table`],
      ['TG0', String(c.TG0), granule],
      ['T0SZ', String(c.T0SZ), `${64 - c.T0SZ}-bit input addresses; walks start at level ${event.startLevel}`],
      ['IPS', String(c.IPS), bits(c.IPS)],
      ['EPD0', c.EPD0 ? '1' : '0', c.EPD0 ? 'walks through TTB0 disabled' : 'walks through TTB0 enabled'],
      ['AFFD', c.AFFD ? '1' : '0', c.AFFD ? 'AF = 0 is not a fault' : 'AF = 0 gives an access flag fault'],
    ];
  }
  const c = event.config;
  return [
    ['S2TTB', hexGrouped(c.S2TTB), `the level ${event.startLevel} table${event.concatenated > 1 ? ` (${event.concatenated} concatenated)` : ''}`],
    ['S2TG', String(c.S2TG), granule],
    ['S2T0SZ', String(c.S2T0SZ), `${64 - c.S2T0SZ}-bit IPAs`],
    ['S2SL0', String(c.S2SL0), `walks start at level ${event.startLevel}`],
    ['S2PS', String(c.S2PS), bits(c.S2PS)],
    ['S2AFFD', c.S2AFFD ? '1' : '0', c.S2AFFD ? 'AF = 0 is not a fault' : 'AF = 0 gives an access flag fault'],
  ];
}

export function CreatedCard({ event }: { event: Created }) {
  const where = event.stage === 1 ? 'Context Descriptor' : 'Stream Table Entry';
  return (
    <section className="effect-card" aria-label="Page table created">
      <h3 className="effect-title">
        Stage-{event.stage} page table <strong>{event.name}</strong> created
        <span className={`level-chip ${levelClass(event.root.level)}`}>root L{event.root.level} at {hexGrouped(event.root.address)}</span>
      </h3>
      <p className="effect-lead">The engine allocated a zeroed root table and set these {where} fields:</p>
      <table className="data-table">
        <caption className="visually-hidden">{where} fields</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Value</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          {fieldRows(event).map(([name, value, meaning]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td className="mono">{value}</td>
              <td>{meaning}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
