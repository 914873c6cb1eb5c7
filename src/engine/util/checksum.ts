/**
 * One step of the output-address checksum shared/bench/WORKLOADS.md defines
 * (FNV-style start 0x811c9dc5, multiply by 0x9E3779B1, xor-shift 15, low then
 * high 32 bits). The benchmark and smmu.dmaBurst both report it, so a burst's
 * checksum can be compared with the workload's.
 */
export function checksumMix(h: number, lo: number, hi: number): number {
  h = Math.imul(h ^ lo, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h ^ hi, 0x9e3779b1);
  h ^= h >>> 15;
  return h;
}
