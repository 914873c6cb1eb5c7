/**
 * 64-bit helpers. The public engine API carries 64-bit values as bigint; the
 * hot translation path splits them into two unsigned 32-bit halves so that it
 * never allocates (see docs/engine.md).
 */
import { EngineError } from './assert.ts';

export const U64_MASK = (1n << 64n) - 1n;
const TWO_32 = 0x1_0000_0000;

/** Bits [msb:lsb] of a 64-bit value, as in the Arm documents. */
export function bits(value: bigint, msb: number, lsb: number): bigint {
  return (value >> BigInt(lsb)) & ((1n << BigInt(msb - lsb + 1)) - 1n);
}

/** value with bits [msb:lsb] replaced by field (which must fit). */
export function withBits(value: bigint, msb: number, lsb: number, field: bigint): bigint {
  const width = BigInt(msb - lsb + 1);
  const mask = ((1n << width) - 1n) << BigInt(lsb);
  return (value & ~mask & U64_MASK) | ((field << BigInt(lsb)) & mask);
}

export function bit(value: bigint, n: number): boolean {
  return ((value >> BigInt(n)) & 1n) === 1n;
}

/** "0x0000_0080_0000_1000"-style grouping is for display; this is the plain form. */
export function hex(value: bigint, minDigits = 1): string {
  return '0x' + value.toString(16).padStart(minDigits, '0');
}

/** Parses "0x..." (underscores allowed, as in the Arm documents) into a u64. */
export function parseU64(text: string, field = 'value'): bigint {
  const clean = text.trim().replace(/_/g, '');
  if (!/^0x[0-9a-fA-F]{1,16}$/.test(clean)) {
    throw new EngineError(`${field} must be a hex string like "0x1000" (at most 16 hex digits), got ${JSON.stringify(text)}`, field);
  }
  return BigInt(clean);
}

export function lo32(value: bigint): number {
  return Number(value & 0xffff_ffffn);
}

export function hi32(value: bigint): number {
  return Number((value >> 32n) & 0xffff_ffffn);
}

export function fromHalves(hi: number, lo: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** A 64-bit value below 2^53 as a double (exact). Callers check the range. */
export function halvesToNumber(hi: number, lo: number): number {
  return (hi >>> 0) * TWO_32 + (lo >>> 0);
}
