/** The fields a walk's caller reads, success or fault: what the fast-walk properties compare with the traced walk. */
import type { WalkOut } from '../../../src/engine/index.ts';

export function walkFields(out: WalkOut, ok: boolean, nested: boolean) {
  const common = { ok, fault: out.fault, reason: out.reason, level: out.level, stage: out.stage, ttbr: out.ttbr, reads: out.reads };
  if (ok) return { ...common, hi: out.hi | 0, lo: out.lo | 0, mapShift: out.mapShift, ...(nested ? { ipa: [out.ipaHi | 0, out.ipaLo | 0] } : {}) };
  return { ...common, faultClass: out.stage === 2 ? out.faultClass : -1, ipa: out.stage === 2 ? [out.ipaHi | 0, out.ipaLo | 0] : [], faultAt: out.fault === 5 ? [out.faultHi | 0, out.faultLo | 0] : [] };
}
