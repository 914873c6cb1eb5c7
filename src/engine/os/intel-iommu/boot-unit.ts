/** linux.boot with iommu: intel-iommu probes a VT-d unit first (intel_iommu_init), unless a vtd.probe step did. */
import type { LinuxBootCommand } from './boot-types.ts';
import type { VtdEvent } from '../../hw/vtd/command-types.ts';
import { VTD_PRESETS } from '../../hw/vtd/features.ts';
import { VtdUnit } from '../../hw/vtd/vtd.ts';
import type { EngineState } from '../../state.ts';
import { EngineError } from '../../util/assert.ts';
import { probeVtd } from './probe.ts';

export function bootVtd(s: EngineState, setup: LinuxBootCommand['vtd']): Extract<VtdEvent, { kind: 'vtd.probed' }> {
  const preset = setup?.preset ?? 'scalable';
  if (!(preset in VTD_PRESETS)) throw new EngineError(`vtd.preset must be one of ${Object.keys(VTD_PRESETS).join(', ')}`, 'vtd.preset');
  const features = { ...VTD_PRESETS[preset], ...setup?.features };
  const unit = new VtdUnit(s.mem, features);
  const r = probeVtd(unit, s.allocator, setup?.mode ? { mode: setup.mode } : {});
  s.vtd = unit;
  return { kind: 'vtd.probed', features, mode: r.mode, rootTable: r.rootTable, queue: r.queue, registerWrites: r.registerWrites, writes: r.writes, consumed: r.consumed };
}
