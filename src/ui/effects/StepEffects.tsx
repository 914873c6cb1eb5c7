/**
 * What a step that is not a walk did: the page table it created, the entries
 * a map or unmap wrote, every memory write (old -> new), or why the engine
 * refused the step.
 */
import type { EngineEvent } from '../../engine/events.ts';
import { assertNever } from '../../engine/util/assert.ts';
import { isVtdEvent } from '../../engine/hw/vtd/command-types.ts';
import { formatSize, hexGrouped } from '../format.ts';
import { CreatedCard } from './CreatedCard.tsx';
import { SmmuEventCard } from './SmmuEventCard.tsx';
import { EntriesTable } from './EntriesTable.tsx';
import { WritesTable } from './WritesTable.tsx';
import './effects.css';

export function StepEffects({ events }: { events: readonly EngineEvent[] }) {
  // Walks, DMAs, live updates and the Linux core's events have views of their own (StageView, LinuxStage).
  const shown = events.filter((e) => e.kind !== 'walk.completed' && e.kind !== 'smmu.dma' && e.kind !== 'smmu.steUpdated' && e.kind !== 'smmu.cdUpdated' && !e.kind.startsWith('linux.'));
  if (shown.length === 0) return null;
  return (
    <div className="effects">
      {shown.map((event, i) => (
        <EventCard key={i} event={event} />
      ))}
    </div>
  );
}

function EventCard({ event }: { event: EngineEvent }) {
  if (isVtdEvent(event)) return null; // the VT-d view draws these
  switch (event.kind) {
    case 'memory.written':
      return (
        <section className="effect-card" aria-label="Memory write">
          <h3 className="effect-title">Memory write</h3>
          <WritesTable writes={[event.write]} caption="The store" />
        </section>
      );
    case 'pgtable.created':
      return <CreatedCard event={event} />;
    case 'pgtable.mapped':
      return (
        <section className="effect-card" aria-label="Mapping">
          <h3 className="effect-title">
            Mapped <code>{hexGrouped(event.iova)}</code> – <code>{hexGrouped(event.iova + event.size - 1n)}</code> → <code>{hexGrouped(event.paddr)}</code>
            <span className="effect-size">{formatSize(event.size)}</span>
          </h3>
          <p className="effect-lead">in page table <strong>{event.table}</strong>: {event.entries.length} {event.entries.length === 1 ? 'entry' : 'entries'} written{event.tables.length > 0 ? `, ${event.tables.length} new ${event.tables.length === 1 ? 'table' : 'tables'}` : ''}</p>
          <EntriesTable entries={event.entries} tables={event.tables} caption="Entries written" />
          <WritesTable writes={event.writes} caption="Memory writes" />
        </section>
      );
    case 'pgtable.unmapped':
      return (
        <section className="effect-card" aria-label="Unmapping">
          <h3 className="effect-title">
            Unmapped <code>{hexGrouped(event.iova)}</code>
            <span className="effect-size">{formatSize(event.unmapped)} of {formatSize(event.size)}</span>
          </h3>
          <p className="effect-lead">in page table <strong>{event.table}</strong>{event.tablesFreed.length > 0 ? `; ${event.tablesFreed.length} table(s) freed` : ''}</p>
          <EntriesTable entries={event.entries} tables={[]} caption="Entries cleared" />
          <WritesTable writes={event.writes} caption="Memory writes" />
        </section>
      );
    case 'command.rejected':
      return (
        <section className="effect-card effect-rejected" role="alert" aria-label="Step refused">
          <h3 className="effect-title">The engine refused this step</h3>
          <p>{event.message}</p>
          {event.field !== undefined && <p className="effect-lead">Field: <code>{event.field}</code></p>}
          <p className="effect-lead">Nothing changed.</p>
        </section>
      );
    case 'walk.completed':
      return null;
    case 'smmu.probed':
    case 'smmu.registerWritten':
    case 'smmu.steWritten':
    case 'smmu.cdWritten':
    case 'smmu.steUpdated':
    case 'smmu.cdUpdated':
    case 'smmu.commandsIssued':
    case 'smmu.dma':
    case 'smmu.dmaBurst':
      return <SmmuEventCard event={event} />;
    case 'linux.booted':
    case 'linux.called':
    case 'linux.dma':
    case 'linux.finding':
      return null; // LinuxStage shows them

    default:
      return assertNever(event, 'engine event');
  }
}
