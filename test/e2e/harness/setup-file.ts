import { afterAll } from 'vitest';
import { closeSharedBrowser } from './browser.ts';

// One browser per test file: launched lazily by openApp, closed here.
afterAll(async () => {
  await closeSharedBrowser();
});
