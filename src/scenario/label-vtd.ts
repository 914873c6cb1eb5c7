/** Timeline labels for the VT-d steps: "DMA 03:00.0 PASID 1 read 0x40_0000", "PASID entry 1 of 03:00.0 ← first-stage". */
import { parseU64 } from '../engine/index.ts';
import { PGTT_NAMES } from '../engine/hw/vtd/structures.ts';
import type { VtdStep } from './commands-vtd.ts';
import { fieldValueOf } from './entry-fields.ts';
import { groupedHex } from './hex-text.ts';

const bdf = (sid: number): string => `${(sid >> 8).toString(16).padStart(2, '0')}:${((sid >> 3) & 0x1f).toString(16).padStart(2, '0')}.${sid & 7}`;
const addr = (text: string) => groupedHex(parseU64(text));

export function vtdStepLabel(step: VtdStep): string {
  switch (step.kind) {
    case 'vtd.probe':
      return `VT-d probe (${step.preset}${step.mode ? `, ${step.mode} mode` : ''})`;
    case 'vtd.writeRegister':
      return `${step.register} ← ${addr(step.value)}`;
    case 'vtd.clearFault':
      return `clear fault record ${step.index}`;
    case 'vtd.writeContext': {
      const p = step.fields.P === undefined ? 0n : fieldValueOf(step.fields.P);
      return `context entry ${bdf(step.sid)} ← ${p === 0n ? 'not present (P = 0)' : 'present'}`;
    }
    case 'vtd.writePasidEntry': {
      const p = step.fields.P === undefined ? 0n : fieldValueOf(step.fields.P);
      const pgtt = step.fields.PGTT === undefined ? 0 : Number(fieldValueOf(step.fields.PGTT));
      return `PASID entry ${step.pasid} of ${bdf(step.sid)} ← ${p === 0n ? 'not present (P = 0)' : PGTT_NAMES[pgtt] ?? `PGTT ${pgtt}`}`;
    }
    case 'vtd.createPgtable':
      return `create ${step.name}: VT-d ${step.format}, ${step.levels}-level`;
    case 'vtd.map':
      return `map ${step.table} ${addr(step.iova)} → ${addr(step.paddr)}, ${addr(step.size)} bytes ${step.write === false ? 'RO' : 'RW'}`;
    case 'vtd.unmap':
      return `unmap ${step.table} ${addr(step.iova)}, ${addr(step.size)} bytes`;
    case 'vtd.invalidate':
      return `invalidate: ${step.descriptors.map((d) => d.type).join(', ')}`;
    case 'vtd.dma':
      return `DMA ${bdf(step.sid)}${step.pasid === undefined ? '' : ` PASID ${step.pasid}`} ${step.access} ${addr(step.address)}`;
  }
}
