import { chromium, type Browser } from 'playwright-core';
import { inject } from 'vitest';
import './provided.ts';

// Chromium on the test machines refuses connections unless its own background
// traffic (component updates, sync, QUIC probes) is switched off; the flags
// also keep every run from trying to reach Google's servers.
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let browser: Promise<Browser> | undefined;

/** The browser of the current test file, launched on first use. */
export function sharedBrowser(): Promise<Browser> {
  browser ??= chromium.launch({
    executablePath: inject('e2eChromiumPath'),
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  return browser;
}

/** Closes the file's browser; the harness's setup file calls this after each file. */
export async function closeSharedBrowser(): Promise<void> {
  const current = browser;
  browser = undefined;
  if (current !== undefined) await (await current).close();
}
