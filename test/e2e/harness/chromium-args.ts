/**
 * Chromium on the test machines refuses connections unless its own
 * background traffic (component updates, sync, QUIC probes) is switched
 * off; the flags also keep every run from trying to reach Google's servers.
 * Shared by the browser tests and bench:ui (which adds its own).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
