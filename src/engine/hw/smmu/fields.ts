/**
 * Named bit fields of multi-qword structures (STE, CD, event records,
 * commands). One table per structure drives decoding, encoding, the bit-level
 * inspector and the "used bits" of the driver's update algorithm, so a field
 * is defined exactly once.
 */
import { EngineError } from '../../util/assert.ts';

export interface FieldSpec {
  /** The specification's name, exactly as spelled there (S1ContextPtr, S2T0SZ ...). */
  readonly name: string;
  readonly qword: number;
  readonly msb: number;
  readonly lsb: number;
  /**
   * 'address': the field holds address bits in place (S1ContextPtr [51:6]):
   * its value is the address with the bits below lsb zero, not shifted down.
   */
  readonly kind?: 'address';
  /** One line: what it means. */
  readonly doc: string;
  /** Names of encoded values, where the spec names them. */
  readonly values?: Readonly<Record<number, string>>;
}

export type Words = readonly bigint[];

export function fieldMask(f: FieldSpec): bigint {
  return ((1n << BigInt(f.msb - f.lsb + 1)) - 1n) << BigInt(f.lsb);
}

export function getField(words: Words, f: FieldSpec): bigint {
  const q = words[f.qword] ?? 0n;
  const raw = q & fieldMask(f);
  return f.kind === 'address' ? raw : raw >> BigInt(f.lsb);
}

/** words with field f set to value; a value that does not fit is refused, naming the field. */
export function setField(words: Words, f: FieldSpec, value: bigint): bigint[] {
  const width = BigInt(f.msb - f.lsb + 1);
  let placed: bigint;
  if (f.kind === 'address') {
    if ((value & ~fieldMask(f)) !== 0n) {
      throw new EngineError(`${f.name} holds address bits [${f.msb}:${f.lsb}]; 0x${value.toString(16)} does not fit (it must be a multiple of 0x${(1n << BigInt(f.lsb)).toString(16)} below 2^${f.msb + 1})`, f.name);
    }
    placed = value;
  } else {
    if (value < 0n || value >= 1n << width) {
      throw new EngineError(`${f.name} is ${width} bit${width === 1n ? '' : 's'} wide [${f.msb}:${f.lsb}]; ${value} does not fit`, f.name);
    }
    placed = value << BigInt(f.lsb);
  }
  const out = [...words];
  out[f.qword] = ((out[f.qword] ?? 0n) & ~fieldMask(f)) | placed;
  return out;
}

export type FieldValues = Record<string, bigint>;

export function decodeFields(words: Words, specs: readonly FieldSpec[]): FieldValues {
  const out: FieldValues = {};
  for (const f of specs) out[f.name] = getField(words, f);
  return out;
}

/** Builds `qwords` words from named values; unnamed fields are zero. */
export function encodeFields(values: Partial<FieldValues>, specs: readonly FieldSpec[], qwords: number): bigint[] {
  let words: bigint[] = new Array<bigint>(qwords).fill(0n);
  const known = new Set(specs.map((f) => f.name));
  for (const name of Object.keys(values)) {
    if (!known.has(name)) throw new EngineError(`no field named ${name}`, name);
  }
  for (const f of specs) {
    const v = values[f.name];
    if (v !== undefined) words = setField(words, f, v);
  }
  return words;
}

/** Bits set in `words` that no field covers (reserved bits a pasted dump may carry). */
export function unnamedBits(words: Words, specs: readonly FieldSpec[]): bigint[] {
  return words.map((w, q) => {
    let covered = 0n;
    for (const f of specs) if (f.qword === q) covered |= fieldMask(f);
    return w & ~covered;
  });
}

export function fieldByName(specs: readonly FieldSpec[], name: string): FieldSpec {
  const f = specs.find((s) => s.name === name);
  if (!f) throw new EngineError(`no field named ${name}`, name);
  return f;
}
