/**
 * Scenarios the UI benchmark needs and the lessons do not carry: a linear
 * stream table of 2^16 STEs (LOG2SIZE = 16), the largest the issue asks to
 * scroll smoothly, with live STEs spread over it.
 */
import { builtinScenario } from '../../scenario/index.ts';

/** StreamIDs given the lesson's stage-1 STE, spread from the first to the last row. */
export const BIG_TABLE_SIDS = [3, 257, 4099, 16384, 32768, 49157, 65535] as const;

export function bigStreamTableScenario(): unknown {
  const base = builtinScenario('smmu-stage1-dma');
  if (!base) throw new Error('the built-in smmu-stage1-dma is missing');
  const [probe, ...rest] = base.steps;
  const ste = rest.find((s) => s.kind === 'smmu.writeSte');
  if (probe?.kind !== 'smmu.probe' || !ste) throw new Error('smmu-stage1-dma no longer starts with smmu.probe and writes an STE');
  const more = BIG_TABLE_SIDS.filter((sid) => sid !== ste.sid).map((sid) => ({ ...ste, sid, note: `The same STE at StreamID ${sid}.` }));
  return JSON.parse(JSON.stringify({
    ...base,
    title: 'Bench: a 65,536-entry linear stream table',
    steps: [{ ...probe, log2size: 16, note: 'A linear stream table of 2^16 STEs (4 MB).' }, ...rest, ...more],
  }));
}

/**
 * A scenario long enough that running it takes seconds: the lesson's DMAs
 * repeated. Used to see progress and Cancel until the engine has a single
 * "million DMAs" step.
 */
export function longRunScenario(dmas: number): unknown {
  const base = builtinScenario('smmu-stage1-dma');
  if (!base) throw new Error('the built-in smmu-stage1-dma is missing');
  const traffic = base.steps.filter((s) => s.kind === 'smmu.dma');
  return JSON.parse(JSON.stringify({
    ...base,
    title: `A long run: ${dmas} DMAs`,
    // The repeats carry no note: the lesson's notes are long, and the file stays small.
    steps: [...base.steps, ...Array.from({ length: dmas }, (_, i) => ({ ...traffic[i % traffic.length], note: undefined }))],
  }));
}

/**
 * One step that runs for seconds on any machine: the lesson's stream, then a
 * single smmu.dmaBurst of `count` reads going round its 8KB buffer (IOTLB
 * hits after the first two). The worker runs it slice by slice, so the page
 * shows the DMAs climbing within the step and Cancel can stop it mid-way.
 */
export function burstRunScenario(count: number): unknown {
  const base = builtinScenario('smmu-stage1-dma');
  if (!base) throw new Error('the built-in smmu-stage1-dma is missing');
  const ste = base.steps.find((s) => s.kind === 'smmu.writeSte');
  if (!ste) throw new Error('smmu-stage1-dma no longer writes an STE');
  const burst = { kind: 'smmu.dmaBurst', sid: ste.sid, count, base: '0x1000_0000', stride: '0x40', span: '0x2000', access: 'read' };
  return JSON.parse(JSON.stringify({ ...base, title: `A long run: ${count.toLocaleString('en-US')} DMAs in one step`, steps: [...base.steps, burst] }));
}
