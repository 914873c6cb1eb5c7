/**
 * The twelve lessons run on the real engine with no refused step, and every
 * predict question's answer key is what the engine does on that step.
 */
import { describe, expect, it } from 'vitest';
import { LESSONS, canonicalLessons, checkLesson, checkPredict, lessonScenario } from '../../../src/lessons/index.ts';
import { hx } from '../../../src/lessons/hex.ts';
import { runScenario } from '../../../src/scenario/index.ts';

describe('the lessons', () => {
  it('are twelve, numbered 1 to 12 in order, with distinct ids and titles that say their number', () => {
    expect(LESSONS.map((l) => l.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(12);
    for (const l of canonicalLessons()) expect(l.scenario.title).toMatch(new RegExp(`^Lesson ${l.lesson.number}: `));
  });

  it('generate lessons 1, 2, 3, 5 and 6 from a seed; the others are static', () => {
    expect(LESSONS.filter((l) => l.generate).map((l) => l.number)).toEqual([1, 2, 3, 5, 6]);
    expect(LESSONS.filter((l) => !l.generate).every((l) => l.json !== undefined)).toBe(true);
  });

  for (const { lesson, scenario } of canonicalLessons()) {
    describe(`${lesson.number}: ${lesson.title}`, () => {
      const { rejected, checks } = checkLesson(scenario);

      it('runs to its end with no step refused by the engine', () => {
        expect(rejected).toEqual([]);
      });

      it('narrates every step', () => {
        scenario.steps.forEach((step, i) => expect(step.note?.length ?? 0, `steps[${i}].note`).toBeGreaterThan(20));
      });

      it('asks 2 to 4 questions, each with a machine-checkable answer key', () => {
        expect(checks.length).toBeGreaterThanOrEqual(2);
        expect(checks.length).toBeLessThanOrEqual(4);
        for (const step of scenario.steps) if (step.predict) expect(step.predict.expect, step.predict.question).toBeDefined();
      });

      it('marks as right exactly the choice the engine agrees with', () => {
        expect(checks.filter((c) => !c.ok).map((c) => `steps[${c.step}] "${c.question}": ${c.problem}`)).toEqual([]);
      });

      it('has a key that would fail if it marked another choice', () => {
        for (const c of checks) {
          const predict = scenario.steps[c.step]?.predict;
          if (!predict) throw new Error('a checked step lost its question');
          const line = [...runScenario(scenario)][c.step];
          const wrong = (predict.answer + 1) % predict.choices.length;
          expect(checkPredict(c.step, { ...predict, answer: wrong }, line).ok, predict.question).toBe(false);
        }
      });
    });
  }
});

describe('exercises', () => {
  const generated = LESSONS.filter((l) => l.generate);
  const SEEDS = Array.from({ length: 24 }, (_, i) => i + 1).concat([0xffff_ffff, 0x8000_0000, 123_456_789]);

  it('seed 0 is the canonical lesson, with the lesson id itself', () => {
    for (const l of generated) expect(lessonScenario(l, 0).id).toBe(l.id);
    expect(lessonScenario(generated[0]!, 7).id).toBe(`${generated[0]!.id}~7`);
  });

  it('are deterministic per seed and differ across seeds', () => {
    for (const l of generated) {
      const a = lessonScenario(l, 42).scenario;
      expect(lessonScenario(l, 42).scenario, l.id).toEqual(a);
      expect(lessonScenario(l, 43).scenario, l.id).not.toEqual(a);
      expect(lessonScenario(l, 0).scenario, l.id).not.toEqual(a);
      expect(a.description, l.id).toContain('Exercise seed 42');
    }
  });

  for (const l of generated) {
    it(`${l.number}: every seed in the range runs with no refused step, and every key matches the engine`, () => {
      for (const seed of SEEDS) {
        const { scenario } = lessonScenario(l, seed);
        const { rejected, checks } = checkLesson(scenario);
        expect(rejected, `seed ${seed}`).toEqual([]);
        expect(checks.filter((c) => !c.ok).map((c) => `seed ${seed} steps[${c.step}]: ${c.problem}`)).toEqual([]);
      }
    });
  }

  it('narrate the physical address each "which PA" question expects, for every seed', () => {
    for (const l of generated) {
      for (const seed of [0, 5, 99]) {
        const { scenario } = lessonScenario(l, seed);
        const lines = [...runScenario(scenario)];
        scenario.steps.forEach((step, i) => {
          const line = lines[i] as { output?: string } | undefined;
          if (step.predict?.expect?.path !== 'output' || !line?.output) return;
          expect(step.note, `${l.id} seed ${seed} steps[${i}]`).toContain(hx(BigInt(line.output), 16));
        });
      }
    }
  });

  it('put the right answer in different places across seeds', () => {
    const positions = new Set<number>();
    for (const seed of SEEDS) {
      const q = lessonScenario(LESSONS[0]!, seed).scenario.steps.find((s) => s.predict?.expect?.path === 'output')?.predict;
      if (q) positions.add(q.answer);
    }
    expect(positions.size).toBeGreaterThan(1);
  });
});
