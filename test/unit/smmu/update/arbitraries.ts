/**
 * fast-check generators for STEs and CDs built by the Linux makers. Values
 * come from small pools most of the time so that two random entries often
 * share a CD table, a VMID or a table base: those are the pairs where the
 * hitless paths, not only the breaking one, get exercised.
 */
import fc from 'fast-check';
import {
  makeAbortSte,
  makeBypassSte,
  makeCdTableSte,
  makeNestedDomainSte,
  makeNestedSte,
  makeS1Cd,
  makeS2DomainSte,
  makeSvaCd,
  type LinuxSmmuFeatures,
  type S2DomainSteOptions,
} from '../../../../src/engine/hw/smmu/update/index.ts';

const pooled = (pool: bigint[], shift: bigint, bits: number): fc.Arbitrary<bigint> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...pool) },
    { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }).map((x) => x << shift) },
  );

const features: fc.Arbitrary<Partial<LinuxSmmuFeatures>> = fc.record({ attrTypesOvr: fc.boolean(), stalls: fc.boolean(), e2h: fc.boolean() });
/** S1ContextPtr: bits 51:6. */
const cdTable = pooled([0x4000_0000n, 0x8_0000_0040n], 6n, 46);
/** S2TTB: bits 51:4. */
const s2ttb = pooled([0x8000_0000n, 0x9000_0000n], 4n, 48);
const vmid = fc.oneof(fc.constantFrom(0, 1, 2), fc.integer({ min: 0, max: 0xffff }));
const small = (max: number, pool: number[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.integer({ min: 0, max }) });

const s2Options: fc.Arbitrary<S2DomainSteOptions> = fc.record({
  vmid,
  vtcr: fc.record({
    S2T0SZ: small(63, [24, 16]),
    S2SL0: small(3, [1]),
    S2IR0: small(3, [1]),
    S2OR0: small(3, [1]),
    S2SH0: small(3, [3]),
    S2TG: small(3, [0]),
    S2PS: small(7, [2, 5]),
  }),
  s2ttb,
  ats: fc.boolean(),
  stallEnabled: fc.boolean(),
  s2fwb: fc.boolean(),
  bigEndian: fc.boolean(),
  features,
});

const vste = fc.record({
  S1ContextPtr: cdTable,
  S1Fmt: fc.constantFrom(0, 1, 2),
  S1CDMax: small(31, [0, 8]),
  S1DSS: fc.constantFrom(0, 1, 2),
  S1CIR: small(3, [1]),
  S1COR: small(3, [1]),
  S1CSH: small(3, [3]),
  S1STALLD: fc.boolean(),
});

export const anySte: fc.Arbitrary<bigint[]> = fc.oneof(
  fc.constant(makeAbortSte()),
  features.map((f) => makeBypassSte({ features: f })),
  fc
    .record({ cdTable, s1Fmt: fc.constantFrom(0, 2), s1CdMax: small(31, [0, 20]), s1dss: fc.constantFrom(0, 1, 2), ats: fc.boolean(), stallEnabled: fc.boolean(), features })
    .map((o) => makeCdTableSte(o)),
  s2Options.map((o) => makeS2DomainSte(o)),
  fc.record({ s2: s2Options, vste, ats: fc.boolean() }).map((o) => makeNestedSte(o)),
  fc
    .record({ s2: s2Options, vste, ats: fc.boolean(), vsteConfig: fc.constantFrom('abort' as const, 'bypass' as const, 's1' as const) })
    .map((o) => makeNestedDomainSte(o)),
);

const asid = fc.oneof(fc.constantFrom(1, 2), fc.integer({ min: 0, max: 0xffff }));
/** TTB0: bits 51:4. */
const ttb0 = pooled([0x4_0000_1000n, 0x4_0000_2000n], 4n, 48);
const mair = fc.oneof(fc.constant(0x0004_ff44n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }));

export const anyCd: fc.Arbitrary<bigint[]> = fc.oneof(
  fc.constant(new Array<bigint>(8).fill(0n)),
  fc
    .record({
      asid,
      ttb0,
      T0SZ: small(63, [16, 25]),
      TG0: small(3, [0]),
      IRGN0: small(3, [1]),
      ORGN0: small(3, [1]),
      SH0: small(3, [3]),
      IPS: small(7, [5]),
      mair,
      stallEnabled: fc.boolean(),
      hd: fc.boolean(),
      bigEndian: fc.boolean(),
    })
    .map((o) => makeS1Cd(o)),
  fc
    .record({
      asid,
      ttb0: fc.option(ttb0, { nil: null }),
      T0SZ: small(63, [16]),
      TG0: small(3, [0]),
      IPS: small(7, [5]),
      mair,
      stallEnabled: fc.boolean(),
      stallForce: fc.boolean(),
      ha: fc.boolean(),
      hd: fc.boolean(),
    })
    .map((o) => makeSvaCd(o)),
);

/** Eight random qwords, for the "cleaned" properties (entry & its own used mask). */
export const rawEntry: fc.Arbitrary<bigint[]> = fc.array(
  fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
  { minLength: 8, maxLength: 8 },
);
