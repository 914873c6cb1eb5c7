/**
 * The twelve lessons, in the order of the course: from one DMA through one
 * table to the stories of the mailing-list threads. Lessons 1, 2, 3, 5 and 6
 * are generated (an exercise seed changes their numbers); the others are
 * static JSON in src/scenario/builtin/lesson-*.json.
 */
import lesson04 from '../scenario/builtin/lesson-04-nesting.json' with { type: 'json' };
import lesson07 from '../scenario/builtin/lesson-07-hitless-update.json' with { type: 'json' };
import lesson08 from '../scenario/builtin/lesson-08-default-domains.json' with { type: 'json' };
import lesson09 from '../scenario/builtin/lesson-09-dma-ownership.json' with { type: 'json' };
import lesson10 from '../scenario/builtin/lesson-10-sva.json' with { type: 'json' };
import lesson11 from '../scenario/builtin/lesson-11-msi-doorbells.json' with { type: 'json' };
import lesson12 from '../scenario/builtin/lesson-12-pasid-pri-ats.json' with { type: 'json' };
import { lesson01 } from './gen/lesson01.ts';
import { lesson02 } from './gen/lesson02.ts';
import { lesson03 } from './gen/lesson03.ts';
import { lesson05 } from './gen/lesson05.ts';
import { lesson06 } from './gen/lesson06.ts';
import { LESSON_LIST } from './lesson-list.ts';
import type { LessonDef } from './types.ts';

/** Where each lesson's scenario comes from: its generator, or its static JSON. */
const SOURCES: Readonly<Record<string, Pick<LessonDef, 'generate' | 'json'>>> = {
  'lesson-01-stage1-dma': { generate: lesson01 },
  'lesson-02-stream-table': { generate: lesson02 },
  'lesson-03-substreams': { generate: lesson03 },
  'lesson-04-nesting': { json: lesson04 },
  'lesson-05-faults': { generate: lesson05 },
  'lesson-06-invalidation': { generate: lesson06 },
  'lesson-07-hitless-update': { json: lesson07 },
  'lesson-08-default-domains': { json: lesson08 },
  'lesson-09-dma-ownership': { json: lesson09 },
  'lesson-10-sva': { json: lesson10 },
  'lesson-11-msi-doorbells': { json: lesson11 },
  'lesson-12-pasid-pri-ats': { json: lesson12 },
};

/** The titles (lesson-list.ts, what the page loads first) joined with their sources. */
export const LESSONS: readonly LessonDef[] = LESSON_LIST.map((info) => ({ ...info, ...SOURCES[info.id] }));

export function lessonById(id: string): LessonDef | undefined {
  return LESSONS.find((l) => l.id === id);
}
