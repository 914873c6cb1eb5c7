/**
 * JSON for results: JSON has no 64-bit integers and JSON.stringify refuses
 * bigint, so every bigint becomes a "0x..." hex string (plain lowercase
 * digits, no grouping: easy for scripts to compare).
 */

export type Hex = string;

export function toHex(value: bigint): Hex {
  return value < 0n ? `-0x${(-value).toString(16)}` : `0x${value.toString(16)}`;
}

/** The type of `jsonFriendly(value)`: bigints become strings, all else keeps its shape. */
export type JsonFriendly<T> = T extends bigint
  ? Hex
  : T extends readonly (infer U)[]
    ? JsonFriendly<U>[]
    : T extends object
      ? { -readonly [K in keyof T]: JsonFriendly<T[K]> }
      : T;

/** A deep copy of `value` with every bigint replaced by its hex string; undefined properties are dropped. */
export function jsonFriendly<T>(value: T): JsonFriendly<T> {
  return convert(value) as JsonFriendly<T>;
}

function convert(value: unknown): unknown {
  if (typeof value === 'bigint') return toHex(value);
  if (Array.isArray(value)) return value.map(convert);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner !== undefined) out[key] = convert(inner);
    }
    return out;
  }
  return value;
}

/** One line of JSON (no newline inside), bigints as hex. */
export function toJsonLine(value: unknown): string {
  return JSON.stringify(convert(value));
}
