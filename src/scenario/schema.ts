/**
 * The v1 scenario document: a header, the initial configuration and the
 * ordered steps. See docs/scenario-format.md; docs/scenario.schema.json is
 * generated from this file (scenarioJsonSchema) and checked by a test.
 */
import { z } from './zod.ts';
import { MAX_DESCRIPTION_LENGTH, MAX_STEPS, MAX_TITLE_LENGTH, hexField, shown } from './fields.ts';
import { stepSchema } from './steps.ts';

export const SCENARIO_FORMAT = 'iommu-visualizer-scenario';
export const CURRENT_VERSION = 1;

const textField = (max: number, description: string, minLength = 0) => {
  const message = (issue: { input?: unknown }) =>
    typeof issue.input === 'string'
      ? `must be ${minLength > 0 ? `1 to ${max}` : `at most ${max}`} characters (got ${issue.input.length})`
      : `must be a string (got ${shown(issue.input)})`;
  return z
    .string({ error: (issue) => (issue.input === undefined ? undefined : message(issue)) })
    .min(minLength, { error: message })
    .max(max, { error: message })
    .meta({ description });
};

export const tableMemorySchema = z
  .strictObject({
    base: hexField('First physical address of the region the engine allocates page tables from.'),
    size: hexField('Size of that region in bytes.'),
  })
  .meta({ description: 'Where pgtable.create and pgtable.map allocate table pages. The engine has a default.' });

/**
 * A "predict the next step" question a lesson asks before the step runs
 * (docs/lessons.md). Optional on every step kind and additive, so files
 * without it mean what they meant: no version bump. `expect` ties each
 * choice to a value of the step's result line (what `npm run scenario`
 * prints), so a test can check the answer key against the engine.
 */
const predictValue = z.union([z.string().max(200), z.number(), z.boolean(), z.null()]);
export const predictSchema = z
  .strictObject({
    question: textField(500, 'The question, asked before the step runs.', 1),
    choices: z.array(textField(300, 'One answer the learner may pick.', 1)).min(2).max(5).meta({ description: '2 to 5 answers, shown as buttons in this order.' }),
    answer: z.number().int().min(0).max(4).meta({ description: 'Index (from 0) of the right choice.' }),
    explain: textField(2_000, 'Shown after the learner picks: why the answer is what the engine does.').optional(),
    expect: z
      .strictObject({
        path: z.string().regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, { error: 'must be a dotted path into the step\'s result line, such as "event.name" or "consumed.0.invalidated"' })
          .meta({ description: 'Where in the step\'s result line (as `npm run scenario` prints it) the answer shows: "output", "event.name", "tlb", "returned" ...' }),
        values: z.array(predictValue).min(2).max(5).meta({ description: 'The value at `path` that each choice stands for, in the order of `choices`; null: the field is absent.' }),
      })
      .optional()
      .meta({ description: 'Machine-checkable answers: the right choice\'s value must be what the engine gives.' }),
  })
  .superRefine((p, ctx) => {
    if (p.answer >= p.choices.length) ctx.addIssue({ code: 'custom', path: ['answer'], message: `must be the index of one of the ${p.choices.length} choices (0 to ${p.choices.length - 1}), got ${p.answer}` });
    if (p.expect && p.expect.values.length !== p.choices.length) {
      ctx.addIssue({ code: 'custom', path: ['expect', 'values'], message: `must have one value per choice: ${p.choices.length}, got ${p.expect.values.length}` });
    }
  })
  .meta({ id: 'Predict', description: 'A "predict the next step" question asked before this step runs.' });

export type Predict = z.infer<typeof predictSchema>;

type StepOption = z.ZodObject | z.ZodDiscriminatedUnion;
/** Every step kind (and every linux.call and pgtable.create variant) with the optional `predict` added. */
function withPredict(schema: StepOption): StepOption {
  if (schema instanceof z.ZodDiscriminatedUnion) {
    const options = (schema.options as StepOption[]).map(withPredict);
    return z.discriminatedUnion(schema.def.discriminator, options as [z.ZodObject, ...z.ZodObject[]]);
  }
  const extended = schema.extend({ predict: predictSchema.optional() });
  // extend() makes a new schema; its title and description (the JSON Schema's) stay with the old one unless copied.
  const meta = z.globalRegistry.get(schema);
  return meta ? extended.meta(meta) : extended;
}

/** A step as read: any step kind, with its optional predict question. */
export type LessonStep = z.output<typeof stepSchema> & { readonly predict?: Predict };
const stepWithPredictSchema = withPredict(stepSchema) as unknown as z.ZodType<LessonStep, z.input<typeof stepSchema> & { predict?: z.input<typeof predictSchema> }>;

export const scenarioConfigSchema = z
  .strictObject({ tableMemory: tableMemorySchema.optional() })
  .meta({ description: 'The machine before the first step.' });

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'Editors may point this at docs/scenario.schema.json; ignored by the app.' }),
    format: z.literal(SCENARIO_FORMAT).meta({ description: 'Always "iommu-visualizer-scenario".' }),
    version: z.literal(CURRENT_VERSION).meta({ description: 'Format version. Older versions are migrated when read.' }),
    title: textField(MAX_TITLE_LENGTH, 'Shown in the scenario picker.', 1),
    description: textField(MAX_DESCRIPTION_LENGTH, 'A paragraph shown before the first step.').optional(),
    config: scenarioConfigSchema.optional(),
    steps: z
      .array(stepWithPredictSchema, { error: (issue) => (issue.input === undefined ? undefined : `must be an array of steps (got ${shown(issue.input)})`) })
      .max(MAX_STEPS)
      .meta({ description: 'What happens, in order. Each step becomes one engine command.' }),
  })
  .meta({
    title: 'IOMMU Visualizer scenario (version 1)',
    description: 'A scenario for the IOMMU Visualizer: initial configuration and an ordered list of steps.',
  });

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioConfig = z.infer<typeof scenarioConfigSchema>;

/** The JSON Schema of the v1 format, as committed in docs/scenario.schema.json. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}
