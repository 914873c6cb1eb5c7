/**
 * Building predict questions in the generators: each choice carries the
 * value it stands for in the step's result line, and the order is shuffled
 * by the exercise's PRNG so the right answer does not always sit in one place.
 */
import type { Predict } from '../scenario/schema.ts';
import type { Rng } from './prng.ts';

export interface Choice {
  readonly text: string;
  /** The value at `path` in the result line that this choice stands for (null: absent). */
  readonly value: string | number | boolean | null;
}

export interface QuestionSpec {
  readonly question: string;
  readonly choices: readonly Choice[];
  /** Index in `choices` of the right one. */
  readonly right: number;
  readonly path: string;
  readonly explain?: string;
  /** false keeps the order given (yes/no questions read better as "Yes", "No"). Default true. */
  readonly shuffle?: boolean;
}

export function question(spec: QuestionSpec, rng: Rng): Predict {
  const right = spec.choices[spec.right];
  if (!right) throw new Error(`"${spec.question}": right = ${spec.right} is not a choice`);
  const ordered = [...spec.choices];
  if (spec.shuffle !== false) {
    // Fisher-Yates with the exercise's own PRNG: the same seed, the same order.
    for (let i = ordered.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      const a = ordered[i] as Choice;
      ordered[i] = ordered[j] as Choice;
      ordered[j] = a;
    }
  }
  return {
    question: spec.question,
    choices: ordered.map((c) => c.text),
    answer: ordered.indexOf(right),
    ...(spec.explain === undefined ? {} : { explain: spec.explain }),
    expect: { path: spec.path, values: ordered.map((c) => c.value) },
  };
}
