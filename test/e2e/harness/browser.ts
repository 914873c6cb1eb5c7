import { chromium, type Browser } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_ARGS } from './chromium-args.ts';
import './provided.ts';

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
