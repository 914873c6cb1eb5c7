/** The optional `predict` field of the scenario format, and lesson ids in links. */
import { describe, expect, it } from 'vitest';
import { LESSONS, ensureScenario, parseLessonId, scenarioMenu, scenarioRegistry, valueAt, sameValue } from '../../../src/lessons/index.ts';
import { builtinScenarios, parseScenario } from '../../../src/scenario/index.ts';

const base = { format: 'iommu-visualizer-scenario', version: 1, title: 'q' };
const walk = { kind: 'pgtable.create', name: 't', TG0: 0, T0SZ: 16 };

describe('predict in the scenario format', () => {
  it('is optional: the existing built-ins parse as before', () => {
    for (const { scenario } of builtinScenarios) expect(scenario.steps.every((s) => s.predict === undefined)).toBe(true);
  });

  it('is accepted on any step kind, linux.call included', () => {
    const predict = { question: 'Which?', choices: ['a', 'b'], answer: 1, expect: { path: 'returned', values: ['0', '-EBUSY'] } };
    const r = parseScenario({ ...base, steps: [{ kind: 'linux.boot', devices: [{ name: 'd', bdf: '01:00.0' }], predict }, { kind: 'linux.call', call: 'iommu_paging_domain_alloc', args: { dev: 'd', name: 'U' }, predict }] });
    expect(r.ok ? r.scenario.steps.map((s) => s.predict) : r.errors).toEqual([predict, predict]);
  });

  it('refuses an answer that is not one of the choices, naming where', () => {
    const r = parseScenario({ ...base, steps: [{ ...walk, predict: { question: 'Q', choices: ['a', 'b'], answer: 2 } }] });
    expect(r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`)).toEqual(['steps[0].predict.answer: must be the index of one of the 2 choices (0 to 1), got 2']);
  });

  it('refuses expect.values that do not pair with the choices', () => {
    const r = parseScenario({ ...base, steps: [{ ...walk, predict: { question: 'Q', choices: ['a', 'b', 'c'], answer: 0, expect: { path: 'x', values: [1, 2] } } }] });
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(['steps[0].predict.expect.values']);
  });

  it('refuses one choice, or a misspelt field', () => {
    expect(parseScenario({ ...base, steps: [{ ...walk, predict: { question: 'Q', choices: ['a'], answer: 0 } }] }).ok).toBe(false);
    expect(parseScenario({ ...base, steps: [{ ...walk, predict: { question: 'Q', choices: ['a', 'b'], answer: 0, explian: 'x' } }] }).ok).toBe(false);
  });
});

describe('answer-key values', () => {
  it('read dotted paths, array indexes included', () => {
    expect(valueAt({ event: { name: 'F_TRANSLATION' }, consumed: [{ invalidated: 1 }] }, 'event.name')).toBe('F_TRANSLATION');
    expect(valueAt({ consumed: [{ invalidated: 1 }] }, 'consumed.0.invalidated')).toBe(1);
    expect(valueAt({ tlb: 'hit' }, 'event.name')).toBeUndefined();
  });

  it('compare hex by value and null as absent', () => {
    expect(sameValue('0x880000123', '0x0000_0008_8000_0123')).toBe(true);
    expect(sameValue('0x880000123', '0x880000124')).toBe(false);
    expect(sameValue(undefined, null)).toBe(true);
    expect(sameValue(0, null)).toBe(false);
    expect(sameValue('hit', 'hit')).toBe(true);
  });
});

describe('lesson ids', () => {
  const first = LESSONS[0]!;
  it('name a lesson, or an exercise of a generated one by its seed', () => {
    expect(parseLessonId(first.id)).toEqual({ lesson: first, seed: 0 });
    expect(parseLessonId(`${first.id}~4294967295`)?.seed).toBe(4294967295);
    expect(parseLessonId(`${first.id}~4294967296`)).toBeUndefined();
    expect(parseLessonId(`${first.id}~x`)).toBeUndefined();
    expect(parseLessonId('lesson-04-nesting~3')).toBeUndefined();
    expect(parseLessonId('walk-4k-page')).toBeUndefined();
  });

  it('list the twelve lessons first, then the other built-ins, and register an exercise on demand', () => {
    expect(scenarioRegistry.slice(0, 12).map((s) => s.id)).toEqual(LESSONS.map((l) => l.id));
    expect(scenarioRegistry.slice(12).map((s) => s.id)).toEqual(builtinScenarios.map((b) => b.id));
    // Exercises are registered in the menu the app lists from (menu.ts).
    expect(ensureScenario(`${first.id}~77`)).toBe(true);
    expect(scenarioMenu.at(-1)?.id).toBe(`${first.id}~77`);
    expect(ensureScenario('no-such-lesson~1')).toBe(false);
  });
});
