/**
 * smmu.commands: commands for the command queue, each written as its name
 * and its fields side by side, {"op": "CMD_CFGI_STE", "StreamID": 5,
 * "Leaf": 1}. One schema per command, built from the engine's COMMANDS table,
 * so a field that command does not have is refused and an editor completes
 * the ones it does.
 */
import { z } from './zod.ts';
import { COMMANDS, type CommandName } from '../engine/hw/smmu/command.ts';
import type { FieldSpec } from '../engine/hw/smmu/fields.ts';
import { type FieldValueSpec, fieldValueSchema } from './entry-fields.ts';
import { noteField, shown } from './fields.ts';
import { suggestName } from './suggest.ts';

/** Linux's CMD_CFGI_ALL: CMD_CFGI_STE_RANGE with Range = 31, which the scenario format accepts by that name. */
export const CFGI_ALL = 'CMD_CFGI_ALL';

export type CommandOp = CommandName | typeof CFGI_ALL;

export const COMMAND_OPS: readonly CommandOp[] = [...(Object.keys(COMMANDS) as CommandName[]), CFGI_ALL];

export const MAX_COMMANDS_PER_STEP = 256;

/** The fields a command takes in a scenario (Opcode is implied by op). */
export function commandFields(op: CommandOp): readonly FieldSpec[] {
  return op === CFGI_ALL ? [] : COMMANDS[op].fields;
}

function commandSchema(op: CommandOp) {
  const shape: Record<string, z.ZodOptional<z.ZodType<FieldValueSpec>>> = {};
  for (const f of commandFields(op)) shape[f.name] = fieldValueSchema(f).optional();
  const description =
    op === CFGI_ALL ? 'CMD_CFGI_ALL: CMD_CFGI_STE_RANGE with Range = 31, invalidating every cached STE and CD.' : `${op} (opcode 0x${COMMANDS[op].opcode.toString(16).padStart(2, '0')}). Fields left out are 0.`;
  return z.strictObject({ op: z.literal(op), ...shape }).meta({ description });
}

export function unknownCommandMessage(op: unknown): string {
  if (op === undefined) return 'is required: every command has an op, such as "CMD_SYNC"';
  if (typeof op !== 'string') return `must be a command name such as "CMD_SYNC" (got ${shown(op)})`;
  const near = suggestName(op, COMMAND_OPS);
  return `unknown command ${shown(op)}; ${near ? `did you mean "${near}"?` : `the commands are ${COMMAND_OPS.join(', ')}`}`;
}

const [firstOp, ...otherOps] = COMMAND_OPS as [CommandOp, ...CommandOp[]];

export const commandItemSchema = z.discriminatedUnion('op', [commandSchema(firstOp), ...otherOps.map(commandSchema)]);

export type CommandSpec = { readonly op: CommandOp } & Readonly<Record<string, FieldValueSpec>>;

export const smmuCommandsStep = z.strictObject({
  kind: z.literal('smmu.commands'),
  commands: z
    .array(commandItemSchema, { error: (issue) => (issue.input === undefined ? undefined : `must be an array of commands (got ${shown(issue.input)})`) })
    .min(1, { error: 'must hold at least one command' })
    .max(MAX_COMMANDS_PER_STEP, { error: `may hold at most ${MAX_COMMANDS_PER_STEP} commands; split them over several steps` })
    .meta({ description: 'Written into the command queue in order, then CMDQ_PROD is published once and the SMMU consumes them.' }),
  note: noteField.optional(),
});

export type SmmuCommandsStep = z.infer<typeof smmuCommandsStep>;
