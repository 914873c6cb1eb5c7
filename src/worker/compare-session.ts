/**
 * The comparison's two engines: the scenario on arm-smmu-v3 and on
 * intel-iommu (one is the scenario as written, the other its twin), each
 * brought to the same step, with snapshots so stepping back is a short
 * replay, as in the main session. Separate from the main session's engine
 * on purpose: opening the comparison never disturbs what the page shows.
 */
import { Engine, type EngineCommand, type EngineEvent, type EngineOptions, type EngineSnapshot, type LinuxState } from '../engine/index.ts';
import { vtdView } from '../engine/views/vtd-view.ts';
import type { Scenario } from '../scenario/index.ts';
import { engineOptionsOf } from '../scenario/index.ts';
import { differences } from './compare-diff.ts';
import { kernelSide, stateFindings, stepFindings } from './compare-kernel.ts';
import { kernelPasids } from './compare-owner.ts';
import { smmuDeviceSide } from './compare-smmu.ts';
import { buildTwin, type SideCommands, type TwinPlan } from './compare-twin.ts';
import type { CompareDevice, CompareView } from './compare-types.ts';
import { vtdDeviceSide } from './compare-vtd.ts';

const SNAPSHOT_EVERY = 8;

/** One side: an engine moved forward by its commands (a skipped step applies nothing and logs null). */
class SideRunner {
  private engine: Engine;
  private cursor = 0;
  private readonly snapshots = new Map<number, EngineSnapshot>();
  readonly log: (readonly EngineEvent[] | null)[] = [];

  constructor(private readonly commands: SideCommands, options: EngineOptions) {
    this.engine = new Engine(options);
    this.snapshots.set(0, this.engine.snapshot());
  }

  goTo(target: number): Engine {
    if (target < this.cursor) {
      let best = 0;
      for (const k of this.snapshots.keys()) if (k <= target && k > best) best = k;
      const snap = this.snapshots.get(best);
      if (!snap) throw new Error('the step-0 snapshot of a comparison side is missing');
      this.engine = Engine.fromSnapshot(snap);
      this.cursor = best;
    }
    while (this.cursor < target) {
      const c: EngineCommand | null | undefined = this.commands[this.cursor];
      if (c === undefined) break;
      this.log[this.cursor] = c === null ? null : this.engine.apply(c);
      this.cursor++;
      if (this.cursor % SNAPSHOT_EVERY === 0 && !this.snapshots.has(this.cursor)) this.snapshots.set(this.cursor, this.engine.snapshot());
    }
    return this.engine;
  }
}

function shortBdf(bdf: string): string {
  return bdf.replace(/^0000:/, '');
}

function compareDevices(smmuEngine: Engine, vtdEngine: Engine): CompareDevice[] {
  const a = smmuEngine.linux;
  const b = vtdEngine.linux;
  const view = vtdEngine.vtd ? vtdView(vtdEngine.vtd) : undefined;
  const base: LinuxState | undefined = a ?? b;
  if (!base) return [];
  const names = base.devices.map((d) => d.name).filter((n) => a?.masters.some((m) => m.device === n) || b?.masters.some((m) => m.device === n));
  return names.map((name) => {
    const dev = base.devices.find((d) => d.name === name);
    const smmu = a && smmuEngine.smmu ? smmuDeviceSide(smmuEngine.smmu, a, name) : null;
    const vtd = b && view ? vtdDeviceSide(view, b, name) : null;
    const pasids = new Set<number>([
      ...(smmu?.cds ?? []).map((c) => c.ssid),
      ...(vtd?.pasids ?? []).map((p) => p.pasid),
      ...(a ? kernelPasids(a, name) : []),
      ...(b ? kernelPasids(b, name) : []),
    ]);
    if (smmu?.cdTable || vtd?.context?.mode === 'scalable') pasids.add(0);
    return { name, bdf: shortBdf(dev?.bdf ?? ''), group: dev?.group ?? null, smmu, vtd, pasids: [...pasids].sort((x, y) => x - y) };
  });
}

export class CompareSession {
  private readonly plan: TwinPlan;
  private readonly smmu: SideRunner | undefined;
  private readonly vtd: SideRunner | undefined;
  private readonly stepCount: number;

  constructor(scenario: Scenario) {
    this.plan = buildTwin(scenario);
    this.stepCount = scenario.steps.length;
    if (this.plan.ok) {
      const options = engineOptionsOf(scenario);
      this.smmu = new SideRunner(this.plan.smmu, options);
      this.vtd = new SideRunner(this.plan.vtd, options);
    }
  }

  /** Both sides after `requested` steps (clamped into 0..stepCount). */
  at(requested: number): CompareView {
    const step = Math.min(Math.max(Math.trunc(requested) || 0, 0), this.stepCount);
    if (!this.plan.ok || !this.smmu || !this.vtd) return { available: false, step, reason: this.plan.ok ? 'the comparison could not start' : this.plan.reason };
    const a = this.smmu.goTo(step);
    const b = this.vtd.goTo(step);
    const devices = compareDevices(a, b);
    const ka = kernelSide(a.linux);
    const kb = kernelSide(b.linux);
    const state = stateFindings(ka, kb);
    const steps = stepFindings(this.smmu.log.slice(0, step), this.vtd.log.slice(0, step));
    const last = (log: readonly (readonly EngineEvent[] | null)[]) => (step > 0 ? log[step - 1] ?? [] : []);
    return {
      available: true, step, original: this.plan.original,
      skipped: this.plan.skipped,
      smmuBooted: a.linux !== undefined, vtdBooted: b.linux !== undefined,
      vtdMode: b.vtd?.rootTable?.mode ?? null,
      devices,
      kernel: { smmu: ka, vtd: kb, same: state.length === 0 },
      findings: [...steps, ...state],
      differences: differences(devices, last(this.smmu.log), last(this.vtd.log)),
    };
  }
}
