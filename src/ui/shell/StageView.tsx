/**
 * The main area: the walk diagram when the current step is a walk, what the
 * step did otherwise, and the state of the scenario before step 1 or when it
 * could not be loaded.
 */
import { lazy, Suspense, useEffect } from 'react';
import { selectLevel, useAppStore } from '../../store/appStore.ts';
import {
  selectCurrentDma, selectCurrentEvents, selectCurrentUpdate, selectCurrentWalk, selectCursor, selectInspectedStep, selectIssues, selectOutline, selectRevision,
  selectHasLinux, selectScenarioId, selectSmmu, selectStatus, selectUpdateStep,
} from '../../store/selectors.ts';
import { StepEffects } from '../effects/StepEffects.tsx';
import { WalkDiagram } from '../walk/WalkDiagram.tsx';
import { CompareToggle } from '../compare/CompareToggle.tsx';

// Shown only for SMMU and Linux scenarios and the comparison: fetched when first needed, not with the first diagram.
const DmaPath = lazy(() => import('../dma/DmaPath.tsx').then((m) => ({ default: m.DmaPath })));
const UpdatePlan = lazy(() => import('../update/UpdatePlan.tsx').then((m) => ({ default: m.UpdatePlan })));
const LinuxStage = lazy(() => import('../linux/LinuxStage.tsx').then((m) => ({ default: m.LinuxStage })));
const CompareStage = lazy(() => import('../compare/CompareStage.tsx').then((m) => ({ default: m.CompareStage })));
const loading = <p className="panel-hint">Loading…</p>;

export function StageView({ onGoTo, onCompare }: { onGoTo: (step: number) => void; onCompare?: (open: boolean) => void }) {
  const status = useAppStore(selectStatus);
  const cursor = useAppStore(selectCursor);
  const events = useAppStore(selectCurrentEvents);
  const walk = useAppStore(selectCurrentWalk);
  const inspected = useAppStore(selectInspectedStep);
  const revision = useAppStore(selectRevision);
  const outline = useAppStore(selectOutline);
  const dma = useAppStore(selectCurrentDma);
  const update = useAppStore(selectCurrentUpdate);
  const updateStep = useAppStore(selectUpdateStep);
  const smmu = useAppStore(selectSmmu);
  const hasLinux = useAppStore(selectHasLinux);
  const compareOpen = useAppStore((s) => s.compareOpen);

  if (status === 'invalid') return <InvalidScenario />;
  if (status === 'idle' || (status === 'loading' && !outline)) return <p className="panel-hint">Loading the scenario…</p>;
  if (!outline) return <p className="panel-hint">No scenario is open.</p>;
  if (compareOpen && onCompare) return <Suspense fallback={loading}><CompareStage onClose={() => onCompare(false)} /></Suspense>;
  if (cursor === 0) {
    return (
      <div className="intro">
        {onCompare && <CompareToggle onCompare={onCompare} />}
        <h2 className="intro-title">Nothing has run yet</h2>
        <p className="panel-hint">Memory is empty{outline.steps.some((st) => st.kind.startsWith('smmu.') || st.kind.startsWith('linux.')) ? ', the SMMU is not probed' : ''}{outline.steps.some((st) => st.kind.startsWith('linux.')) ? ', Linux has not booted' : ''} and no page table exists. The {outline.stepCount} steps of this scenario:</p>
        <ol className="intro-steps">
          {outline.steps.map((step, i) => (
            <li key={i}>
              <button type="button" onClick={() => onGoTo(i + 1)} aria-label={`Go to step ${i + 1}: ${step.label}`}>
                <span className="chip-number">{i + 1}</span>
                <span className="intro-step-label">{step.label}</span>
              </button>
            </li>
          ))}
        </ol>
      </div>
    );
  }
  // One boundary: the "first diagram" mark (DiagramDrawn) commits only with every part of the step's diagram.
  return (
    <Suspense fallback={loading}>
    <div className="stage-body">
      {onCompare && <CompareToggle onCompare={onCompare} />}
      {hasLinux && <LinuxStage />}
      {walk && (
        <WalkDiagram walk={walk.result} table={walk.table} stage={walk.stage} nestedIn={walk.stage2} replayKey={revision}
          inspectedLevel={inspected?.level} onInspect={selectLevel} />
      )}
      {dma && (
        <DmaPath outcome={dma.outcome} features={smmu?.features} tlbRows={smmu?.iotlb.rows} replayKey={revision} inspectedLevel={inspected?.level} />
      )}
      {update && <UpdatePlan event={update} features={smmu?.features} position={updateStep} />}
      <StepEffects events={events} />
      {events.length === 0 && <p className="panel-hint">This step produced no events.</p>}
      <DiagramDrawn />
    </div>
    </Suspense>
  );
}

function InvalidScenario() {
  const issues = useAppStore(selectIssues);
  const id = useAppStore(selectScenarioId);
  return (
    <div className="effect-card effect-rejected" role="alert">
      <h2 className="effect-title">The scenario “{id}” is not valid</h2>
      <ul>
        {issues.map((issue, i) => (
          <li key={i}>
            <code>{issue.path}</code>: {issue.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The performance mark `npm run bench:ui` times page loads by: the first step's diagram is on the page. */
export const FIRST_DIAGRAM_MARK = 'first-diagram';

/** Commits with the step's diagram, so the mark is set once that is on the page. */
function DiagramDrawn() {
  useEffect(() => {
    if (performance.getEntriesByName(FIRST_DIAGRAM_MARK).length === 0) performance.mark(FIRST_DIAGRAM_MARK);
  }, []);
  return null;
}
