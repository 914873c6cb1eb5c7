/**
 * The twelve lessons as the page lists them: ids, titles and what each
 * teaches, and whether a seed generates its numbers. Nothing here builds a
 * scenario, so the picker and the lesson bar load without the generators,
 * the static lessons' JSON or the scenario validator (catalog.ts joins each
 * entry with its source; docs/performance.md says why).
 */
import { CANONICAL_SEED, isSeed } from './prng.ts';

export interface LessonInfo {
  /** "lesson-01-stage1-dma": the scenario id a link names. */
  readonly id: string;
  /** 1 to 12: the order of the course. */
  readonly number: number;
  /** Short, for the picker: "A DMA through a stage-1 table". */
  readonly title: string;
  /** One sentence: what the learner should come away knowing. */
  readonly teaches: string;
  /** True for lessons whose numbers an exercise seed changes (a generator); false for static JSON. */
  readonly generated: boolean;
}

export const LESSON_LIST: readonly LessonInfo[] = [
  { id: 'lesson-01-stage1-dma', number: 1, title: 'A DMA through a stage-1 table', teaches: 'IOVA to PA: the STE, the CD, a four-level walk, and the IOTLB remembering the answer per page.', generated: true },
  { id: 'lesson-02-stream-table', number: 2, title: 'The stream table: StreamID to STE', teaches: 'Linear and 2-level stream tables: L1 descriptors, L2 tables on first use, abort STEs and C_BAD_STREAMID.', generated: true },
  { id: 'lesson-03-substreams', number: 3, title: 'Context descriptors and SubstreamIDs (PASIDs)', teaches: 'One device, many address spaces: S1CDMax, S1DSS, one CD and ASID per PASID, C_BAD_CD and C_BAD_SUBSTREAMID.', generated: true },
  { id: 'lesson-04-nesting', number: 4, title: 'Stage 2 and nesting', teaches: 'S1ContextPtr as an IPA, the guest owning its stage-1 tables (iommufd), vSTE checks, and which stage reports a fault.', generated: false },
  { id: 'lesson-05-faults', number: 5, title: 'Faults and the event queue', teaches: 'F_PERMISSION, F_TRANSLATION, C_BAD_STE, F_ADDR_SIZE, F_CD_FETCH: what each record says, and CD.R / CD.A.', generated: true },
  { id: 'lesson-06-invalidation', number: 6, title: 'Caches and invalidation', teaches: 'A stale IOTLB entry after a remap, a TLBI with the wrong ASID, and the CMD_TLBI_NH_VA + CMD_SYNC that fixes it.', generated: true },
  { id: 'lesson-07-hitless-update', number: 7, title: 'The hitless STE update', teaches: 'arm_smmu_write_entry: used bits, the critical qword, syncs, and the breaking update when no single store can switch.', generated: false },
  { id: 'lesson-08-default-domains', number: 8, title: 'Default domains: IDENTITY, DMA and DMA_FQ', teaches: 'def_domain_type, dma-direct on IDENTITY, and the flush queue\'s window in which an unmapped buffer stays reachable.', generated: false },
  { id: 'lesson-09-dma-ownership', number: 9, title: 'Claiming DMA ownership', teaches: 'owner_cnt, -EPERM and -EBUSY, the blocking domain, and why a group must always have a domain.', generated: false },
  { id: 'lesson-10-sva', number: 10, title: 'SVA: binding a process to a device', teaches: 'The mm\'s PASID, the group\'s pasid_array, the bond\'s refcount, the mmu notifier and process exit.', generated: false },
  { id: 'lesson-11-msi-doorbells', number: 11, title: 'MSI doorbells', teaches: 'The doorbell as a DMA target: an allocator IOVA on DMA domains, the reserved MSI window on VFIO\'s, -EEXIST over it.', generated: false },
  { id: 'lesson-12-pasid-pri-ats', number: 12, title: 'PASID, PRI and ATS', teaches: 'Enabling order (PASID before ATS), a device TLB (the ATC), translated requests and CMD_ATC_INV.', generated: false },
];

const SEPARATOR = '~';

export function lessonInfo(id: string): LessonInfo | undefined {
  return LESSON_LIST.find((l) => l.id === id);
}

export function exerciseId(lessonId: string, seed: number): string {
  return seed === CANONICAL_SEED ? lessonId : `${lessonId}${SEPARATOR}${seed}`;
}

/** "lesson-01-stage1-dma~42" -> the lesson and seed 42; a plain lesson id -> seed 0; anything else -> undefined. */
export function parseLessonRef(id: string): { readonly lesson: LessonInfo; readonly seed: number } | undefined {
  const [base = '', seedText, ...rest] = id.split(SEPARATOR);
  const lesson = lessonInfo(base);
  if (!lesson || rest.length > 0) return undefined;
  if (seedText === undefined) return { lesson, seed: CANONICAL_SEED };
  if (!lesson.generated || !/^\d{1,10}$/.test(seedText)) return undefined;
  const seed = Number(seedText);
  return isSeed(seed) ? { lesson, seed } : undefined;
}
