/** Commands on the VT-d unit: probe, registers, context and PASID entries, page tables, invalidations, DMA. */
import type { EngineEvent } from '../events.ts';
import type { VtdCommand } from '../hw/vtd/command-types.ts';
import { VTD_PRESETS } from '../hw/vtd/features.ts';
import { vtdMap, vtdUnmap, type VtdPgtable } from '../hw/vtd/pgtable.ts';
import { VTD_REGISTER_NAMES } from '../hw/vtd/registers.ts';
import { VtdUnit } from '../hw/vtd/vtd.ts';
import { probeVtd } from '../os/intel-iommu/probe.ts';
import { submitDescriptors } from '../os/intel-iommu/qi.ts';
import { writeContext, writePasidEntry } from '../os/intel-iommu/structures.ts';
import type { EngineState } from '../state.ts';
import { EngineError } from '../util/assert.ts';

function unitOf(s: EngineState): VtdUnit {
  if (!s.vtd) throw new EngineError('there is no VT-d unit yet: add a vtd.probe step first', 'kind');
  return s.vtd;
}

function tableOf(s: EngineState, name: string): VtdPgtable {
  const t = s.vtdTables?.get(name);
  if (!t) throw new EngineError(`no VT-d page table named "${name}"`, 'table');
  return t;
}

const bigintField = (v: unknown, field: string): bigint => {
  if (typeof v !== 'bigint') throw new EngineError(`${field} must be a 64-bit value (bigint)`, field);
  return v;
};

export function handleVtd(s: EngineState, c: VtdCommand): EngineEvent[] {
  switch (c.kind) {
    case 'vtd.probe': {
      if (s.vtd) throw new EngineError('the VT-d unit was already probed', 'kind');
      if (!(c.preset in VTD_PRESETS)) throw new EngineError(`preset must be one of ${Object.keys(VTD_PRESETS).join(', ')}`, 'preset');
      const features = { ...VTD_PRESETS[c.preset], ...c.features };
      const unit = new VtdUnit(s.mem, features);
      const r = probeVtd(unit, s.allocator, { ...(c.mode ? { mode: c.mode } : {}), ...(c.enable === false ? { enable: false } : {}) });
      s.vtd = unit;
      return [{ kind: 'vtd.probed', features, mode: r.mode, rootTable: r.rootTable, queue: r.queue, registerWrites: r.registerWrites, writes: r.writes, consumed: r.consumed }];
    }
    case 'vtd.writeRegister': {
      const unit = unitOf(s);
      if (!VTD_REGISTER_NAMES.includes(c.register)) throw new EngineError(`register must be one of ${VTD_REGISTER_NAMES.join(', ')}`, 'register');
      const old = unit.read(c.register);
      const consumed = unit.write(c.register, bigintField(c.value, 'value'));
      return [{ kind: 'vtd.registerWritten', register: c.register, old, value: c.value, consumed }];
    }
    case 'vtd.clearFault':
      return [{ kind: 'vtd.faultCleared', index: c.index, wasPending: unitOf(s).clearFault(c.index) }];
    case 'vtd.writeContext': {
      const r = writeContext(unitOf(s), s.allocator, c.sid, c.fields ?? {});
      return [{ kind: 'vtd.contextWritten', sid: c.sid, ...r }];
    }
    case 'vtd.writePasidEntry': {
      const r = writePasidEntry(unitOf(s), s.allocator, c.sid, c.pasid, c.fields ?? {});
      return [{ kind: 'vtd.pasidEntryWritten', sid: c.sid, pasid: c.pasid, ...r }];
    }
    case 'vtd.createPgtable': {
      if (c.format !== 'first-stage' && c.format !== 'second-stage') throw new EngineError('format must be "first-stage" or "second-stage"', 'format');
      const ok = c.format === 'first-stage' ? c.levels === 4 || c.levels === 5 : c.levels >= 3 && c.levels <= 5;
      if (!ok) throw new EngineError(c.format === 'first-stage' ? 'a first-stage table has 4 or 5 levels' : 'a second-stage table has 3, 4 or 5 levels', 'levels');
      s.vtdTables ??= new Map();
      if (s.vtdTables.has(c.name)) throw new EngineError(`a VT-d page table named "${c.name}" already exists`, 'name');
      const root = s.allocator.alloc(4096n);
      s.vtdTables.set(c.name, { format: c.format, levels: c.levels, root });
      return [{ kind: 'vtd.pgtableCreated', name: c.name, format: c.format, levels: c.levels, root }];
    }
    case 'vtd.map': {
      const t = tableOf(s, c.table);
      const f = s.vtd?.features;
      const large = t.format === 'first-stage' ? { l2: true, l3: f?.fl1gp ?? true } : { l2: ((f?.sllps ?? 3) & 1) === 1, l3: ((f?.sllps ?? 3) & 2) === 2 };
      const r = vtdMap(s.mem, s.allocator, t, bigintField(c.iova, 'iova'), bigintField(c.paddr, 'paddr'), bigintField(c.size, 'size'), c.prot, large);
      return [{ kind: 'vtd.mapped', table: c.table, iova: c.iova, paddr: c.paddr, size: c.size, entries: r.entries, tables: r.tables.map((t) => t.address), writes: r.writes }];
    }
    case 'vtd.unmap': {
      const r = vtdUnmap(s.mem, tableOf(s, c.table), bigintField(c.iova, 'iova'), bigintField(c.size, 'size'));
      return [{ kind: 'vtd.unmapped', table: c.table, iova: c.iova, size: c.size, ...r }];
    }
    case 'vtd.invalidate': {
      if (!Array.isArray(c.descriptors) || c.descriptors.length === 0) throw new EngineError('descriptors must be a non-empty list', 'descriptors');
      const r = submitDescriptors(unitOf(s), c.descriptors);
      return [{ kind: 'vtd.invalidated', ...r }];
    }
    case 'vtd.dma': {
      if (!c.access || !['read', 'write', 'exec'].includes(c.access.kind)) throw new EngineError('access must be { kind: read | write | exec, privileged }', 'access');
      if (!Number.isInteger(c.sid) || c.sid < 0 || c.sid > 0xffff) throw new EngineError('sid must be a requester ID 0..0xffff', 'sid');
      const outcome = unitOf(s).dma({ sid: c.sid, ...(c.pasid !== undefined ? { pasid: c.pasid } : {}), address: bigintField(c.address, 'address'), access: c.access });
      return [{ kind: 'vtd.dma', outcome }];
    }
  }
}
