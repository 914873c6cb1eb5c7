/**
 * The end of the walk: the output address composed from the leaf
 * descriptor's OA and the offset bits of the input, or the fault with the
 * level it arose at and why, in the error colour.
 */
import type { WalkResult } from '../../engine/hw/pgtable/types.ts';
import type { Placeholder, WalkLayout } from './walkLayout.ts';
import { accessText, faultTitle, formatSize, hexGrouped, levelClass, smmuEventName } from '../format.ts';
import { wrapWords } from './describe.ts';
import { countReads, stageLeaf } from './nested.ts';

type Box = WalkLayout['result'];

export function ResultBox({ walk, box, nestedIn }: { walk: WalkResult; box: Box; nestedIn: string | undefined }) {
  return walk.fault ? <FaultBox walk={walk} box={box} /> : <OutputBox walk={walk} box={box} nestedIn={nestedIn} />;
}

function OutputBox({ walk, box, nestedIn }: { walk: WalkResult; box: Box; nestedIn: string | undefined }) {
  if (walk.ipa !== undefined) return <NestedOutputBox walk={walk} ipa={walk.ipa} box={box} nestedIn={nestedIn} />;
  const leaf = walk.steps[walk.steps.length - 1];
  const size = walk.mappingSize ?? 0n;
  const offsetBits = size > 0n ? size.toString(2).length - 1 : 0;
  const offset = size > 0n ? walk.input & (size - 1n) : 0n;
  const kind = leaf?.decoded?.type === 'block' ? 'block' : 'page';
  const x = box.x + 14;
  return (
    <g className={`result result-output ${leaf ? levelClass(leaf.level) : ''}`} data-testid="walk-result">
      <rect className="result-frame" x={box.x} y={box.y} width={box.width} height={box.height} rx={10} />
      <text className="result-label" x={x} y={box.y + 26}>Output address (PA)</text>
      <text className="result-pa" x={x} y={box.y + 56} data-testid="walk-pa">{hexGrouped(walk.output ?? 0n)}</text>
      <text className="result-part" x={x} y={box.y + 90}>
        <tspan className="result-op">=</tspan> OA {hexGrouped(leaf?.decoded?.address ?? 0n)}
      </text>
      <text className="result-part-note" x={x + 14} y={box.y + 108}>from the L{leaf?.level} {kind} descriptor</text>
      <text className="result-part" x={x} y={box.y + 134}>
        <tspan className="result-op">+</tspan> offset {hexGrouped(offset, 1)}
      </text>
      <text className="result-part-note" x={x + 14} y={box.y + 152}>input bits [{Math.max(offsetBits - 1, 0)}:0]</text>
      <line className="result-rule" x1={x} x2={box.x + box.width - 14} y1={box.y + 172} y2={box.y + 172} />
      <text className="result-fact" x={x} y={box.y + 196}>{formatSize(size)} {kind} at level {leaf?.level}</text>
      <text className="result-fact" x={x} y={box.y + 216}>{accessText(walk.access)}: allowed</text>
    </g>
  );
}

/**
 * A nested walk ends twice: the stage-1 leaf gives an IPA, and stage 2
 * translates that IPA to the PA. The box says both, and how many descriptor
 * reads it took.
 */
