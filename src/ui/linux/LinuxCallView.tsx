/**
 * One kernel call as the kernel developer reads it: the function with its
 * arguments, what it returned ("0", "-EBUSY"), the groups it left behind,
 * and below it the hardware writes it made, in order. A call that switched
 * a group's domain gets the checkpoint scrubber: which device is on which
 * domain at each point and what every in-flight DMA hit there. Any call the
 * engine knows is shown this way; the call table only adds words.
 */
import type { EngineEvent, GroupState, InflightResult, SmmuFeatures } from '../../engine/index.ts';
import { argRole, argText, callSpec, orderedArgs } from '../../scenario/index.ts';
import { hexGrouped } from '../format.ts';
import { ownerText } from '../topology/TopologyNodes.tsx';
import { CheckpointScrubber } from './CheckpointScrubber.tsx';
import { checkpointPlaces } from './checkpointMap.ts';
import { HwWriteList } from './HwWriteList.tsx';

type CallEvent = Extract<EngineEvent, { kind: 'linux.called' | 'linux.booted' }>;

interface Props {
  readonly event: CallEvent;
  /** Checkpoint shown: 0 .. checkpoints.length (= after the call). */
  readonly position: number;
  readonly onMove: (position: number) => void;
  readonly features: SmmuFeatures | undefined;
}

function CallHeader({ event }: { event: Extract<CallEvent, { kind: 'linux.called' }> }) {
  const { call, args } = event.call;
  const list = orderedArgs(call, args as Record<string, unknown>);
  const spec = callSpec(call);
  const ok = event.ret === 0;
  return (
    <header className="call-header">
      <h3 className="call-title" data-testid="call-title">
        <code className="call-sig">
          <span className="call-fn">{call}</span>(
          {list.map(([name, value], i) => (
            <span key={name} className="call-arg">{i > 0 ? ', ' : ''}<span className="call-arg-value" title={name}>{argText(call, name, value)}</span></span>
          ))})
        </code>
        <span className={ok ? 'call-ret is-ok' : 'call-ret is-err'} data-testid="call-returned">= {event.returned}</span>
      </h3>
      {spec && <p className="call-what">{spec.description}</p>}
      {list.length > 0 && (
        <dl className="call-args">
          {list.map(([name, value]) => (
            <div key={name}><dt>{name}</dt><dd><code>{argText(call, name, value)}</code></dd></div>
          ))}
        </dl>
      )}
    </header>
  );
}

