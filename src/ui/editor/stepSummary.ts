/**
 * A step in a few words for the step list, from whatever the draft holds
 * (the scenario's own labels need a valid step; a draft step may not be).
 */

const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

const str = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '?');

export function stepSummary(raw: unknown): string {
  const step = record(raw);
  const kind = typeof step.kind === 'string' ? step.kind : '(no kind)';
  switch (kind) {
    case 'memory.write':
      return `memory.write ${str(step.address)}`;
    case 'pgtable.create':
      return `pgtable.create ${str(step.name)}${step.stage === 2 ? ' (stage 2)' : ''}`;
    case 'pgtable.map':
      return `pgtable.map ${str(step.table)} ${str(step.iova)} → ${str(step.paddr)}`;
    case 'pgtable.unmap':
      return `pgtable.unmap ${str(step.table)} ${str(step.iova)}`;
    case 'walk':
      return `walk ${str(step.table)} ${str(step.address)} ${str(step.access)}`;
    case 'smmu.probe':
      return `smmu.probe ${str(step.preset)}`;
    case 'smmu.writeRegister':
      return `smmu.writeRegister ${str(step.register)}`;
    case 'smmu.writeSte':
    case 'smmu.updateSte':
      return `${kind} StreamID ${str(step.sid)}`;
    case 'smmu.writeCd':
    case 'smmu.updateCd':
      return `${kind} ${str(step.sid)}/${str(step.ssid)}`;
    case 'smmu.commands': {
      const ops = Array.isArray(step.commands) ? step.commands.map((c) => str(record(c).op)) : [];
      return `smmu.commands ${ops.slice(0, 3).join(', ')}${ops.length > 3 ? ` +${ops.length - 3}` : ''}`;
    }
    case 'smmu.dma':
      return `smmu.dma ${str(step.sid)} ${str(step.address)} ${str(step.access)}`;
    case 'linux.boot':
      return `linux.boot ${Array.isArray(step.devices) ? step.devices.length : 0} devices`;
    case 'linux.call':
      return `${str(step.call)}()`;
    case 'linux.dma':
      return `linux.dma ${str(step.device)} ${str(step.iova)}`;
    default:
      return kind;
  }
}
