/**
 * An IOTLB entry's allowed accesses as letters. The bit layout is the
 * engine's permBit (hw/smmu/iotlb.ts): bit (kind + 3 if unprivileged), kind
 * 0 read, 1 write, 2 execute.
 */
export function permsText(perms: number): string {
  const set = (base: number) => ['r', 'w', 'x'].map((c, k) => ((perms >> (base + k)) & 1 ? c : '-')).join('');
  return `priv ${set(0)} · unpriv ${set(3)}`;
}
