/**
 * Timeline labels for the SMMUv3 steps: "DMA sid 3 read 0x4000_1234",
 * "STE 3 ← stage 1 (hitless, 2 syncs)". Given the step's engine events, an
 * update's label also says how the driver's sequence went.
 */
import type { EngineEvent } from '../engine/index.ts';
import { parseU64 } from '../engine/index.ts';
import type { SmmuStep } from './commands-smmu.ts';
import { type EntryFieldsSpec, fieldValueOf } from './entry-fields.ts';
import { groupedHex } from './hex-text.ts';
import type { CommandSpec } from './steps-cmdq.ts';
import { burstStepLabel } from './smmu-burst.ts';

const CONFIG_NAMES: Readonly<Record<number, string>> = { 0: 'abort', 1: 'abort', 2: 'abort', 3: 'abort', 4: 'bypass', 5: 'stage 1', 6: 'stage 2', 7: 'nested' };

const valueOf = (fields: EntryFieldsSpec, name: string): bigint | undefined => {
  const v = fields[name];
  return v === undefined ? undefined : fieldValueOf(v);
};

/** What an STE's fields configure: "stage 1", "bypass", "invalid (V = 0)". */
export function steConfigText(fields: EntryFieldsSpec): string {
  if ((valueOf(fields, 'V') ?? 0n) === 0n) return 'invalid (V = 0)';
  return CONFIG_NAMES[Number(valueOf(fields, 'Config') ?? 0n)] ?? '?';
}

function cdText(fields: EntryFieldsSpec): string {
  if ((valueOf(fields, 'V') ?? 0n) === 0n) return 'invalid (V = 0)';
  const ttb0 = valueOf(fields, 'TTB0');
  return `ASID ${valueOf(fields, 'ASID') ?? 0n}${ttb0 === undefined ? '' : `, TTB0 ${groupedHex(ttb0)}`}`;
}

/** "(hitless, 2 syncs)" from the step's events, when it has run. */
function updateOutcome(events: readonly EngineEvent[] | undefined): string {
  const e = events?.find((x) => x.kind === 'smmu.steUpdated' || x.kind === 'smmu.cdUpdated');
  if (!e || (e.kind !== 'smmu.steUpdated' && e.kind !== 'smmu.cdUpdated')) return ' (driver update)';
  const p = e.update.plan;
  return ` (${p.hitless ? 'hitless' : 'not hitless: V cleared'}, ${p.syncs} sync${p.syncs === 1 ? '' : 's'})`;
}

/** The argument that tells one command of a kind from another: its StreamID, ASID, address ... */
function commandText(c: CommandSpec): string {
  const v = (name: string) => (c[name] === undefined ? undefined : fieldValueOf(c[name]));
  const parts: string[] = [c.op];
  const sid = v('StreamID');
  if (sid !== undefined) parts.push(String(sid));
  const ssid = v('SubstreamID');
  if (ssid !== undefined) parts.push(`ssid ${ssid}`);
  const asid = v('ASID');
  if (asid !== undefined) parts.push(`ASID ${asid}`);
  const vmid = v('VMID');
  if (vmid !== undefined && vmid !== 0n) parts.push(`VMID ${vmid}`);
  const address = v('Address');
  if (address !== undefined) parts.push(groupedHex(address));
  return parts.join(' ');
}

const MAX_COMMANDS_SHOWN = 3;

export function smmuStepLabel(step: SmmuStep, events?: readonly EngineEvent[]): string {
  switch (step.kind) {
    case 'smmu.probe':
      return `probe the SMMU (${step.preset}): ${step.streamTable} stream table`;
    case 'smmu.writeRegister':
      return `${step.register} ← ${groupedHex(parseU64(step.value))}`;
    case 'smmu.writeSte':
      return `STE ${step.sid} ← ${steConfigText(step.fields)}`;
    case 'smmu.updateSte':
      return `STE ${step.sid} ← ${steConfigText(step.fields)}${updateOutcome(events)}`;
    case 'smmu.writeCd':
      return `CD ${step.ssid} of STE ${step.sid} ← ${cdText(step.fields)}`;
    case 'smmu.updateCd':
      return `CD ${step.ssid} of STE ${step.sid} ← ${cdText(step.fields)}${updateOutcome(events)}`;
    case 'smmu.commands': {
      const shown = step.commands.slice(0, MAX_COMMANDS_SHOWN).map((c) => commandText(c as CommandSpec));
      const more = step.commands.length - shown.length;
      return `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
    }
    case 'smmu.dmaBurst':
      return burstStepLabel(step);
    case 'smmu.dma':
      return `DMA sid ${step.sid}${step.ssid === undefined ? '' : ` ssid ${step.ssid}`} ${step.privileged === false ? 'unprivileged ' : ''}${step.access} ${groupedHex(parseU64(step.address))}`;
  }
}
