/**
 * Choosing a preset DEFLATE dictionary from sample payloads, in the manner
 * of zstd's COVER: every run of d characters (a "d-mer") is worth the
 * lessons and built-ins it occurs in, a segment of k characters is worth
 * the sum of its distinct d-mers, and the best segments are taken greedily,
 * each taking away the worth of the d-mers it covers (so the dictionary
 * does not repeat itself). That ranks phrases by length x frequency. The
 * greedy choice is lazy: a score only falls, so a stale one is a bound.
 *
 * A generated lesson counts a d-mer only when most of its seeds share it:
 * its wording goes in, its numbers (different for each exercise) do not.
 * Deterministic: no randomness, ties broken by group and position.
 */
import type { CorpusGroup } from './corpus.ts';

export interface CoverOptions {
  /** The dictionary's length in bytes (DEFLATE reaches back at most 32,767). */
  readonly size: number;
  /** Segment length in characters: the unit the greedy choice takes. */
  readonly segment: number;
  /** d-mer length in characters: the shortest run that counts as shared. */
  readonly dmer: number;
  /** Worth of a d-mer found in only one group: 0 keeps text of a single lesson out. */
  readonly single: number;
  /** Worth of a built-in scenario relative to a lesson (1): links to lessons are the ones to keep short. */
  readonly builtin: number;
  /** Groups left out (held-out measurements). */
  readonly exclude?: readonly string[];
}

interface Candidate {
  score: number;
  readonly doc: number;
  readonly at: number;
}

/** Every document's d-mers as small integers (the same run, the same id), and how many ids there are. */
function dmerIds(docs: readonly string[], d: number): { ids: Int32Array[]; count: number } {
  const index = new Map<string, number>();
  const ids = docs.map((doc) => {
    const out = new Int32Array(Math.max(0, doc.length - d + 1));
    for (let i = 0; i < out.length; i++) {
      const m = doc.slice(i, i + d);
      let id = index.get(m);
      if (id === undefined) index.set(m, (id = index.size));
      out[i] = id;
    }
    return out;
  });
  return { ids, count: index.size };
}

/** A max-heap of candidates: the highest score first, then the earliest document and position. */
class Heap {
  private readonly items: Candidate[] = [];
  private before(a: Candidate, b: Candidate): boolean {
    return a.score !== b.score ? a.score > b.score : a.doc !== b.doc ? a.doc < b.doc : a.at < b.at;
  }
  get size(): number {
    return this.items.length;
  }
  peek(): Candidate | undefined {
    return this.items[0];
  }
  push(c: Candidate): void {
    const h = this.items;
    h.push(c);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!this.before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): Candidate | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** The phrases chosen, the most useful first. */
export function choosePhrases(groups: readonly CorpusGroup[], options: CoverOptions): string[] {
  const { size, segment: k, dmer: d, single } = options;
  const used = groups.filter((g) => !options.exclude?.includes(g.id));
  const all = used.flatMap((g) => g.docs);
  const { ids, count } = dmerIds(all, d);

  // A group has a d-mer when most of its documents (seeds) do. A d-mer is worth the groups that have it (a lesson 1,
  // a built-in `builtin`); one that a single group has is worth `single` times that.
  const groupsWith = new Int32Array(count);
  const weightWith = new Float64Array(count);
  const docsWith = new Int32Array(count);
  const stamp = new Int32Array(count).fill(-1);
  let epoch = 0;
  let first = 0;
  const canonical: Int32Array[] = [];
  const texts: string[] = [];
  for (const g of used) {
    docsWith.fill(0);
    const mine = ids.slice(first, first + g.docs.length);
    for (const doc of mine) {
      epoch++;
      for (const id of doc) {
        if (stamp[id] === epoch) continue;
        stamp[id] = epoch;
        docsWith[id]!++;
      }
    }
    const quorum = Math.ceil(g.docs.length / 2);
    epoch++;
    const weight = g.kind === 'lesson' ? 1 : options.builtin;
    for (const doc of mine) {
      for (const id of doc) {
        if (stamp[id] === epoch || docsWith[id]! < quorum) continue;
        stamp[id] = epoch;
        groupsWith[id]!++;
        weightWith[id]! += weight;
      }
    }
    canonical.push(mine[0]!);
    texts.push(g.docs[0]!);
    first += g.docs.length;
  }
  const worth = new Float64Array(count);
  for (let id = 0; id < count; id++) worth[id] = groupsWith[id] === 1 ? single * weightWith[id]! : weightWith[id]!;

  // A segment is worth its distinct d-mers; candidates start anywhere in each group's canonical document.
  const score = (doc: number, at: number): number => {
    const run = canonical[doc]!;
    epoch++;
    let total = 0;
    for (let i = at; i < Math.min(at + k - d + 1, run.length); i++) {
      const id = run[i]!;
      if (stamp[id] === epoch) continue;
      stamp[id] = epoch;
      total += worth[id]!;
    }
    return total;
  };
  const heap = new Heap();
  canonical.forEach((run, doc) => {
    for (let at = 0; at < run.length; at++) {
      const s = score(doc, at);
      if (s > 0) heap.push({ score: s, doc, at });
    }
  });

  const phrases: string[] = [];
  let length = 0;
  while (length < size && heap.size > 0) {
    const top = heap.pop()!;
    const fresh = score(top.doc, top.at);
    if (fresh <= 0) continue;
    // Scores only fall as d-mers are covered: a candidate still ahead of the next one's stale score is the best.
    if (fresh < (heap.peek()?.score ?? 0)) {
      heap.push({ ...top, score: fresh });
      continue;
    }
    const run = canonical[top.doc]!;
    // Trim the ends whose d-mers are worth nothing any more.
    let from = top.at;
    let to = Math.min(top.at + k - d, run.length - 1);
    while (from <= to && !worth[run[from]!]) from++;
    while (to >= from && !worth[run[to]!]) to--;
    for (let i = from; i <= to; i++) worth[run[i]!] = 0;
    const phrase = texts[top.doc]!.slice(from, to + d);
    phrases.push(phrase);
    length += phrase.length;
  }
  return phrases;
}

/**
 * The dictionary's phrases in the order it holds them: the most useful last
 * (nearest the data, so the shortest distances), the least useful cut off so
 * the whole is at most `size` bytes of UTF-8.
 */
export function orderPhrases(phrases: readonly string[], size: number): string[] {
  const out: string[] = [];
  let room = size;
  for (const phrase of phrases) {
    const bytes = new TextEncoder().encode(phrase);
    if (bytes.length <= room) {
      out.push(phrase);
      room -= bytes.length;
      continue;
    }
    // The last one in keeps its end (what follows it in the dictionary), cut at a character boundary.
    let cut = bytes.length - room;
    while (cut < bytes.length && ((bytes[cut] as number) & 0xc0) === 0x80) cut++;
    if (cut < bytes.length) out.push(new TextDecoder().decode(bytes.subarray(cut)));
    break;
  }
  return out.reverse();
}
