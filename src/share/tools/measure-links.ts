/**
 * npx tsx src/share/tools/measure-links.ts
 *
 * Prints, as Markdown tables for docs/sharing.md, the length of the hash
 * ("#v2.…", with the "#") of every lesson and built-in at step 3 in the
 * default view, with link version 2 (the app's encoder) and version 1 (the
 * same payload with v1's dictionary), then the same lessons with one note
 * rewritten, each compressed with a dictionary built without it ("held
 * out": what a lesson written after the dictionary can expect; 12 more
 * builds, a minute or two), and at exercise seeds.
 */
import { deflateSync } from 'fflate';
import { LESSONS, lessonScenario } from '../../lessons/index.ts';
import { builtinScenarios, type Scenario } from '../../scenario/index.ts';
import { DICTIONARY_V1_TEXT } from '../dictionary-v1.ts';
import { DICTIONARY_V2, encodeShareLink, sharePayloadText } from '../encode.ts';
import { DEFAULT_LINK_VIEW } from '../view.ts';
import { corpusGroups, EXERCISE_SEEDS, MEASURE_STEP } from './corpus.ts';
import { dictionaryPhrases } from './build.ts';

const utf8 = new TextEncoder();
const V1 = utf8.encode(DICTIONARY_V1_TEXT);

/** Hash length ("#vN." and base64url of DEFLATE + CRC-32) of a scenario with a given dictionary. */
function hashLength(scenario: Scenario, dictionary?: Uint8Array): number {
  const payload = utf8.encode(sharePayloadText({ scenario, step: MEASURE_STEP, view: DEFAULT_LINK_VIEW }));
  const bytes = deflateSync(payload, { level: 9, ...(dictionary ? { dictionary } : {}) }).length + 4;
  return '#v2.'.length + Math.ceil((bytes * 4) / 3);
}

function appLinkLength(scenario: Scenario): number {
  const made = encodeShareLink({ scenario, step: MEASURE_STEP, view: DEFAULT_LINK_VIEW });
  if (!made.ok) throw new Error(made.message);
  return made.link.length + 1;
}

/** A lesson with the note of its fourth step rewritten in other words (an edit the dictionary has never seen). */
export function withEditedNote(scenario: Scenario): Scenario {
  const steps = scenario.steps.map((step, i) =>
    i === 3 ? { ...step, note: 'Edited for my class: before this step runs, say out loud which table the SMMU reads first, what index it uses and why; then check the answer against the diagram and the event queue.' } : step,
  );
  return { ...scenario, steps } as Scenario;
}

const n = (x: number) => x.toLocaleString('en-US');
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const row = (cells: readonly (string | number)[]) => console.log(`| ${cells.map((c) => (typeof c === 'number' ? n(c) : c)).join(' | ')} |`);

function main(): void {
  const lessons = LESSONS.map((lesson) => ({ lesson, scenario: lessonScenario(lesson).scenario }));
  const groups = corpusGroups();
  const held = lessons.map(({ lesson, scenario }) => hashLength(scenario, utf8.encode(dictionaryPhrases([lesson.id], groups).join(''))));
  const columns = ['v2', 'v1', 'plain', 'v2, one note edited', 'v2 held out'];
  console.log(`| lesson | ${columns.join(' | ')} |`);
  console.log(`| --- |${' ---: |'.repeat(columns.length)}`);
  const table = lessons.map(({ lesson, scenario }, i) => {
    const cells = [appLinkLength(scenario), hashLength(scenario, V1), hashLength(scenario), hashLength(withEditedNote(scenario), DICTIONARY_V2), held[i]!];
    row([lesson.id, ...cells]);
    return cells;
  });
  row(['**median**', ...columns.map((_, c) => median(table.map((cells) => cells[c]!)))]);

  console.log(`\n| exercise (seed) | v2 | v1 |\n| --- | ---: | ---: |`);
  for (const lesson of LESSONS.filter((l) => l.generate)) {
    // A seed the dictionary saw (1) and one it did not.
    for (const seed of [EXERCISE_SEEDS[0]!, 77_777]) {
      const scenario = lessonScenario(lesson, seed).scenario;
      row([`${lesson.id}~${seed}`, appLinkLength(scenario), hashLength(scenario, V1)]);
    }
  }

  console.log(`\n| built-in | v2 | v1 | plain |\n| --- | ---: | ---: | ---: |`);
  for (const { id, scenario } of builtinScenarios) row([id, appLinkLength(scenario), hashLength(scenario, V1), hashLength(scenario)]);
}

main();
