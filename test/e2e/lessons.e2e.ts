/**
 * The twelve lessons in a real Chromium: each played to its last step with
 * the keyboard, answering every question on the way (the right answer, read
 * from the lesson itself), and the predict card: a wrong pick says so, the
 * "Reveal answers" switch shows the keys and lets stepping go straight on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalLessons, LESSONS } from '../../src/lessons/index.ts';
import { openApp, type App, type Page } from './harness/index.ts';

async function currentStep(page: Page): Promise<number> {
  return Number(await page.getByTestId('step-counter').locator('strong').textContent());
}

function problems(a: App): string[] {
  return a.problems();
}

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('lessons', () => {
  it('lists the twelve lessons first in the picker, in order, then the other scenarios', async () => {
    app = await openApp({ path: '?scenario=lesson-01-stage1-dma&step=0' });
    const { page } = app;
    const picker = page.getByLabel('Scenario', { exact: true });
    await expect.poll(() => picker.inputValue()).toBe('lesson-01-stage1-dma');
    const groups = await picker.locator('optgroup').evaluateAll((els) => els.map((el) => el.getAttribute('label')));
    expect(groups).toEqual(['Lessons 1–12', 'Other scenarios']);
    const lessonTitles = await picker.locator('optgroup').first().locator('option').allTextContents();
    expect(lessonTitles.map((t) => Number(t.split('.')[0]))).toEqual(LESSONS.map((l) => l.number));
    expect(problems(app)).toEqual([]);
  });

  for (const { id, lesson, scenario } of canonicalLessons()) {
    it(`plays lesson ${lesson.number} to its end, answering every question, and shows the last narration`, async () => {
      app = await openApp({ path: `?scenario=${id}&step=0`, reducedMotion: 'reduce' });
      const { page } = app;
      const count = scenario.steps.length;
      await expect.poll(() => page.getByTestId('step-counter').textContent(), { message: id, timeout: 15_000 }).toBe(`Step 0 of ${count}`);
      let asked = 0;
      for (let n = 1; n <= count; n++) {
        await page.keyboard.press('ArrowRight');
        const predict = scenario.steps[n - 1]?.predict;
        if (predict) {
          // The step waits for the answer: the card asks, the counter stays.
          await expect.poll(() => page.getByTestId('predict-question').textContent(), { message: `${id} step ${n}`, timeout: 10_000 }).toBe(predict.question);
          expect(await currentStep(page)).toBe(n - 1);
          const label = `Answer ${'ABCDE'[predict.answer]}: ${predict.choices[predict.answer]}`;
          // The first choice has the keyboard: Tab to the right one and press Enter.
          for (let i = 0; i < predict.answer; i++) await page.keyboard.press('Tab');
          await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(label);
          await page.keyboard.press('Enter');
          await expect.poll(() => page.getByTestId('predict-verdict').textContent(), { message: `${id} step ${n}`, timeout: 10_000 }).toBe('Right');
          asked++;
        }
        await expect.poll(() => currentStep(page), { message: `${id} step ${n}`, timeout: 10_000 }).toBe(n);
      }
      expect(asked, id).toBeGreaterThanOrEqual(2);
      await expect.poll(() => page.getByTestId('step-note').textContent()).toContain(scenario.steps.at(-1)?.note?.slice(0, 40) ?? '?');
      await expect.poll(() => page.getByTestId('lesson-score').textContent()).toBe(`${asked} questions: ${asked} of ${asked} right`);
      expect(await page.getByRole('alert').count(), `${id}: no failure notice`).toBe(0);
      expect(problems(app), id).toEqual([]);
      if (lesson.number === 4) {
        await app.screenshot('lesson-04-last-step-light', { fullPage: true });
        await app.close();
        app = await openApp({ path: `?scenario=${id}&step=${count}`, colorScheme: 'dark', reducedMotion: 'reduce' });
        await expect.poll(() => currentStep(app!.page), { timeout: 15_000 }).toBe(count);
        await app.screenshot('lesson-04-last-step-dark', { fullPage: true });
      }
    });
  }

  it('says when a pick is wrong, and the reveal switch shows the answers and lets stepping through', async () => {
    const first = canonicalLessons()[0]!;
    const questionStep = first.scenario.steps.findIndex((s) => s.predict?.expect?.path === 'output') + 1;
    const predict = first.scenario.steps[questionStep - 1]!.predict!;
    for (const colorScheme of ['light', 'dark'] as const) {
      app = await openApp({ path: `?scenario=${first.id}&step=${questionStep - 1}`, colorScheme, reducedMotion: 'reduce' });
      const { page } = app;
      await expect.poll(() => currentStep(page), { timeout: 15_000 }).toBe(questionStep - 1);
      await page.getByRole('button', { name: 'Step forward' }).click();
      await expect.poll(() => page.getByTestId('predict-question').textContent()).toBe(predict.question);
      await app.screenshot(`lesson-predict-card-${colorScheme}`);
      const wrong = (predict.answer + 1) % predict.choices.length;
      await page.getByRole('button', { name: `Answer ${'ABCDE'[wrong]}: ${predict.choices[wrong]}` }).click();
      await expect.poll(() => page.getByTestId('predict-verdict').textContent()).toBe('Not quite');
      await expect.poll(() => currentStep(page)).toBe(questionStep);
      expect(await page.getByTestId('predict-answer').textContent()).toContain(predict.choices[predict.answer]);
      expect(await page.getByTestId('predict-explain').textContent()).toBe(predict.explain);
      await expect.poll(() => page.getByTestId('lesson-score').textContent()).toContain('0 of 1 right');

      // Teacher mode: the next question is shown with its answer, and → runs it at once.
      await page.getByRole('switch', { name: 'Reveal answers' }).check();
      const next = first.scenario.steps[questionStep]?.predict;
      if (!next) throw new Error('lesson 1 asks two questions in a row');
      const upcoming = page.getByTestId('predict-card').filter({ hasText: `Step ${questionStep + 1} will ask` });
      await expect.poll(() => upcoming.getByTestId('predict-question').textContent()).toBe(next.question);
      expect(await upcoming.getByTestId('predict-answer').textContent()).toContain(next.choices[next.answer]);
      await app.screenshot(`lesson-predict-reveal-${colorScheme}`);
      await page.getByRole('button', { name: 'Step forward' }).click();
      await expect.poll(() => currentStep(page)).toBe(questionStep + 1);
      await expect.poll(() => page.getByTestId('predict-verdict').first().textContent()).toBe(`Step ${questionStep + 1} asked`);
      expect(problems(app)).toEqual([]);
      await app.close();
      app = undefined;
    }
  });

  it('makes a new exercise: a new seed, the same questions about new numbers, a link that brings it back', async () => {
    app = await openApp({ path: '?scenario=lesson-01-stage1-dma&step=0', reducedMotion: 'reduce' });
    const { page } = app;
    await expect.poll(() => page.getByTestId('lesson-seed').textContent()).toContain('seed 0');
    await page.getByRole('button', { name: 'New exercise' }).click();
    await expect.poll(() => page.getByTestId('lesson-seed').textContent()).toMatch(/exercise seed \d+/);
    const seed = Number(/(\d+)$/.exec((await page.getByTestId('lesson-seed').textContent()) ?? '')?.[1]);
    await expect.poll(() => page.getByLabel('Scenario', { exact: true }).inputValue()).toBe(`lesson-01-stage1-dma~${seed}`);
    // The address follows once stepping pauses (src/app/addressBar.ts).
    await expect.poll(() => new URL(page.url()).searchParams.get('scenario'), { timeout: 10_000 }).toBe(`lesson-01-stage1-dma~${seed}`);
    const url = page.url();
    await app.close();
    app = await openApp({ path: new URL(url).search });
    await expect.poll(() => app!.page.getByTestId('lesson-seed').textContent()).toBe(` · exercise seed ${seed}`);
    expect(problems(app)).toEqual([]);
  });
});
