/**
 * The v1 scenario document: a header, the initial configuration and the
 * ordered steps. See docs/scenario-format.md; docs/scenario.schema.json is
 * generated from this file (scenarioJsonSchema) and checked by a test.
 */
import * as z from 'zod';
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
      .array(stepSchema, { error: (issue) => (issue.input === undefined ? undefined : `must be an array of steps (got ${shown(issue.input)})`) })
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
