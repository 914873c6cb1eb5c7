/**
 * Short readings of a walk for the diagram's cards and the summary line.
 * They only name what the engine decoded; nothing here decides a walk.
 */
import type { WalkResult, WalkStep } from '../../engine/hw/pgtable/types.ts';
import { assertNever } from '../../engine/util/assert.ts';
import { accessText, faultTitle, formatSize, hexGrouped } from '../format.ts';

/** AP[2:1] (descriptor bits [7:6]), as the VMSAv8-64 stage-1 tables define it. */
export function apMeaning(ap: number): string {
  switch (ap & 3) {
    case 0:
      return 'read/write, privileged only';
    case 1:
      return 'read/write, any level';
    case 2:
      return 'read-only, privileged only';
    default:
      return 'read-only, any level';
  }
}

/** The size one entry at this step's level spans: 2^(lowest index bit). */
export function entrySpan(step: WalkStep): bigint {
  return 1n << BigInt(step.indexBits[1]);
}

/** First line under a descriptor: its type and where it points. */
export function descriptorHeadline(step: WalkStep): string {
  const d = step.decoded;
  if (step.descriptor === undefined || !d) return 'Read failed: never written';
  switch (d.type) {
    case 'table':
      return `Table → ${hexGrouped(d.address ?? 0n)}`;
    case 'block':
      return `Block ${formatSize(entrySpan(step))} → ${hexGrouped(d.address ?? 0n)}`;
    case 'page':
      return `Page → ${hexGrouped(d.address ?? 0n)}`;
    case 'invalid':
      return 'Invalid: bit 0 is 0';
    case 'reserved':
      return `Reserved: type 0b01 at level ${step.level}`;
    default:
      return assertNever(d.type, 'descriptor type');
  }
}

/** The descriptor's kind, for the card under a table: "Table descriptor", "Block descriptor, 2MB" ... */
export function descriptorKind(step: WalkStep): string {
  const d = step.decoded;
  if (step.descriptor === undefined || !d) return 'Never written';
  switch (d.type) {
    case 'table':
      return 'Table descriptor';
    case 'block':
      return `Block descriptor, ${formatSize(entrySpan(step))}`;
    case 'page':
      return `Page descriptor, ${formatSize(entrySpan(step))}`;
    case 'invalid':
      return 'Invalid descriptor';
    case 'reserved':
      return 'Reserved encoding';
    default:
      return assertNever(d.type, 'descriptor type');
  }
}

/** Where it points ("→ 0x4000_1000"), or why it points nowhere. */
export function descriptorTarget(step: WalkStep): string {
  const d = step.decoded;
  if (step.descriptor === undefined || !d) return 'external abort';
  if (d.type === 'table' || d.type === 'block' || d.type === 'page') return `→ ${hexGrouped(d.address ?? 0n)}`;
  return d.type === 'invalid' ? 'bit[0] = 0' : 'bits[1:0] = 0b01';
}

/** The attributes that decide the access (leaves), or where the entry was read (tables). */
export function descriptorDetail(step: WalkStep): string {
  const d = step.decoded;
  if (d && (d.type === 'block' || d.type === 'page') && d.stage === 2) {
    return `S2AP ${(d.S2AP ?? 0).toString(2).padStart(2, '0')} · AF ${d.AF ?? 0}`;
  }
  if (d && (d.type === 'block' || d.type === 'page')) {
    const ap = d.AP ?? 0;
    return `AP ${ap.toString(2).padStart(2, '0')} ${ap & 2 ? 'read-only' : 'read/write'} · AF ${d.AF ?? 0}`;
  }
  return `read at ${hexGrouped(step.descriptorAddress)}`;
}

/** A one-line account of the result, for the summary under the diagram and for screen readers. */
export function walkSummary(walk: WalkResult): string {
  if (walk.fault) {
    return `${faultTitle(walk.fault.type)} at level ${walk.fault.level}: ${walk.fault.reason} (${accessText(walk.access)} of ${hexGrouped(walk.input)})`;
  }
  const leaf = walk.steps[walk.steps.length - 1];
  const what = leaf?.decoded?.type === 'block' ? 'block' : 'page';
  const size = walk.mappingSize === undefined ? '' : `${formatSize(walk.mappingSize)} `;
  // A nested walk's leaf maps to an IPA; stage 2 then gives the PA.
  const via = walk.ipa !== undefined ? ` via IPA ${hexGrouped(walk.ipa)}: stage-1 ` : ': ';
  return `Output address (PA) ${hexGrouped(walk.output ?? 0n)}${via}${size}${what} at level ${leaf?.level ?? '?'}, ${accessText(walk.access)} allowed`;
}

/**
 * Greedy word wrap for SVG text, which does not wrap by itself. "AP[2] = 1"
 * and the like stay on one line: an equation split over two reads badly.
 */
export function wrapWords(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  const words = text.replace(/ = /g, '\u00a0=\u00a0').split(/[ \t\n]+/).filter(Boolean);
  for (const raw of words) {
    const word = raw.replace(/\u00a0/g, ' ');
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= maxChars) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
