/** Exhaustiveness guard for switches over discriminated unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}

/** An engine-side error that names what is wrong; scenario runners turn it into a step error. */
export class EngineError extends Error {
  constructor(
    message: string,
    /** The field or argument at fault, e.g. "T0SZ" or "iova". */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
