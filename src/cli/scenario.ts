/**
 * npm run -s scenario -- <file.json> [--trace] [--strict]
 *
 * Runs a scenario in Node on the same engine as the app and prints one JSON
 * line per step on stdout (nothing else goes there). Problems with the file
 * go to stderr as "file: steps[2].iova: message".
 *
 * Exit status: 0 when the scenario ran (a step the engine rejects is an
 * error line, and the run goes on); 1 with --strict when any step was
 * rejected, or on an internal error; 2 when the file is missing, not JSON,
 * not a valid scenario, or the arguments are wrong.
 *
 * npm run -s scenario -- --schema prints the format's JSON Schema
 * (docs/scenario.schema.json is that output).
 */
import { readFileSync } from 'node:fs';
import { parseScenarioText, runScenario, scenarioJsonSchema, toJsonLine } from '../scenario/index.ts';

const USAGE = `usage: npm run -s scenario -- <file.json> [--trace] [--strict]
       npm run -s scenario -- --schema
  --trace   add the detail behind each line: a walk's levels, a DMA's whole path
            (STE, CD, IOTLB, walk), an STE/CD update's stores and syncs, a probe's
            register writes
  --strict  exit with status 1 if the engine rejected any step
  --schema  print the JSON Schema of the scenario format and exit`;

/** Most files have a handful of problems; past this many the rest are counted, not listed. */
const MAX_REPORTED = 50;

function fail(status: number, lines: readonly string[]): void {
  for (const line of lines) process.stderr.write(`${line}\n`);
  process.exitCode = status;
}

function readError(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return `${file}: no such file`;
  if (code === 'EISDIR') return `${file}: is a directory, not a scenario file`;
  if (code === 'EACCES') return `${file}: permission denied`;
  return `${file}: cannot read the file (${error instanceof Error ? error.message : String(error)})`;
}

function main(argv: readonly string[]): void {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const files = argv.filter((a) => !a.startsWith('--'));
  const unknown = [...flags].filter((f) => !['--trace', '--strict', '--schema', '--help'].includes(f));
  if (flags.has('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (unknown.length > 0) return fail(2, [`unknown option ${unknown.join(', ')}`, USAGE]);
  if (flags.has('--schema')) {
    process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    return;
  }
  if (files.length !== 1) return fail(2, [files.length === 0 ? 'no scenario file given' : 'give exactly one scenario file', USAGE]);
  const file = files[0] as string;

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return fail(2, [readError(file, error)]);
  }
  const parsed = parseScenarioText(text);
  if (!parsed.ok) {
    const lines = parsed.errors.slice(0, MAX_REPORTED).map((e) => `${file}: ${e.path ? `${e.path}: ` : ''}${e.message}`);
    const more = parsed.errors.length - MAX_REPORTED;
    return fail(2, more > 0 ? [...lines, `${file}: ... and ${more} more problems`] : lines);
  }

  let rejected = 0;
  for (const result of runScenario(parsed.scenario, { trace: flags.has('--trace') })) {
    if ('error' in result) rejected++;
    process.stdout.write(`${toJsonLine(result)}\n`);
  }
  if (rejected > 0 && flags.has('--strict')) fail(1, [`${file}: the engine rejected ${rejected} step${rejected === 1 ? '' : 's'}`]);
}

// A reader that stops early (| head) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  main(process.argv.slice(2));
} catch (error) {
  // Validation never throws; reaching here is a bug in the app, so say so without a stack trace.
  fail(1, [`internal error: ${error instanceof Error ? error.message : String(error)}`]);
}
