/**
 * Which store or sync each checkpoint of a domain switch follows. The driver
 * takes a checkpoint after every store and every sync of every STE/CD write
 * (arm_smmu_write_entry), in the order the writes appear in the call's
 * hardware list; the other checkpoints are the start and "device is on X".
 * Matching by the checkpoint's own label keeps the two in step even if a
 * write made outside a switch has no checkpoints.
 */
import type { Checkpoint, LinuxHwWrite } from '../../engine/index.ts';

export interface CheckpointPlace {
  /** Index of the STE/CD write in the call's hardware list. */
  readonly hw: number;
  /** After how many of that write's stores and syncs (1-based). */
  readonly step: number;
}

/** "nic0: STE 0x100 qword 0 stored", "nic0: CD 0 synced (CMD_CFGI_CD, CMD_SYNC)". */
const STEP_LABEL = /^(.+): (STE 0x[0-9a-f]+|CD \d+) (qword \d+ stored|synced)/;

export function checkpointPlaces(checkpoints: readonly Checkpoint[], hw: readonly LinuxHwWrite[]): (CheckpointPlace | undefined)[] {
  const steps: { hw: number; step: number; device: string; what: string; kind: 'write' | 'sync' }[] = [];
  hw.forEach((h, i) => {
    if (h.kind !== 'ste' && h.kind !== 'cd') return;
    const what = h.kind === 'ste' ? `STE 0x${h.sid.toString(16)}` : `CD ${h.ssid}`;
    h.update.executed.forEach((s, k) => steps.push({ hw: i, step: k + 1, device: h.device, what, kind: s.kind }));
  });
  let next = 0;
  return checkpoints.map((c) => {
    const m = STEP_LABEL.exec(c.label);
    if (!m) return undefined;
    const kind = m[3]?.startsWith('qword') ? 'write' : 'sync';
    // The next driver step of that device and entry: skips writes that made no checkpoint.
    const found = steps.findIndex((s, j) => j >= next && s.device === m[1] && s.what === m[2] && s.kind === kind);
    if (found < 0) return undefined;
    next = found + 1;
    const s = steps[found];
    return s ? { hw: s.hw, step: s.step } : undefined;
  });
}
