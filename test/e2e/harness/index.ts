import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { inject } from 'vitest';
import { sharedBrowser } from './browser.ts';
import { installGuards, type Problems } from './guards.ts';
import './provided.ts';

export type { Page, Locator } from 'playwright-core';
export type { Problems } from './guards.ts';

/** Where screenshots land: test-results/screenshots/<name>.png at the repository root. */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));

export interface OpenAppOptions {
  /** Appended to the app's URL: '?scenario=walk-4k-page', '#...', or ''. */
  path?: string;
  colorScheme?: 'light' | 'dark';
  /** Defaults to 1280 x 800. */
  viewport?: { width: number; height: number };
  /** Screenshots for docs look better at 2; defaults to 1. */
  deviceScaleFactor?: number;
  /** 'reduce' lets a test ask the app to skip animations. Defaults to 'no-preference'. */
  reducedMotion?: 'reduce' | 'no-preference';
}

export interface ScreenshotOptions {
  /** Capture the whole scrollable page rather than the viewport. */
  fullPage?: boolean;
}

export interface App {
  page: Page;
  context: BrowserContext;
  /** The static server's URL, ending with a slash. */
  baseUrl: string;
  /** The URL that was opened (baseUrl + path). */
  url: string;
  /** console.error messages (page and workers) and uncaught errors, as text. */
  consoleErrors: string[];
  /** Requests to any host other than the local server; each was aborted. */
  blockedRequests: string[];
  /** Content-Security-Policy violations the page reported. */
  cspViolations: string[];
  /** Requests to the local server that failed or answered with status >= 400. */
  failedRequests: string[];
  /** Everything above in one list; `expect(app.problems()).toEqual([])` is the usual check. */
  problems(): string[];
  /** Saves test-results/screenshots/<name>.png and returns its absolute path. */
  screenshot(name: string, options?: ScreenshotOptions): Promise<string>;
  close(): Promise<void>;
}

const SCREENSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function describeConsoleMessage(message: ConsoleMessage): string {
  const { url, lineNumber } = message.location();
  const where = url ? ` (${url}:${lineNumber})` : '';
  return `console.error: ${message.text()}${where}`;
}

/**
 * Opens the built app in a fresh browser context of this file's Chromium.
 * Every request to another host is aborted and recorded, console errors,
 * uncaught errors and CSP violations are recorded, so a test can assert that
 * none happened.
 */
export async function openApp(options: OpenAppOptions = {}): Promise<App> {
  const baseUrl = inject('e2eBaseUrl') as string | undefined;
  if (baseUrl === undefined) {
    throw new Error('openApp() needs the browser-test global setup: run `npm run test:browser` or `vitest run --config vitest.e2e.config.ts`');
  }
  const browser = await sharedBrowser();
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: options.reducedMotion ?? 'no-preference',
    serviceWorkers: 'block',
  });
  const problems: Problems = {
    consoleErrors: [],
    blockedRequests: [],
    cspViolations: [],
    failedRequests: [],
  };
  context.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(describeConsoleMessage(message));
  });
  context.on('weberror', (webError) => {
    const error = webError.error();
    problems.consoleErrors.push(`uncaught: ${error.stack ?? error.message}`);
  });
  await installGuards(context, new URL(baseUrl).origin, problems);

  const url = new URL(options.path ?? '', baseUrl).href;
  let page: Page;
  try {
    page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
  } catch (error) {
    await context.close();
    throw error;
  }

  return {
    page,
    context,
    baseUrl,
    url,
    ...problems,
    problems: () => [
      ...problems.consoleErrors,
      ...problems.blockedRequests.map((entry) => `blocked request to another host: ${entry}`),
      ...problems.cspViolations.map((entry) => `CSP violation: ${entry}`),
      ...problems.failedRequests.map((entry) => `failed request: ${entry}`),
    ],
    async screenshot(name, screenshotOptions = {}) {
      if (!SCREENSHOT_NAME.test(name)) {
        throw new Error(`screenshot name "${name}" must be letters, digits, '.', '_' or '-' (no slashes)`);
      }
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: screenshotOptions.fullPage ?? false, animations: 'allow' });
      return path;
    },
    close: () => context.close(),
  };
}
