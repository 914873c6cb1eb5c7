/**
 * Linux-core events, shown plainly until they get views of their own: what
 * the kernel call returned, its warnings and findings, and how many hardware
 * writes it made (the SMMU panels show their effect on the tables, queues
 * and caches; a device's DMA gets the DMA path).
 */
import type { EngineEvent } from '../../engine/events.ts';
import { assertNever } from '../../engine/util/assert.ts';

export type LinuxEvent = Extract<EngineEvent, { kind: `linux.${string}` }>;

function summary(e: LinuxEvent): { title: string; lines: string[]; bad?: boolean } {
  switch (e.kind) {
    case 'linux.booted':
      return { title: 'Linux booted', lines: [`${e.groups.length} iommu_group${e.groups.length === 1 ? '' : 's'}, ${e.hw.length} hardware writes by the driver`, ...e.warnings] };
    case 'linux.called':
      return { title: `Returned ${e.returned}`, lines: [`${e.hw.length} hardware writes by the driver`, ...e.warnings], bad: e.ret !== 0 };
    case 'linux.dma':
      return { title: `DMA from ${e.device}: ${e.landed}`, lines: [e.why, `group ${e.group ?? 'none'}, domain ${e.domain ?? 'none'}`] };
    case 'linux.finding':
      return { title: `Finding: ${e.finding.rule}`, lines: [e.finding.message], bad: true };
    default:
      return assertNever(e, 'Linux event');
  }
}

export function LinuxEventCard({ event }: { event: LinuxEvent }) {
  const { title, lines, bad } = summary(event);
  return (
    <section className={bad ? 'effect-card effect-rejected' : 'effect-card'} aria-label={title}>
      <h3 className="effect-title">{title}</h3>
      {lines.map((line, i) => <p key={i} className="effect-lead">{line}</p>)}
    </section>
  );
}