function BootHeader({ event }: { event: Extract<CallEvent, { kind: 'linux.booted' }> }) {
  return (
    <header className="call-header">
      <h3 className="call-title" data-testid="call-title">Linux booted: bus_iommu_probe</h3>
      <table className="data-table">
        <caption>Each device as the IOMMU driver probed it</caption>
        <thead><tr><th scope="col">Device</th><th scope="col">StreamIDs</th><th scope="col">Group</th><th scope="col">Why</th></tr></thead>
        <tbody>
          {event.boot.probed.map((p) => (
            <tr key={p.device}>
              <td><strong>{p.device}</strong></td>
              <td className="mono">{p.streamIds.map((s) => `0x${s.toString(16)}`).join(', ')}</td>
              <td>{p.ret === 0 ? p.group : <span className="call-ret is-err">-{p.ret}</span>}</td>
              <td>{p.why}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {event.boot.drivers.length > 0 && (
        <p className="call-what">Drivers bound: {event.boot.drivers.map((d) => `${d.driver} → ${d.device}${d.ret === 0 ? '' : ` (-${d.ret})`}`).join(', ')}</p>
      )}
    </header>
  );
}

export function GroupsTable({ groups, caption }: { groups: readonly GroupState[]; caption: string }) {
  if (groups.length === 0) return null;
  return (
    <table className="data-table groups-table" data-testid="groups-table">
      <caption>{caption}</caption>
      <thead><tr><th scope="col">Group</th><th scope="col">devices</th><th scope="col">domain</th><th scope="col">default_domain</th><th scope="col">owner</th></tr></thead>
      <tbody>
        {groups.map((g) => (
          <tr key={g.id} data-testid={`group-row-${g.id}`}>
            <td><strong>{g.id}</strong></td>
            <td>{g.devices.join(', ')}</td>
            <td className="mono" data-testid={`group-domain-${g.id}`}>{g.domain ?? 'NULL'} <span className="muted">{g.domainType ?? ''}</span></td>
            <td className="mono">{g.defaultDomain ?? 'NULL'}</td>
            <td>{ownerText(g)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function landedClass(landed: InflightResult['landed']): string {
  return landed === 'old domain' ? 'tone-old' : landed === 'blocked' ? 'tone-blocked' : landed === 'outside' ? 'tone-outside' : 'tone-new';
}

function AtCheckpoint({ event, position }: { event: CallEvent; position: number }) {
  const c = event.checkpoints[position];
  if (!c) return null;
  const dmas = event.kind === 'linux.called' ? event.inflight.filter((r) => r.checkpoint === position) : [];
  return (
    <div className="at-checkpoint" data-testid="at-checkpoint">
      <table className="data-table">
        <caption>Where each device of group {c.group} points: {c.old ?? 'nothing'} → {c.new}</caption>
        <thead><tr><th scope="col">Device</th><th scope="col">The driver has it on</th><th scope="col">Now</th></tr></thead>
        <tbody>
          {c.devices.map((d) => (
            <tr key={d.device} data-testid={`cp-device-${d.device}`}>
              <td><strong>{d.device}</strong></td>
              <td className="mono">{d.domain ?? 'nothing yet'}</td>
              <td>{d.moving ? <span className="moving">moving: {d.moving.from ?? 'nothing'} → {d.moving.to}</span> : d.domain === c.new ? 'moved' : 'waiting'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {dmas.length > 0 && (
        <table className="data-table">
          <caption>In-flight DMA at this checkpoint</caption>
          <thead><tr><th scope="col">Device</th><th scope="col">IOVA</th><th scope="col">Landed</th><th scope="col">What the SMMU did</th></tr></thead>
          <tbody>
            {dmas.map((r, i) => (
              <tr key={i} data-testid={`cp-dma-${r.device}`}>
                <td><strong>{r.device}</strong> <span className="muted">SID 0x{r.sid.toString(16)}</span></td>
                <td className="mono">{hexGrouped(r.iova)}</td>
                <td><span className={`landed ${landedClass(r.landed)}`}>{r.landed}</span></td>
                <td>{r.outcome.result === 'terminated' ? `terminated${r.outcome.event ? `: ${r.outcome.event.name}` : ' (abort, no event)'}` : `${r.outcome.result} to PA ${hexGrouped(r.outcome.output ?? 0n)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function LinuxCallView({ event, position, onMove, features }: Props) {
  const places = checkpointPlaces(event.checkpoints, event.hw);
  const linked = places[position];
  const onPlanStep = (hw: number, k: number) => {
    const at = k === 0 ? places.findIndex((p) => p?.hw === hw) - 1 : places.findIndex((p) => p?.hw === hw && p.step === k);
    if (at >= 0) onMove(at);
  };
  return (
    <section className="linux-call" aria-label={event.kind === 'linux.called' ? `Kernel call ${event.call.call}` : 'Linux boot'} data-testid="linux-call">
      {event.kind === 'linux.called' ? <CallHeader event={event} /> : <BootHeader event={event} />}
      {event.warnings.map((w) => <p key={w} className="update-warning" data-testid="call-warning">{w}</p>)}
      {event.checkpoints.length > 0 && (
        <section className="call-section" aria-label="Checkpoints">
          <h4 className="call-section-title">{event.kind === 'linux.booted' ? 'The first attaches, point by point' : 'The switch, point by point'}</h4>
          <CheckpointScrubber checkpoints={event.checkpoints} position={position} onMove={onMove} />
          <AtCheckpoint event={event} position={position} />
        </section>
      )}
      <GroupsTable groups={event.kind === 'linux.booted' ? event.groups : changedGroups(event)} caption={event.kind === 'linux.booted' ? 'The groups' : 'The group after the call'} />
      <section className="call-section" aria-label="Hardware writes">
        <h4 className="call-section-title">What the driver wrote to the hardware ({event.hw.length})</h4>
        <HwWriteList hw={event.hw} features={features} linked={linked} linkedCheckpoint={linked ? position : undefined} onPlanStep={onPlanStep} />
      </section>
    </section>
  );
}

/** The groups the call is about: the one it switched, or those its arguments name. */
function changedGroups(event: Extract<CallEvent, { kind: 'linux.called' }>): GroupState[] {
  const ids = new Set<number>(event.checkpoints.slice(0, 1).map((c) => c.group));
  for (const [arg, value] of Object.entries(event.call.args as Record<string, unknown>)) {
    const role = argRole(event.call.call, arg);
    if (role === 'group' && typeof value === 'number') ids.add(value);
    if ((role === 'group' || role === 'device') && typeof value === 'string') for (const g of event.groups) if (g.devices.includes(value)) ids.add(g.id);
  }
  return event.groups.filter((g) => ids.has(g.id));
}
