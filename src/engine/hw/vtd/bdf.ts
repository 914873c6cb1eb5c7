/**
 * A requester ID as bus:device.function, the way lspci and the VT-d debugfs
 * print it. Kept apart so narration on the page can use it without loading
 * the VT-d model.
 */
export function bdf(rid: number): string {
  return `${(rid >> 8).toString(16).padStart(2, '0')}:${((rid >> 3) & 0x1f).toString(16).padStart(2, '0')}.${rid & 7}`;
}
