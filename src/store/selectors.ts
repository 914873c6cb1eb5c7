/**
 * Named reads of the store. Each returns a value already held in the state
 * (or a shared constant), never a fresh object, so components re-render only
 * when what they read changed.
 */
import type { EngineEvent } from '../engine/events.ts';
import type { WalkResult, WalkStep } from '../engine/hw/pgtable/types.ts';
import type { StepOutline } from '../worker/protocol.ts';
import type { AppState } from './appStore.ts';

const NO_EVENTS: readonly EngineEvent[] = [];
const NO_STEPS: readonly StepOutline[] = [];

export type WalkEvent = Extract<EngineEvent, { kind: 'walk.completed' }>;

export const selectScenarioId = (s: AppState) => s.scenarioId;
export const selectOutline = (s: AppState) => s.outline;
export const selectStatus = (s: AppState) => s.status;
export const selectIssues = (s: AppState) => s.issues;
export const selectCursor = (s: AppState) => s.cursor;
export const selectRevision = (s: AppState) => s.revision;
export const selectTheme = (s: AppState) => s.theme;
export const selectNotices = (s: AppState) => s.notices;
export const selectLog = (s: AppState) => s.log;
export const selectSelectedLevel = (s: AppState) => s.selectedLevel;

export const selectStepCount = (s: AppState): number => s.outline?.stepCount ?? 0;
export const selectSteps = (s: AppState): readonly StepOutline[] => s.outline?.steps ?? NO_STEPS;

/** The outline of the current step; undefined at step 0. */
export const selectCurrentStep = (s: AppState): StepOutline | undefined =>
  s.cursor > 0 ? s.outline?.steps[s.cursor - 1] : undefined;

/** The events the current step produced (empty at step 0). */
export const selectCurrentEvents = (s: AppState): readonly EngineEvent[] =>
  s.cursor > 0 ? (s.log[s.cursor - 1] ?? NO_EVENTS) : NO_EVENTS;

export const selectCurrentWalk = (s: AppState): WalkEvent | undefined =>
  selectCurrentEvents(s).find((e): e is WalkEvent => e.kind === 'walk.completed');

/** The walk level the inspector shows: the picked one if the walk reached it, else the last level read. */
export function inspectedStep(walk: WalkResult | undefined, selectedLevel: number | undefined): WalkStep | undefined {
  if (!walk) return undefined;
  const picked = walk.steps.find((step) => step.level === selectedLevel);
  return picked ?? walk.steps[walk.steps.length - 1];
}

export const selectInspectedStep = (s: AppState): WalkStep | undefined =>
  inspectedStep(selectCurrentWalkResult(s), s.selectedLevel);

export const selectCanStepBack = (s: AppState): boolean => s.status === 'ready' && s.cursor > 0;
export const selectCanStepForward = (s: AppState): boolean => s.status === 'ready' && s.cursor < selectStepCount(s);

/** A DMA the SMMU translated: a device's DMA in an SMMU lesson, or one a Linux scenario issued. */
export type DmaEvent = Extract<EngineEvent, { kind: 'smmu.dma' | 'linux.dma' }>;
export type UpdateEvent = Extract<EngineEvent, { kind: 'smmu.steUpdated' | 'smmu.cdUpdated' }>;

export const selectMode = (s: AppState) => s.mode;
export const selectSmmu = (s: AppState) => s.smmu;
export const selectViewRequest = (s: AppState) => s.viewRequest;
export const selectInspectedEntry = (s: AppState) => s.inspectedEntry;
export const selectUpdateStep = (s: AppState) => s.updateStep;
export const selectSmmuTab = (s: AppState) => s.smmuTab;

/** Whether the open scenario programs an SMMU at all, itself or through the Linux driver (its panels are shown from step 0 on). */
export const selectHasSmmu = (s: AppState): boolean => (s.outline?.steps ?? NO_STEPS).some((step) => step.kind.startsWith('smmu.') || step.kind.startsWith('linux.'));

export const selectCurrentDma = (s: AppState): DmaEvent | undefined =>
  selectCurrentEvents(s).find((e): e is DmaEvent => e.kind === 'smmu.dma' || e.kind === 'linux.dma');

export const selectCurrentUpdate = (s: AppState): UpdateEvent | undefined =>
  selectCurrentEvents(s).find((e): e is UpdateEvent => e.kind === 'smmu.steUpdated' || e.kind === 'smmu.cdUpdated');

/** The words of the inspected entry, as held in the state (a table entry's words come from the worker's view). */
export function selectInspectedWords(s: AppState): readonly bigint[] | undefined {
  const e = s.inspectedEntry;
  if (!e) return undefined;
  if (e.source === 'words') return e.words;
  const stream = s.smmu?.stream;
  if (!stream || stream.sid !== e.sid) return undefined;
  if (e.kind === 'STE') return stream.ste?.words;
  return stream.cdTable?.rows.find((r) => r.ssid === e.ssid)?.words;
}

/** The walk the inspector reads: a walk step's, or the walk a DMA made. */
export const selectCurrentWalkResult = (s: AppState): WalkResult | undefined =>
  selectCurrentWalk(s)?.result ?? selectCurrentDma(s)?.outcome.trace.walk;

export type LinuxCallEvent = Extract<EngineEvent, { kind: 'linux.called' | 'linux.booted' }>;
export type LinuxDmaEvent = Extract<EngineEvent, { kind: 'linux.dma' }>;
export type LinuxFindingEvent = Extract<EngineEvent, { kind: 'linux.finding' }>;

export const selectLinux = (s: AppState) => s.linux;
export const selectCheckpoint = (s: AppState) => s.checkpoint;

/** Whether the open scenario boots Linux: the topology view is shown from step 0 on. */
export const selectHasLinux = (s: AppState): boolean => (s.outline?.steps ?? NO_STEPS).some((step) => step.kind.startsWith('linux.'));

/** The current step's kernel call (or the boot), with its hardware writes and checkpoints. */
export const selectCurrentLinuxCall = (s: AppState): LinuxCallEvent | undefined =>
  selectCurrentEvents(s).find((e): e is LinuxCallEvent => e.kind === 'linux.called' || e.kind === 'linux.booted');

export const selectCurrentLinuxDma = (s: AppState): LinuxDmaEvent | undefined =>
  selectCurrentEvents(s).find((e): e is LinuxDmaEvent => e.kind === 'linux.dma');

export const selectMarks = (s: AppState) => s.marks;
export const selectPlaying = (s: AppState) => s.playing;
export const selectSpeed = (s: AppState) => s.speed;
export const selectHelpOpen = (s: AppState) => s.helpOpen;