function NestedOutputBox({ walk, ipa, box, nestedIn }: { walk: WalkResult; ipa: bigint; box: Box; nestedIn: string | undefined }) {
  const leaf = walk.steps[walk.steps.length - 1];
  const kind = leaf?.decoded?.type === 'block' ? 'block' : 'page';
  const reads = countReads(walk);
  const x = box.x + 14;
  return (
    <g className={`result result-output result-nested ${leaf ? levelClass(leaf.level) : ''}`} data-testid="walk-result">
      <rect className="result-frame" x={box.x} y={box.y} width={box.width} height={box.height} rx={10} />
      <text className="result-label" x={x} y={box.y + 24}>Stage 1 gives the IPA</text>
      <text className="result-part" x={x} y={box.y + 46} data-testid="walk-ipa">IPA {hexGrouped(ipa)}</text>
      <text className="result-part-note" x={x} y={box.y + 64}>L{leaf?.level} {kind} descriptor + offset</text>
      <text className="result-label" x={x} y={box.y + 92}>
        <tspan className="result-op">↓</tspan> stage 2{nestedIn !== undefined ? ` (${nestedIn})` : ''}
      </text>
      <text className="result-part-note" x={x} y={box.y + 110}>{walk.stage2 ? stageLeaf(walk.stage2) : ''}</text>
      <text className="result-label" x={x} y={box.y + 138}>Output address (PA)</text>
      <text className="result-pa" x={x} y={box.y + 164} data-testid="walk-pa">{hexGrouped(walk.output ?? 0n)}</text>
      <line className="result-rule" x1={x} x2={box.x + box.width - 14} y1={box.y + 180} y2={box.y + 180} />
      <text className="result-fact" x={x} y={box.y + 202} data-testid="walk-reads">{reads.total} descriptor reads</text>
      <text className="result-part-note" x={x} y={box.y + 220}>{reads.stage1} stage 1 + {reads.stage2} stage 2</text>
    </g>
  );
}

function FaultBox({ walk, box }: { walk: WalkResult; box: Box }) {
  const fault = walk.fault;
  if (!fault) return null;
  const x = box.x + 14;
  const reason = wrapWords(fault.reason, Math.floor((box.width - 28) / 6.4));
  const reasonTop = box.y + 100;
  const after = reasonTop + reason.length * 18 + 14;
  return (
    <g className="result result-fault" data-testid="walk-result">
      <rect className="result-frame" x={box.x} y={box.y} width={box.width} height={box.height} rx={10} />
      <text className="fault-title" x={x} y={box.y + 32} data-testid="walk-fault">{faultTitle(fault.type)}</text>
      <text className="fault-level" x={x} y={box.y + 58}>at level {fault.level}{fault.stage === 2 ? ' of stage 2' : ''}</text>
      <text className="result-label" x={x} y={box.y + 82}>Why</text>
      {reason.map((line, i) => (
        <text key={i} className="fault-reason" x={x} y={reasonTop + i * 18}>{line}</text>
      ))}
      <line className="result-rule" x1={x} x2={box.x + box.width - 14} y1={after} y2={after} />
      <text className="result-fact" x={x} y={after + 24}>{fault.stage === 2 && fault.ipa !== undefined ? 'stage 2 could not translate IPA' : `${accessText(walk.access)} of`}</text>
      <text className="result-fact mono-fact" x={x} y={after + 44}>{hexGrouped(fault.stage === 2 && fault.ipa !== undefined ? fault.ipa : walk.input)}</text>
      <text className="result-label" x={x} y={after + 72}>SMMU event record</text>
      <text className="fault-event" x={x} y={after + 92}>{smmuEventName(fault.type)}</text>
    </g>
  );
}

export function PlaceholderBox({ placeholder, walk }: { placeholder: Placeholder; walk: WalkResult }) {
  const p = placeholder;
  const leaf = walk.steps[walk.steps.length - 1];
  const text =
    p.reason === 'in-offset'
      ? `The level ${leaf?.level} block covers ${formatSize(walk.mappingSize ?? 0n)}, so these index bits are part of the offset.`
      : `The walk stopped at level ${walk.fault?.level ?? leaf?.level}.`;
  const lines = wrapWords(text, Math.floor((p.width - 20) / 6.6));
  return (
    <g className={`placeholder ${levelClass(p.level)}`} data-placeholder={p.level}>
      <rect className="placeholder-frame" x={p.x} y={p.y} width={p.width} height={p.height} rx={8} />
      <text className="placeholder-title" x={p.x + 10} y={p.y + 22}>Level {p.level}: not read</text>
      {lines.map((line, i) => (
        <text key={i} className="placeholder-text" x={p.x + 10} y={p.y + 44 + i * 16}>{line}</text>
      ))}
    </g>
  );
}
