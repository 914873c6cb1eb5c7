/** Commands on the SMMU: probe, register writes, STE/CD writes, commands, DMA. */
import type { EngineCommand } from '../commands.ts';
import type { EngineEvent } from '../events.ts';
import { DmaBurst } from '../hw/smmu/dma-burst.ts';
import { FEATURE_PRESETS } from '../hw/smmu/features.ts';
import { Smmu } from '../hw/smmu/smmu.ts';
import { issueCommands } from '../os/arm-smmu-v3/cmdq.ts';
import { probeSmmu } from '../os/arm-smmu-v3/probe.ts';
import { writeCd, writeSte } from '../os/arm-smmu-v3/structures.ts';
import { updateCd, updateSte } from '../os/arm-smmu-v3/update-entry.ts';
import type { EngineState } from '../state.ts';
import { EngineError } from '../util/assert.ts';

type SmmuCommand = Extract<EngineCommand, { kind: `smmu.${string}` }>;

/** A resumable smmu.dmaBurst: the engine's startDmaBurst hands it to the worker, which runs it in slices. */
export function startBurst(s: EngineState, c: Extract<EngineCommand, { kind: 'smmu.dmaBurst' }>): DmaBurst {
  return new DmaBurst(smmuOf(s), { sid: c.sid, ...(c.ssid === undefined ? {} : { ssid: c.ssid }), count: c.count, base: c.base, stride: c.stride, span: c.span, access: c.access });
}

function smmuOf(s: EngineState): Smmu {
  if (!s.smmu) throw new EngineError('there is no SMMU yet: add an smmu.probe step first', 'kind');
  return s.smmu;
}

export function handleSmmu(s: EngineState, c: SmmuCommand): EngineEvent[] {
  switch (c.kind) {
    case 'smmu.probe': {
      if (s.smmu) throw new EngineError('the SMMU was already probed', 'kind');
      const features = { ...FEATURE_PRESETS[c.preset], ...c.features };
      const smmu = new Smmu(s.mem, features);
      const result = probeSmmu(smmu, s.allocator, c.options);
      s.smmu = smmu;
      return [{ kind: 'smmu.probed', features, result }];
    }
    case 'smmu.writeRegister': {
      const smmu = smmuOf(s);
      const old = smmu.read(c.register);
      const consumed = smmu.write(c.register, c.value);
      return [{ kind: 'smmu.registerWritten', register: c.register, old, value: c.value, consumed }];
    }
    case 'smmu.writeSte': {
      const r = writeSte(smmuOf(s), s.allocator, c.sid, c.fields);
      return [{ kind: 'smmu.steWritten', sid: c.sid, ...r }];
    }
    case 'smmu.writeCd': {
      const r = writeCd(smmuOf(s), s.allocator, c.sid, c.ssid, c.fields, c.cdTable);
      return [{ kind: 'smmu.cdWritten', sid: c.sid, ssid: c.ssid, ...r }];
    }
    case 'smmu.updateSte':
      return [{ kind: 'smmu.steUpdated', sid: c.sid, update: updateSte(smmuOf(s), s.allocator, c.sid, c.fields) }];
    case 'smmu.updateCd':
      return [{ kind: 'smmu.cdUpdated', sid: c.sid, ssid: c.ssid, update: updateCd(smmuOf(s), s.allocator, c.sid, c.ssid, c.fields, c.cdTable) }];
    case 'smmu.issueCommands': {
      const r = issueCommands(smmuOf(s), c.commands);
      return [{ kind: 'smmu.commandsIssued', ...r }];
    }
    case 'smmu.dma': {
      const outcome = smmuOf(s).dma({ sid: c.sid, ...(c.ssid !== undefined ? { ssid: c.ssid } : {}), address: c.address, access: c.access });
      return [{ kind: 'smmu.dma', outcome }];
    }
    case 'smmu.dmaBurst': {
      const burst = startBurst(s, c);
      burst.runSlice(c.count);
      return [{ kind: 'smmu.dmaBurst', burst: burst.summary() }];
    }
  }
}
